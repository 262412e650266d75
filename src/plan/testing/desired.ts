// Desired templates as the campaign loader hands them to the planner, for tests of the planner and
// the executor.
import type { DesiredTemplate, TemplateBody } from '../../campaign/types.js';
import type { SourcePosition } from '../../diagnostics/diagnostic.js';

/** The template `c/<key>` of campaign `c`, valid and unprotected unless `over` says otherwise. */
export function desiredTemplate(
  key: string,
  body: TemplateBody,
  source: SourcePosition,
  over: Partial<DesiredTemplate> = {},
): DesiredTemplate {
  return {
    address: `c/${key}`,
    campaign: 'c',
    key,
    file: source.file,
    source,
    body,
    status: 'valid',
    protect: false,
    fields: {},
    ...over,
  };
}
