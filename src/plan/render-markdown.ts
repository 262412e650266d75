// The plan as a pull-request comment, read at a glance: a one-line count summary, then one table with
// one row per change (irreversible rows first, marked): address, action (no template codes), and what
// changes — a create says what it will be (type, names, prices, stock, dates). Values too long for a
// cell are shortened there and shown in full in collapsed details below the table. User text is
// escaped. Never longer than MARKDOWN_LIMIT characters: details go first, then table rows, with a note.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { createFacts } from './change-facts.js';
import { formatCount, formatReason, formatSummary, formatValue } from './format-values.js';
import { htmlText, mdBlock, mdCode, mdText } from './markdown-text.js';
import type { PassBatchChange, Plan, Reason, TemplateChange } from './plan-types.js';
import { type PassLifeLine, passLifeLines } from './render-pass-life.js';
import { describeBatch, SYMBOLS } from './render-text.js';
import { sweepLines } from './sweep-lines.js';

export const MARKDOWN_LIMIT = 65_000;

/** Marks an irreversible change: the row's first cell. */
const WARN = '⚠️';
/** Reasons shown in a row; the rest are listed in the row's details. */
const REASONS_IN_ROW = 6;
/** A value longer than this (as text) is shortened in the row and shown in full in its details. */
const LONG_VALUE = 60;
/** What a create's row says in its own words; its other reasons are listed after. */
const CREATE_FACTS = new Set([
  'type',
  'name',
  'currentAmountCent',
  'originalAmountCent',
  'stock',
  'startDate',
  'endDate',
]);

interface Row {
  irreversible: boolean;
  line: string;
  /** Collapsed details for this row's long values (or its reasons beyond REASONS_IN_ROW). */
  details?: string;
}

export function renderPlanMarkdown(plan: Plan, limit = MARKDOWN_LIMIT): string {
  const rows: Row[] = [];
  for (const c of plan.changes) {
    const protectOnly = c.action === 'noop' && c.reasons.some((r) => r.path === 'protect');
    if (c.action !== 'noop' || protectOnly) rows.push(templateRow(c, protectOnly));
  }
  for (const b of plan.passBatches) {
    if (b.action === 'issue' || b.removed > 0 || b.heldBack) rows.push(batchRow(b));
    for (const l of passLifeLines(b)) rows.push(passLifeRow(b, l));
  }
  // Irreversible rows first; otherwise the plan's order (templates by address, then pass batches).
  const ordered = [...rows.filter((r) => r.irreversible), ...rows.filter((r) => !r.irreversible)];
  const lines = ordered.map((r) => r.line);
  const details = ordered.flatMap((r) => (r.details ? [r.details] : []));
  const head = [headline(plan), ''];
  const table = lines.length ? ['| | Address | Action | What changes |', '|---|---|---|---|'] : [];
  const tail = [...overrides(plan), ...drift(plan)];
  if (plan.diagnostics.length) tail.push('', '**Problems**', '', ...markdownDiagnostics(plan.diagnostics));

  const assemble = (rowCount: number, detailCount: number): string => {
    const omittedRows = lines.length - rowCount;
    const omittedDetails = details.length - detailCount;
    const parts = [...head, ...table, ...lines.slice(0, rowCount)];
    if (omittedRows > 0)
      parts.push(
        `| | … | ${formatCount(omittedRows)} more not shown | run \`ipass plan\` for the full list |`,
      );
    if (detailCount > 0) parts.push('', ...details.slice(0, detailCount));
    if (omittedDetails > 0 && rowCount > 0)
      parts.push(
        '',
        `_${formatCount(omittedDetails)} more long values are not shown in full (comment size limit)._`,
      );
    parts.push(...tail);
    return `${parts.join('\n')}\n`;
  };
  return fitMarkdown(assemble, lines.length, details.length, limit);
}

/** "**ipass plan** for `production`: 2 to create, 1 to close (1 irreversible)." — never "no changes" with errors. */
function headline(plan: Plan): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const irreversible = plan.changes.filter((c) => c.irreversible).length;
  const summary = formatSummary(plan.summary);
  const counts = `${summary}${irreversible ? ` (${WARN} ${irreversible} irreversible)` : ''}`;
  const problems = `**${formatCount(errors)} error${errors === 1 ? '' : 's'}, so it cannot be applied**`;
  const text = errors === 0 ? counts : summary === 'no changes' ? problems : `${counts} — ${problems}`;
  return `**ipass plan** for ${mdCode(plan.environment)}: ${text}.`;
}

function templateRow(c: TemplateChange, protectOnly: boolean): Row {
  const currency = typeof c.record?.spec.currencyCode === 'string' ? c.record.spec.currencyCode : undefined;
  const word = protectOnly ? 'protect' : c.action === 'move' ? `move from ${c.movedFrom ?? '?'}` : c.action;
  const action = c.irreversible ? `**${mdText(word)} (irreversible)**` : mdText(word);
  const facts = createFacts(c);
  const shown = facts
    ? createCell(c, facts, currency)
    : c.reasons.map((r) => mdText(formatReason(r, currency)));
  const rest = facts ? [] : shown.slice(REASONS_IN_ROW);
  const cell = [
    ...(c.customerImpact ? [`**${mdText(c.customerImpact.text)}**`] : []),
    ...shown.slice(0, REASONS_IN_ROW),
    ...(rest.length ? [`(+${rest.length} more below)`] : []),
  ].join('; ');
  const symbol = SYMBOLS[c.action];
  const line = `| ${c.irreversible ? `${WARN} ${symbol}` : symbol} | ${mdCode(c.address, true)} | ${action} | ${cell} |`;
  const long = c.reasons.filter(isLong);
  const listed = rest.length ? c.reasons.slice(REASONS_IN_ROW) : [];
  const details = [...new Set([...listed, ...long])];
  return {
    irreversible: c.irreversible,
    line,
    ...(details.length ? { details: detailsOf(c.address, details, currency) } : {}),
  };
}

/** A create: type and names, then price, original price, stock and dates on one line; other reasons after. */
function createCell(c: TemplateChange, facts: string, currency: string | undefined): string[] {
  const note = (path: string) => c.reasons.find((r) => r.path === path)?.note;
  const type = note('type');
  const names = note('name');
  return [
    [type, names, facts]
      .filter((s): s is string => s !== undefined)
      .map(mdText)
      .join(' · '),
    ...c.reasons.filter((r) => !CREATE_FACTS.has(r.path)).map((r) => mdText(formatReason(r, currency))),
  ];
}

function batchRow(b: PassBatchChange): Row {
  const symbol = b.action === 'issue' ? '+' : ' ';
  const what = `${describeBatch(b)}; ${formatCount(b.recipients)} recipients`;
  return {
    irreversible: false,
    line: `| ${symbol} | ${mdCode(b.address, true)} | ${b.action === 'issue' ? 'issue' : 'unchanged'} | ${mdText(what)} |`,
  };
}

/** An update or close of passes already issued: the headline, then its details in the cell. */
function passLifeRow(b: PassBatchChange, l: PassLifeLine): Row {
  const action = l.symbol === '-' ? (l.irreversible ? '**close (irreversible)**' : 'close') : 'update passes';
  const symbol = l.irreversible ? `${WARN} ${l.symbol}` : l.symbol;
  const what = [l.text, ...l.details.map((d) => d.replace(/^! /, ''))].map(mdText).join(' · ');
  return {
    irreversible: l.irreversible,
    line: `| ${symbol} | ${mdCode(b.address, true)} | ${action} | ${what} |`,
  };
}

/** A before or after value whose text is longer than a cell shows. */
function isLong(r: Reason): boolean {
  const text = (v: unknown): number =>
    v === undefined ? 0 : typeof v === 'string' ? [...v].length : JSON.stringify(v).length;
  return text(r.before) > LONG_VALUE || text(r.after) > LONG_VALUE;
}

/** The full values of one change's long fields, collapsed. */
function detailsOf(address: string, reasons: readonly Reason[], currency: string | undefined): string {
  const lines: string[] = [];
  for (const r of reasons) {
    if (!isLong(r)) {
      lines.push(formatReason(r, currency));
      continue;
    }
    lines.push(`${r.path}:`);
    if ('before' in r) lines.push(`  before: ${full(r.path, r.before, currency)}`);
    if ('after' in r) lines.push(`  after:  ${full(r.path, r.after, currency)}`);
  }
  return [
    `<details><summary>${htmlText(address)}: ${htmlText(reasons.map((r) => r.path).join(', '))}</summary>`,
    '',
    ...mdBlock(lines),
    '',
    '</details>',
  ].join('\n');
}

/** A value in full (text as written, one line; other values as JSON). */
function full(path: string, value: unknown, currency: string | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return formatValue(path, value, currency);
}

function overrides(plan: Plan): string[] {
  const list = plan.policyOverrides ?? [];
  if (list.length === 0) return [];
  return [
    '',
    `${WARN} **Policy overridden on purpose** (--allow-policy):`,
    '',
    ...list.map((o) => `- ${mdCode(o.rule)}: ${mdText(o.message)}`),
  ];
}

function drift(plan: Plan): string[] {
  if (plan.drift.length === 0) {
    if (plan.refreshed || !plan.lastSweep) return [];
    const [head = '', ...items] = sweepLines(plan.lastSweep, formatValue);
    return ['', mdText(head), ...(items.length ? [''] : []), ...items.map((l) => `- ${mdText(l.trim())}`)];
  }
  const n = plan.drift.length;
  return [
    '',
    `**Drift** (changed outside ipass): ${n} field${n === 1 ? '' : 's'}`,
    '',
    ...plan.drift.map(
      (d) =>
        `- ${mdCode(d.address)} ${mdText(d.path)}: ${mdText(formatValue(d.path, d.state))} in state, ${mdText(formatValue(d.path, d.remote))} remotely`,
    ),
  ];
}

/** One list item per diagnostic: severity, code, place, message and hint, escaped. */
export function markdownDiagnostics(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const where = d.position ? `${d.position.file}:${d.position.line}:${d.position.col}: ` : '';
    return `- ${d.severity} ${mdCode(d.code)} ${mdText(where + d.message)}${d.hint ? ` — ${mdText(d.hint)}` : ''}`;
  });
}

/** The longest document within `limit`: drop details from the end, then table rows. */
export function fitMarkdown(
  assemble: (rows: number, details: number) => string,
  rowCount: number,
  detailCount: number,
  limit: number,
): string {
  let text = assemble(rowCount, detailCount);
  if (text.length <= limit) return text;
  let lo = 0;
  let hi = detailCount;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (assemble(rowCount, mid).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  text = assemble(rowCount, lo);
  if (text.length <= limit) return text;
  lo = 0;
  hi = rowCount;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (assemble(mid, 0).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  text = assemble(lo, 0);
  return text.length <= limit ? text : `${text.slice(0, limit - 2)}…\n`;
}
