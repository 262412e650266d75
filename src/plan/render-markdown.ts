// The plan as a pull-request comment: a one-line count summary, a table, then collapsed details.
// Never longer than MARKDOWN_LIMIT characters: details go first, then table rows, with a note.
import { formatCount, formatReason, formatSummary, formatValue } from './format-values.js';
import type { Plan } from './plan-types.js';
import { describeAction, describeBatch, SYMBOLS } from './render-text.js';

export const MARKDOWN_LIMIT = 65_000;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

export function renderPlanMarkdown(plan: Plan, limit = MARKDOWN_LIMIT): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const irreversible = plan.changes.filter((c) => c.irreversible).length;
  const head = [
    `**ipass plan** for ${code(plan.environment)}: ${formatSummary(plan.summary)}${irreversible ? ` (${irreversible} irreversible)` : ''}${errors ? ` — **${errors} error${errors === 1 ? '' : 's'}, cannot be applied**` : ''}.`,
    '',
  ];

  const rows: string[] = [];
  const details: string[] = [];
  for (const c of plan.changes) {
    if (c.action === 'noop') continue;
    const currency = typeof c.record?.spec.currencyCode === 'string' ? c.record.spec.currencyCode : undefined;
    const reasons = c.reasons.map((r) => formatReason(r, currency));
    rows.push(
      `| ${SYMBOLS[c.action]} | ${code(c.address)} | ${cell(describeAction(c))} | ${cell(reasons.slice(0, 2).join('; '))}${reasons.length > 2 ? ` (+${reasons.length - 2} more)` : ''} |`,
    );
    details.push(
      [
        `<details><summary>${SYMBOLS[c.action]} ${c.address}: ${describeAction(c)}</summary>`,
        '',
        '```',
        ...reasons,
        '```',
        '',
        '</details>',
      ].join('\n'),
    );
  }
  for (const b of plan.passBatches) {
    if (b.action !== 'issue' && b.removed === 0) continue;
    rows.push(
      `| ${b.action === 'issue' ? '+' : ' '} | ${code(b.address)} | ${cell(describeBatch(b))} | ${formatCount(b.recipients)} recipients |`,
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
        `- ${code(d.address)} ${d.path}: ${cell(formatValue(d.path, d.state))} in state, ${cell(formatValue(d.path, d.remote))} remotely`,
      );
    }
  }
  if (plan.diagnostics.length) {
    tail.push('', '**Problems**', '');
    for (const d of plan.diagnostics) {
      const where = d.position ? `${d.position.file}:${d.position.line}:${d.position.col} ` : '';
      tail.push(
        `- ${d.severity} ${code(d.code)} ${cell(where + d.message)}${d.hint ? ` — ${cell(d.hint)}` : ''}`,
      );
    }
  }

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

  let text = assemble(rows.length, details.length);
  if (text.length <= limit) return text;
  // Drop details from the end, then rows, keeping the summary and the problems.
  let lo = 0;
  let hi = details.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (assemble(rows.length, mid).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  text = assemble(rows.length, lo);
  if (text.length <= limit) return text;
  lo = 0;
  hi = rows.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (assemble(mid, 0).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  text = assemble(lo, 0);
  return text.length <= limit ? text : `${text.slice(0, limit - 2)}…\n`;
}
