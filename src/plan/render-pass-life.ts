// How a plan shows the passes a batch already issued changing: `~ update N issued passes of C/B`
// with the fields that change and one example pass, and `- close N passes of C/B (irreversible …)`
// with what customers see. Shared by the text, markdown and GitHub renderers (pure).
import { escapeControl } from '../diagnostics/terminal-text.js';
import { formatCount, formatReason, formatValue } from './format-values.js';
import type { PassBatchChange, PassesNotActive, PassSampleContent } from './plan-types.js';

export interface PassLifeLine {
  symbol: '~' | '-';
  /** The headline ("update 500 issued passes of c/b"). */
  text: string;
  /** Lines under it: fields, the example pass, skipped passes, customer impact. */
  details: string[];
  irreversible: boolean;
}

export const CLOSE_IMPACT = "irreversible: they disappear from customers' wallets";

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

/** "10 used by customers, 2 closed already" — only the non-zero counts. */
export function describeNotActive(n: PassesNotActive): string {
  const parts: string[] = [];
  if (n.used > 0) parts.push(`${formatCount(n.used)} used by customers`);
  if (n.closed > 0) parts.push(`${formatCount(n.closed)} closed already`);
  if (n.closedOrUsed > 0)
    parts.push(
      `${formatCount(n.closedOrUsed)} closed, or used by the customer first (AlipayHK does not say which)`,
    );
  if (n.notActive > 0)
    parts.push(`${formatCount(n.notActive)} no longer active (closed or refunded outside ipass)`);
  return parts.join(', ');
}

const sample = (s: PassSampleContent | undefined): string => {
  if (!s) return '(not recorded in full: only a hash of it is kept)';
  const parts: string[] = [];
  if (s.dataInfo !== undefined) parts.push(`dataInfo ${formatValue('dataInfo', s.dataInfo)}`);
  if (s.endDate !== undefined) parts.push(`endDate ${formatValue('endDate', s.endDate)}`);
  return parts.join(', ') || '(nothing)';
};

export function passLifeLines(b: PassBatchChange): PassLifeLine[] {
  const out: PassLifeLine[] = [];
  const u = b.update;
  if (u && (u.count > 0 || describeNotActive(u.skipped) !== '')) {
    const kinds: string[] = [];
    if (u.dataInfo > 0) kinds.push(`dataInfo of ${formatCount(u.dataInfo)}`);
    if (u.validity > 0) kinds.push(`end date of ${formatCount(u.validity)}`);
    const details = u.fields.map((f) => formatReason({ path: f.path, before: f.before, after: f.after }));
    if (u.example)
      details.push(
        `example: line ${u.example.line}, ${escapeControl(u.example.user)}: ${sample(u.example.before)} → ${sample(u.example.after)}`,
      );
    if (u.inDoubt > 0) details.push(`${plural(u.inDoubt, 'update')} with an unknown outcome, sent again`);
    const skipped = describeNotActive(u.skipped);
    if (skipped) details.push(`not updated: ${skipped}`);
    if (u.contentUnknown > 0)
      details.push(
        `${plural(u.contentUnknown, 'pass', 'passes')} issued before ipass recorded content: not updated`,
      );
    out.push({
      symbol: '~',
      text: `update ${plural(u.count, 'issued pass', 'issued passes')} of ${b.address}${kinds.length ? ` (${kinds.join('; ')})` : ''}`,
      details,
      irreversible: false,
    });
  }
  const c = b.close;
  if (c) {
    const details: string[] = [];
    if (c.count > 0)
      details.push(
        `! ${plural(c.count, 'customer')} lose${c.count === 1 ? 's' : ''} this pass from their wallet; it cannot be given back (a new batch issues new passes)`,
      );
    details.push(`revoked: ${escapeControl(c.source)}`);
    if (c.inDoubt > 0) details.push(`${plural(c.inDoubt, 'close')} with an unknown outcome, sent again`);
    const already = describeNotActive(c.already);
    if (already) details.push(`nothing sent for: ${already}`);
    if (c.neverIssued > 0)
      details.push(`${plural(c.neverIssued, 'revoked recipient')} never issued a pass: nothing to close`);
    out.push({
      symbol: '-',
      text: `close ${plural(c.count, 'pass', 'passes')} of ${b.address} (${CLOSE_IMPACT})`,
      details,
      irreversible: c.count > 0,
    });
  }
  return out;
}

/** Passes to update and to close across the plan's batches. */
export function passLifeCounts(batches: readonly PassBatchChange[]): { updates: number; closes: number } {
  let updates = 0;
  let closes = 0;
  for (const b of batches) {
    updates += b.update?.count ?? 0;
    closes += b.close?.count ?? 0;
  }
  return { updates, closes };
}
