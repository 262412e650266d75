// How `ipass state list` and `ipass state show` print what the state holds: templates and pass
// batches, dates in Hong Kong time for people; raw values (epoch milliseconds) for --format json.
import { displayHongKongTime, formatCount } from '../plan/format-values.js';
import { stableStringify, type TemplateState } from '../state/state-format.js';
import type { PassBatchStatus } from './pass-batch-status.js';

const DATE_FIELDS = new Set(['startDate', 'endDate']);

export function templateRow(address: string, t: TemplateState) {
  return {
    kind: 'template' as const,
    address,
    templateCode: t.templateCode,
    status: t.status,
    stock: t.stock,
    protect: t.protect,
    imported: t.imported ?? false,
    superseded: t.superseded,
    file: t.file ?? null,
  };
}

export function batchRow(b: PassBatchStatus) {
  return { kind: 'passBatch' as const, ...b };
}

/** `ipass state list` as text: the templates, then the pass batches, then a count line. */
export function listText(
  templates: readonly [string, TemplateState][],
  batches: readonly PassBatchStatus[],
  footer: string,
): string[] {
  const lines: string[] = [];
  if (templates.length > 0) {
    const width = Math.max(...templates.map(([a]) => a.length), 7);
    lines.push(
      `${'ADDRESS'.padEnd(width)}  ${'TEMPLATE CODE'.padEnd(32)}  ${'STATUS'.padEnd(7)}  ${'STOCK'.padStart(9)}  ENDS`,
    );
    for (const [address, t] of templates) {
      const end = typeof t.spec.endDate === 'number' ? displayHongKongTime(t.spec.endDate) : '';
      lines.push(
        `${address.padEnd(width)}  ${t.templateCode.padEnd(32)}  ${t.status.padEnd(7)}  ${formatCount(t.stock).padStart(9)}  ${end}${t.protect ? '  (protected)' : ''}`,
      );
    }
  }
  if (batches.length > 0) {
    if (lines.length > 0) lines.push('');
    const width = Math.max(...batches.map((b) => b.address.length), 10);
    const template = (b: PassBatchStatus): string => b.templateAddress ?? b.templateCode;
    const twidth = Math.max(...batches.map((b) => template(b).length), 8);
    lines.push(
      `${'PASS BATCH'.padEnd(width)}  ${'TEMPLATE'.padEnd(twidth)}  ${'ISSUED'.padStart(9)}  ${'FAILED'.padStart(7)}  ${'IN DOUBT'.padStart(8)}`,
    );
    for (const b of batches) {
      lines.push(
        `${b.address.padEnd(width)}  ${template(b).padEnd(twidth)}  ${formatCount(b.issued).padStart(9)}  ${formatCount(b.failed).padStart(7)}  ${formatCount(b.inDoubt).padStart(8)}`,
      );
    }
  }
  lines.push('', footer);
  return lines;
}

/** `ipass state show ADDRESS` of a template, with the applied content's dates in Hong Kong time. */
export function templateText(address: string, t: TemplateState): string[] {
  const lines = [
    address,
    `  templateCode ${t.templateCode}`,
    `  status       ${t.status}`,
    `  stock        ${formatCount(t.stock)}`,
    `  protect      ${t.protect}`,
  ];
  if (t.file) lines.push(`  file         ${t.file} (where it was last applied from)`);
  for (const s of t.superseded)
    lines.push(`  replaced     ${s.templateCode} (${s.closed ? 'closed' : 'not closed yet'})`);
  lines.push('  spec (dates in Hong Kong time):');
  const shown: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t.spec))
    shown[k] = DATE_FIELDS.has(k) && typeof v === 'number' ? displayHongKongTime(v) : v;
  for (const line of stableStringify(shown).trimEnd().split('\n')) lines.push(`    ${line}`);
  return lines;
}

/** `ipass state show ADDRESS` of a pass batch. */
export function batchText(b: PassBatchStatus): string[] {
  return [
    `${b.address} (pass batch)`,
    `  template     ${b.templateAddress ? `${b.templateAddress} (${b.templateCode})` : b.templateCode}`,
    `  issued       ${formatCount(b.issued)}`,
    `  failed       ${formatCount(b.failed)}${b.failuresFile ? ` (latest failures: ${b.failuresFile})` : ''}`,
    `  in doubt     ${formatCount(b.inDoubt)}${b.inDoubt > 0 ? ' (the next apply sends them again with the same bizSerialId)' : ''}`,
    ...lifeLines(b),
    `  ledger       ${b.ledger}`,
  ];
}

const LIFE_TEXT: Record<string, string> = {
  'update-in-doubt': 'update in doubt (the next apply sends it again)',
  'close-in-doubt': 'close in doubt (the next apply sends it again)',
  closed: 'closed',
  used: 'used by customers (as AlipayHK said when a change was refused)',
  'closed-or-used': 'closed, or used by the customer first (AlipayHK does not say which)',
  'not-active': 'not active (closed or refunded outside ipass)',
};

/** What became of the issued passes, when anything did: one line per status. */
function lifeLines(b: PassBatchStatus): string[] {
  const lines: string[] = [];
  for (const [word, text] of Object.entries(LIFE_TEXT)) {
    const n = b.passes[word as keyof PassBatchStatus['passes']] ?? 0;
    if (n > 0) lines.push(`    ${formatCount(n).padEnd(8)} ${text}`);
  }
  return lines.length ? ['  of the issued passes:', ...lines] : [];
}
