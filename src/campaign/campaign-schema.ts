// The campaign schema checks: the file as written (schemas/campaign.schema.json) and, after `defaults`
// are merged, each complete template (#/definitions/CompleteTemplate). Errors → positioned diagnostics.
import type { ErrorObject } from 'ajv';
import campaignSchema from '../../schemas/campaign.schema.json' with { type: 'json' };
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { type Locate, pointerToPath, schemaErrorsToDiagnostics } from '../diagnostics/schema-diagnostics.js';
import type { JsonPath } from '../diagnostics/yaml-source.js';
import { compileSchema } from '../shared/schema-check.js';
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
  const key = String(place([])[1]);
  // A locale the template takes from `defaults` alone, missing fields there: the template is told.
  const gaps = localeGaps(validate.errors ?? [], place);
  const errors: ErrorObject[] = (validate.errors ?? [])
    .filter((e) => !gaps.errors.has(e))
    .map((e) => ({ ...e, instancePath: toPointer(place(pointerToPath(e.instancePath))) }));
  // Both owners read as the merged template, so messages can look at sibling fields.
  const root = { templates: { [key]: merged }, defaults: merged };
  // Point at the template's own `localeInfo` when it has one, else at the template.
  const own = place(['localeInfo']);
  const position = own[0] === 'templates' ? locate(own, 'key') : locate(['templates', key], 'key');
  const gapDiagnostics = [...gaps.missing].map(([locale, fields]) =>
    localeGapDiagnostic(key, locale, fields, merged, position),
  );
  return [
    ...gapDiagnostics,
    ...schemaErrorsToDiagnostics(errors, root, locate, { prefix: 'CAMPAIGN', refine: campaignRefine(root) }),
  ];
}

/** `required` errors inside `localeInfo.<locale>` when the template has no such locale of its own. */
function localeGaps(
  errors: readonly ErrorObject[],
  place: (inner: JsonPath) => JsonPath,
): { errors: Set<ErrorObject>; missing: Map<string, string[]> } {
  const out = { errors: new Set<ErrorObject>(), missing: new Map<string, string[]>() };
  for (const e of errors) {
    const inner = pointerToPath(e.instancePath);
    if (e.keyword !== 'required' || inner.length !== 2 || inner[0] !== 'localeInfo') continue;
    if (place(inner)[0] !== 'defaults') continue;
    const locale = String(inner[1]);
    out.errors.add(e);
    out.missing.set(locale, [
      ...(out.missing.get(locale) ?? []),
      String((e.params as { missingProperty: string }).missingProperty),
    ]);
  }
  return out;
}

/**
 * "Template x has no zh_HK name": the template, not `defaults`, is where the text goes (a name put
 * in defaults would be every card's name).
 */
function localeGapDiagnostic(
  key: string,
  locale: string,
  fields: readonly string[],
  merged: unknown,
  position: SourcePosition,
): Diagnostic {
  const given = Object.keys(
    ((merged as { localeInfo?: Record<string, object> }).localeInfo?.[locale] ?? {}) as object,
  );
  const list = fields.map((f) => `\`${f}\``).join(' and ');
  return {
    severity: 'error',
    code: 'CAMPAIGN_MISSING_FIELD',
    message: `Template ${key} has no ${locale} ${list}: its \`localeInfo.${locale}\` comes only from \`defaults\`${given.length ? ` (which gives ${given.join(', ')})` : ''}.`,
    hint: `Add ${list} under \`localeInfo.${locale}\` of template ${key} (not in defaults, which every template shares); the other ${locale} fields still come from defaults. If the card has no ${locale} text, remove ${locale} from defaults.`,
    position,
    path: `/templates/${key}/localeInfo/${locale}`,
  };
}

function toPointer(path: JsonPath): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
