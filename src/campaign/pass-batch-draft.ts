// One pass batch of one file, read as far as its own file allows: template reference, recipients path,
// dates, {{column}} placeholders. The cross-file checks finish it (see resolve-campaign-set.ts). Pure.
import { resolve } from 'node:path';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { displayPath } from '../diagnostics/display-path.js';
import type { JsonPath } from '../diagnostics/yaml-source.js';
import { findPlaceholders } from '../passes/placeholders.js';
import { canonical, isPlainObject, type PlainObject } from './canonical.js';
import { epochSecondsDiagnostic } from './date-rules.js';
import { formatHongKongTime, parseDateValue } from './dates.js';
import type { PassTemplateRef } from './types.js';

export interface Placeholder {
  name: string;
  /** The batch field it is in: codeInfo, dataInfo or extInfo. */
  field: string;
  position: SourcePosition;
}

export interface PassBatchDraft {
  address: string;
  campaign: string;
  key: string;
  file: string;
  source: SourcePosition;
  /** undefined when neither or both of `template`/`templateCode` are given. */
  template: PassTemplateRef | undefined;
  /** type/product as written (they may be inherited from the template later). */
  type: string | undefined;
  product: string | undefined;
  /** Absolute recipients path and how it is displayed; undefined when not written as text. */
  recipients: string | undefined;
  recipientsDisplay: string;
  /** `revoked:`: every pass (`all`), or a recipients file (absolute path and how it is displayed). */
  revoked: Revoked | undefined;
  codeInfo: Record<string, string>;
  dataInfo: Record<string, Record<string, string>> | undefined;
  extInfo: Record<string, unknown> | undefined;
  publishScene: string | undefined;
  startDate: number | undefined;
  endDate: number | undefined;
  fields: Record<string, SourcePosition>;
  placeholders: Placeholder[];
  /** No error found in this batch so far. */
  ok: boolean;
}

export type Revoked = { all: true } | { path: string; display: string };

export interface PassBatchInput {
  campaign: string;
  key: string;
  /** Display path of the campaign file, its absolute folder, and the project root (display base). */
  file: string;
  dir: string;
  cwd: string;
  raw: unknown;
  locate: (path: JsonPath, at?: 'key' | 'value') => SourcePosition;
  hasErrorUnder: (path: JsonPath) => boolean;
}

export function draftPassBatch(input: PassBatchInput): { batch: PassBatchDraft; diagnostics: Diagnostic[] } {
  const { key, locate } = input;
  const own: JsonPath = ['passes', key];
  const raw: PlainObject = isPlainObject(input.raw) ? input.raw : {};
  const diagnostics: Diagnostic[] = [];
  const fields: Record<string, SourcePosition> = {};
  for (const field of Object.keys(raw)) fields[field] = locate([...own, field], 'key');
  const source = locate(own, 'key');

  const template = templateRef(input, raw, fields, source, diagnostics);
  const dates = batchDates(input, raw, fields, source, diagnostics);

  const recipientsText = textOf(raw.recipients);
  const recipients = recipientsText === undefined ? undefined : resolve(input.dir, recipientsText);
  const recipientsDisplay = recipients === undefined ? '' : displayPath(input.cwd, recipients);

  const revokedText = textOf(raw.revoked);
  const revokedPath =
    revokedText === undefined || revokedText === 'all' ? undefined : resolve(input.dir, revokedText);
  const revoked: Revoked | undefined =
    revokedText === 'all'
      ? { all: true }
      : revokedPath === undefined
        ? undefined
        : { path: revokedPath, display: displayPath(input.cwd, revokedPath) };

  const placeholders: Placeholder[] = [];
  for (const field of ['codeInfo', 'dataInfo', 'extInfo']) {
    collectPlaceholders(raw[field], [...own, field], locate, placeholders);
  }

  const batch: PassBatchDraft = {
    address: `${input.campaign}/${key}`,
    campaign: input.campaign,
    key,
    file: input.file,
    source,
    template,
    type: textOf(raw.type),
    product: textOf(raw.product),
    recipients,
    recipientsDisplay,
    revoked,
    codeInfo: (isPlainObject(raw.codeInfo) ? canonical(raw.codeInfo) : {}) as Record<string, string>,
    dataInfo: isPlainObject(raw.dataInfo)
      ? (canonical(raw.dataInfo) as Record<string, Record<string, string>>)
      : undefined,
    extInfo: isPlainObject(raw.extInfo) ? (canonical(raw.extInfo) as Record<string, unknown>) : undefined,
    publishScene: textOf(raw.publishScene),
    startDate: dates.startDate,
    endDate: dates.endDate,
    fields,
    placeholders,
    ok: diagnostics.length === 0 && !input.hasErrorUnder(own) && isPlainObject(input.raw),
  };
  return { batch, diagnostics };
}

/** Which template the passes come from: `template` (a key or address) or `templateCode`, not both. */
function templateRef(
  input: PassBatchInput,
  raw: PlainObject,
  fields: Record<string, SourcePosition>,
  source: SourcePosition,
  diagnostics: Diagnostic[],
): PassTemplateRef | undefined {
  const { key } = input;
  const own: JsonPath = ['passes', key];
  let template: PassTemplateRef | undefined;
  const ref = textOf(raw.template);
  const code = textOf(raw.templateCode);
  if (ref !== undefined && code !== undefined) {
    diagnostics.push({
      severity: 'error',
      code: 'PASS_TEMPLATE_REF_CONFLICT',
      message: `Pass batch ${key} names both \`template\` and \`templateCode\`.`,
      hint: 'Keep `template` for a template in your campaign files, or `templateCode` for one ipass does not manage.',
      position: fields.templateCode ?? source,
      path: `/passes/${key}/templateCode`,
    });
  } else if (ref !== undefined) {
    // A reference the schema already refused is not looked up (that would only repeat the problem).
    if (!input.hasErrorUnder([...own, 'template'])) {
      template = { address: ref.includes('/') ? ref : `${input.campaign}/${ref}` };
    }
  } else if (code !== undefined) {
    template = { templateCode: code };
  } else if (isPlainObject(input.raw) && !('template' in raw) && !('templateCode' in raw)) {
    diagnostics.push({
      severity: 'error',
      code: 'PASS_TEMPLATE_REF_MISSING',
      message: `Pass batch ${key} does not say which template its passes come from.`,
      hint: 'Add `template: <template key>` (or "campaign/key"), or `templateCode: <code>` for a template ipass does not manage.',
      position: source,
      path: `/passes/${key}`,
    });
  }

  return template;
}

/** The batch's own dates, if it gives them, as epoch ms; the start must come before the end. */
function batchDates(
  input: PassBatchInput,
  raw: PlainObject,
  fields: Record<string, SourcePosition>,
  source: SourcePosition,
  diagnostics: Diagnostic[],
): Record<'startDate' | 'endDate', number | undefined> {
  const { key, locate } = input;
  const own: JsonPath = ['passes', key];
  const dates: Record<'startDate' | 'endDate', number | undefined> = {
    startDate: undefined,
    endDate: undefined,
  };
  for (const field of ['startDate', 'endDate'] as const) {
    if (!(field in raw)) continue;
    const parsed = parseDateValue(raw[field]);
    const seconds = epochSecondsDiagnostic(
      field,
      raw[field],
      locate([...own, field], 'value'),
      `/passes/${key}/${field}`,
    );
    if (seconds) diagnostics.push(seconds);
    else if (parsed.ok) dates[field] = parsed.ms;
    else if (parsed.reason === 'calendar') {
      diagnostics.push({
        severity: 'error',
        code: 'DATE_INVALID',
        message: `\`${field}\` "${String(raw[field])}" is not a real date and time.`,
        hint: 'Check the day of the month (30 February does not exist), hours 00–23 and minutes 00–59.',
        position: locate([...own, field], 'value'),
        path: `/passes/${key}/${field}`,
      });
    }
  }
  if (dates.startDate !== undefined && dates.endDate !== undefined && dates.startDate >= dates.endDate) {
    diagnostics.push({
      severity: 'error',
      code: 'PASS_START_AFTER_END',
      message: `Pass batch ${key} starts ${formatHongKongTime(dates.startDate)}, which is not before its end ${formatHongKongTime(dates.endDate)}.`,
      hint: 'Make startDate earlier than endDate, or leave both out to use the template’s dates.',
      position: fields.startDate ?? source,
      path: `/passes/${key}/startDate`,
    });
  }

  return dates;
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function collectPlaceholders(
  value: unknown,
  path: JsonPath,
  locate: PassBatchInput['locate'],
  out: Placeholder[],
): void {
  if (typeof value === 'string') {
    for (const m of findPlaceholders(value)) {
      out.push({ name: m.name, field: String(path[2]), position: locate(path, 'value') });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      collectPlaceholders(item, [...path, i], locate, out);
    });
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) collectPlaceholders(v, [...path, k], locate, out);
  }
}
