// One template of one file → its desired state: `defaults` merged under it, completeness checked,
// dates in epoch ms, the createTemplate body in canonical key order. Pure.
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import type { JsonPath } from '../diagnostics/yaml-source.js';
import { checkCompleteTemplate } from './campaign-schema.js';
import { canonicalMerge, hasPath, isPlainObject, type PlainObject } from './canonical.js';
import { endTooLateDiagnostic, epochSecondsDiagnostic } from './date-rules.js';
import { formatHongKongTime, parseDateValue } from './dates.js';
import { priceDiagnostics } from './price-rules.js';
import type { DesiredTemplate, TemplateBody, TemplateStatus } from './types.js';

/** A template as read from its file, valid or not: enough for the cross-file checks. */
export interface ParsedTemplate {
  address: string;
  campaign: string;
  key: string;
  file: string;
  source: SourcePosition;
  /** The desired state; undefined when the template (or the defaults under it) has errors. */
  desired: DesiredTemplate | undefined;
  /** type and product after the merge, when they are text (also for templates with errors). */
  type: string | undefined;
  product: string | undefined;
  /** startDate in epoch ms and where it is written, when it is a valid date. */
  start: { ms: number; position: SourcePosition } | undefined;
}

export interface TemplateInput {
  campaign: string;
  key: string;
  file: string;
  /** The whole document as plain data. */
  document: PlainObject;
  /** Whether the document has a `defaults` field (then the merged template is checked here). */
  hasDefaults: boolean;
  locate: (path: JsonPath, at?: 'key' | 'value') => SourcePosition;
  /** Where each key of the template, and of `defaults`, is written. */
  ownKeys: ReadonlyMap<string, SourcePosition>;
  defaultsKeys: ReadonlyMap<string, SourcePosition>;
  /** Whether the file-level schema check found an error under this path. */
  hasErrorUnder: (path: JsonPath) => boolean;
}

const CAMPAIGN_ONLY = new Set(['status', 'protect']);

export function normalizeTemplate(input: TemplateInput): {
  template: ParsedTemplate;
  diagnostics: Diagnostic[];
} {
  const { key, document } = input;
  const own: JsonPath = ['templates', key];
  const spec = (document.templates as PlainObject)[key];
  const defaults = isPlainObject(document.defaults) ? document.defaults : undefined;
  // A fresh copy with sorted keys: checked here, then it becomes the body.
  const merged = isPlainObject(spec) ? (canonicalMerge(defaults, spec) as PlainObject) : spec;
  // A merged field is written in the template or, failing that, in `defaults`.
  const place = (inner: JsonPath): JsonPath => {
    const mine: JsonPath = [...own, ...inner];
    if (inner.length === 0 || hasPath(document, mine)) return mine;
    const inDefaults: JsonPath = ['defaults', ...inner];
    return defaults !== undefined && hasPath(document, inDefaults) ? inDefaults : mine;
  };
  const template: ParsedTemplate = {
    address: `${input.campaign}/${key}`,
    campaign: input.campaign,
    key,
    file: input.file,
    source: input.locate(own, 'key'),
    desired: undefined,
    type: undefined,
    product: undefined,
    start: undefined,
  };
  if (!isPlainObject(merged)) return { template, diagnostics: [] };
  template.type = typeof merged.type === 'string' ? merged.type : undefined;
  template.product = typeof merged.product === 'string' ? merged.product : undefined;

  const diagnostics = input.hasDefaults ? checkCompleteTemplate(merged, place, input.locate) : [];
  const fieldAt = (field: string): SourcePosition =>
    input.ownKeys.get(field) ?? input.defaultsKeys.get(field) ?? template.source;

  const dates = readDates(merged, place, input.locate, diagnostics);
  if (dates.startDate !== undefined) template.start = { ms: dates.startDate, position: fieldAt('startDate') };
  diagnostics.push(...dateOrder(key, dates, fieldAt));
  diagnostics.push(
    ...priceDiagnostics({
      owner: `template ${key}`,
      merged,
      at: (field) => {
        const where = place([field]);
        return { position: input.locate(where, 'value'), path: `/${where.join('/')}` };
      },
      wrong: (field) =>
        input.hasErrorUnder(place([field])) ||
        diagnostics.some((d) => d.path === `/${place([field]).join('/')}`),
    }),
  );

  const failed =
    diagnostics.some((d) => d.severity === 'error') ||
    input.hasErrorUnder(own) ||
    (defaults !== undefined && input.hasErrorUnder(['defaults']));
  if (failed || dates.startDate === undefined || dates.endDate === undefined)
    return { template, diagnostics };

  template.desired = desiredOf(
    input,
    template,
    merged,
    { startDate: dates.startDate, endDate: dates.endDate },
    fieldAt,
  );
  return { template, diagnostics };
}

type Dates = Record<'startDate' | 'endDate', number | undefined>;

/** The template's dates as epoch ms; a date in seconds or not on the calendar is reported instead. */
function readDates(
  merged: PlainObject,
  place: (inner: JsonPath) => JsonPath,
  locate: TemplateInput['locate'],
  diagnostics: Diagnostic[],
): Dates {
  const dates: Dates = {
    startDate: undefined,
    endDate: undefined,
  };
  for (const field of ['startDate', 'endDate'] as const) {
    if (!(field in merged)) continue;
    const parsed = parseDateValue(merged[field]);
    const where = place([field]);
    const seconds = epochSecondsDiagnostic(
      field,
      merged[field],
      locate(where, 'value'),
      `/${where.join('/')}`,
    );
    // One cause, one report: a seconds value is not also "in the past" or "after the end".
    if (seconds) diagnostics.push(seconds);
    else if (parsed.ok) dates[field] = parsed.ms;
    else if (parsed.reason === 'calendar') {
      // The schema accepted its shape; only the calendar is wrong (30 February, 24:00, …).
      diagnostics.push({
        severity: 'error',
        code: 'DATE_INVALID',
        message: `\`${field}\` "${String(merged[field])}" is not a real date and time.`,
        hint: 'Check the day of the month (30 February does not exist), hours 00–23 and minutes 00–59.',
        position: locate(place([field]), 'value'),
        path: `/${place([field]).join('/')}`,
      });
    }
  }
  return dates;
}

/** The start must come before the end, and the end not too long after it. */
function dateOrder(key: string, dates: Dates, fieldAt: (field: string) => SourcePosition): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (dates.startDate !== undefined && dates.endDate !== undefined && dates.startDate >= dates.endDate) {
    diagnostics.push({
      severity: 'error',
      code: 'TEMPLATE_START_AFTER_END',
      message: `Template ${key} starts ${formatHongKongTime(dates.startDate)}, which is not before its end ${formatHongKongTime(dates.endDate)}.`,
      hint: 'Make startDate earlier than endDate (check the year and the month).',
      position: fieldAt('startDate'),
      path: `/templates/${key}/startDate`,
    });
  } else if (dates.startDate !== undefined && dates.endDate !== undefined) {
    const late = endTooLateDiagnostic(
      key,
      dates.startDate,
      dates.endDate,
      fieldAt('endDate'),
      `/templates/${key}/endDate`,
    );
    if (late) diagnostics.push(late);
  }

  return diagnostics;
}

/** The desired template: the body as the API receives it, with the dates as epoch ms. */
function desiredOf(
  input: TemplateInput,
  template: ParsedTemplate,
  merged: PlainObject,
  dates: { startDate: number; endDate: number },
  fieldAt: (field: string) => SourcePosition,
): DesiredTemplate {
  // `merged` already has sorted keys; replacing the dates keeps the order.
  const body: PlainObject = {};
  const fields: Record<string, SourcePosition> = {};
  for (const [field, value] of Object.entries(merged)) {
    fields[field] = fieldAt(field);
    if (!CAMPAIGN_ONLY.has(field)) body[field] = value;
  }
  body.startDate = dates.startDate;
  body.endDate = dates.endDate;
  return {
    address: template.address,
    campaign: input.campaign,
    key: template.key,
    file: input.file,
    source: template.source,
    body: body as TemplateBody,
    status: (merged.status as TemplateStatus | undefined) ?? 'valid',
    protect: (merged.protect as boolean | undefined) ?? false,
    fields,
  };
}
