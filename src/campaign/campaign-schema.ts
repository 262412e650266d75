// The campaign schema checks: the file as written (schemas/campaign.schema.json) and, after `defaults`
// are merged, each complete template (#/definitions/CompleteTemplate). Errors → positioned diagnostics.
import type { ErrorObject } from 'ajv';
import campaignSchema from '../../schemas/campaign.schema.json' with { type: 'json' };
import { compileSchema } from '../config/schema-check.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type Locate, schemaErrorsToDiagnostics } from '../diagnostics/schema-diagnostics.js';
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
 * and codeType/codeStandard pairs). Paths in the diagnostics are /templates/<key>/…; `locate` gets those.
 */
export function checkCompleteTemplate(key: string, merged: unknown, locate: Locate): Diagnostic[] {
  const validate = compileSchema(completeTemplateSchema);
  if (validate(merged)) return [];
  const prefix = `/templates/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const errors: ErrorObject[] = (validate.errors ?? []).map((e) => ({
    ...e,
    instancePath: prefix + e.instancePath,
  }));
  const root = { templates: { [key]: merged } };
  return schemaErrorsToDiagnostics(errors, root, locate, {
    prefix: 'CAMPAIGN',
    refine: campaignRefine(root),
  });
}
