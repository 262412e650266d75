// The campaign schema checks: the file as written (schemas/campaign.schema.json) and, after `defaults`
// are merged, each complete template (#/definitions/CompleteTemplate). Errors → positioned diagnostics.
import type { ErrorObject } from 'ajv';
import campaignSchema from '../../schemas/campaign.schema.json' with { type: 'json' };
import { compileSchema } from '../config/schema-check.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type Locate, pointerToPath, schemaErrorsToDiagnostics } from '../diagnostics/schema-diagnostics.js';
import type { JsonPath } from '../diagnostics/yaml-source.js';
import { campaignRefine } from './schema-messages.js';

export { campaignSchema };

const completeTemplateSchema = {
  definitions: campaignSchema.definitions,
  $ref: '#/definitions/CompleteTemplate',
};

/** Check a whole campaign document as written. */
export function checkCampaignDocument(value: unknown, locate: Locate): Diagnostic[] {
  const validate = compileSchema(campaignSchema);
  if (validate(value)) return [];
  return schemaErrorsToDiagnostics(validate.errors ?? [], value, locate, {
    prefix: 'CAMPAIGN',
    refine: campaignRefine(value),
  });
}

/**
 * Check one template after the merge of `defaults` (required fields, btnUrl for CUSTOM_BTN, type/product
 * and codeType/codeStandard pairs). `place` maps a path inside the merged template to where it is
 * written: ["templates", key, …] or, for what only `defaults` has, ["defaults", …].
 */
export function checkCompleteTemplate(
  merged: unknown,
  place: (inner: JsonPath) => JsonPath,
  locate: Locate,
): Diagnostic[] {
  const validate = compileSchema(completeTemplateSchema);
  if (validate(merged)) return [];
  const errors: ErrorObject[] = (validate.errors ?? []).map((e) => ({
    ...e,
    instancePath: toPointer(place(pointerToPath(e.instancePath))),
  }));
  // Both owners read as the merged template, so messages can look at sibling fields.
  const root = { templates: { [String(place([])[1])]: merged }, defaults: merged };
  return schemaErrorsToDiagnostics(errors, root, locate, {
    prefix: 'CAMPAIGN',
    refine: campaignRefine(root),
  });
}

function toPointer(path: JsonPath): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
