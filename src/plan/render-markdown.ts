// The plan as a pull-request comment: a one-line count summary, a line naming the irreversible
// changes, a table (irreversible rows marked), then collapsed details. User text is escaped.
// Never longer than MARKDOWN_LIMIT characters: details go first, then table rows, with a note.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatCount, formatReason, formatSummary, formatValue } from './format-values.js';
import { htmlText, mdBlock, mdCode, mdText } from './markdown-text.js';
import type { Plan, TemplateChange } from './plan-types.js';
import { describeAction, describeBatch, SYMBOLS } from './render-text.js';

export const MARKDOWN_LIMIT = 65_000;

/** Marks an irreversible change: the row's first cell and the line at the top. */
const WARN = '⚠️';
/** Irreversible changes named in the line at the top; the rest are counted. */
const NAMED_AT_TOP = 10;

export function renderPlanMarkdown(plan: Plan, limit = MARKDOWN_LIMIT): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const irreversible = plan.changes.filter((c) => c.irreversible);
  const head = [
    `**ipass plan** for ${mdCode(plan.environment)}: ${formatSummary(plan.summary)}${irreversible.length ? ` (${irreversible.length} irreversible)` : ''}${errors ? ` — **${errors} error${errors === 1 ? '' : 's'}, cannot be applied**` : ''}.`,
    '',
  ];
  if (irreversible.length > 0) head.push(irreversibleLine(irreversible), '');

  const rows: string[] = [];
  const details: string[] = [];
  for (const c of plan.changes) {
    if (c.action === 'noop') continue;
    const currency = typeof c.record?.spec.currencyCode === 'string' ? c.record.spec.currencyCode : undefined;
    const reasons = c.reasons.map((r) => formatReason(r, currency));
    const shown = reasons.slice(0, 2).map(mdText).join('; ');
    const more = reasons.length > 2 ? ` (+${reasons.length - 2} more)` : '';
    const impact = c.customerImpact ? `**${mdText(c.customerImpact.text)}** ` : '';
    const action = mdText(describeAction(c));
    rows.push(
      c.irreversible
        ? `| ${WARN} ${SYMBOLS[c.action]} | ${mdCode(c.address, true)} | **${action}** | ${impact}${shown}${more} |`
        : `| ${SYMBOLS[c.action]} | ${mdCode(c.address, true)} | ${action} | ${impact}${shown}${more} |`,
    );
    details.push(
      [
        `<details><summary>${c.irreversible ? `${WARN} ` : ''}${SYMBOLS[c.action]} ${htmlText(c.address)}: ${htmlText(describeAction(c))}</summary>`,
        '',
        ...(c.customerImpact ? [`> ${mdText(c.customerImpact.text)}`, ''] : []),
        ...mdBlock(reasons),
        '',
        '</details>',
      ].join('\n'),
    );
  }
  for (const b of plan.passBatches) {
    if (b.action !== 'issue' && b.removed === 0) continue;
    rows.push(
      `| ${b.action === 'issue' ? '+' : ' '} | ${mdCode(b.address, true)} | ${mdText(describeBatch(b))} | ${formatCount(b.recipients)} recipients |`,
    );
  }
  const table = rows.length ? ['| | Address | Action | Details |', '|---|---|---|---|'] : [];

  const tail: string[] = [];
  if (plan.drift.length) {
    tail.push(
      '',
      `**Drift** (changed outside ipass): ${plan.drift.length} field${plan.drift.length === 1 ? '' : 's'}`,
      '',
    );
    for (const d of plan.drift) {
      tail.push(
        `- ${mdCode(d.address)} ${mdText(d.path)}: ${mdText(formatValue(d.path, d.state))} in state, ${mdText(formatValue(d.path, d.remote))} remotely`,
      );
    }
  }
  if (plan.diagnostics.length) tail.push('', '**Problems**', '', ...markdownDiagnostics(plan.diagnostics));

  const assemble = (rowCount: number, detailCount: number): string => {
    const omittedRows = rows.length - rowCount;
    const omittedDetails = details.length - detailCount;
    const parts = [...head, ...table, ...rows.slice(0, rowCount)];
    if (omittedRows > 0)
      parts.push(
        `| | … | ${formatCount(omittedRows)} more not shown | run \`ipass plan\` for the full list |`,
      );
    if (detailCount > 0) parts.push('', ...details.slice(0, detailCount));
    if (omittedDetails > 0 && detailCount > 0)
      parts.push(
        '',
        `_Details of ${formatCount(omittedDetails)} more changes are not shown (comment size limit)._`,
      );
    parts.push(...tail);
    return `${parts.join('\n')}\n`;
  };
  return fitMarkdown(assemble, rows.length, details.length, limit);
}

function irreversibleLine(changes: readonly TemplateChange[]): string {
  const named = changes
    .slice(0, NAMED_AT_TOP)
    .map((c) => `${mdCode(c.address)} (${c.action === 'status' ? 'close' : c.action})`);
  const rest = changes.length - named.length;
  const list = `${named.join(', ')}${rest > 0 ? ` and ${formatCount(rest)} more` : ''}`;
  const n = changes.length;
  return `${WARN} **${formatCount(n)} irreversible change${n === 1 ? '' : 's'}:** ${list}. A closed template can never be reopened.`;
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
