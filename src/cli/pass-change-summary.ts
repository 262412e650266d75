// What an apply's updates and closes of issued passes came to, for its closing lines: counts for the
// summary, and per batch what was left alone or refused (as far as AlipayHK says), failed or in doubt.
import type { PassBatchOutcome } from '../apply/run-apply.js';
import { formatCount } from '../plan/format-values.js';
import { describeNotActive } from '../plan/render-pass-life.js';

/** "500 passes updated", "40 passes closed": only the non-zero ones. */
export function passChangeParts(passes: readonly PassBatchOutcome[]): string[] {
  let updated = 0;
  let closed = 0;
  for (const p of passes) {
    updated += p.changes?.updated ?? 0;
    closed += p.changes?.closed ?? 0;
  }
  const parts: string[] = [];
  if (updated > 0) parts.push(`${formatCount(updated)} issued pass${updated === 1 ? '' : 'es'} updated`);
  if (closed > 0) parts.push(`${formatCount(closed)} pass${closed === 1 ? '' : 'es'} closed`);
  return parts;
}

/** One line per batch with passes left alone, refused, failed or in doubt. */
export function passChangeNotes(p: PassBatchOutcome): string[] {
  const c = p.changes;
  if (!c) return [];
  const lines: string[] = [];
  const left = describeNotActive(c.notActive);
  if (left)
    lines.push(
      `${p.address}: not changed, as AlipayHK allows no change to a pass that is not active: ${left}.`,
    );
  if (c.noPassId > 0)
    lines.push(
      `${p.address}: ${formatCount(c.noPassId)} pass(es) not changed: issued through PASS_HAS_EXIST, so their passId is not known.`,
    );
  if (c.failed > 0) {
    const codes = Object.entries(c.failureCodes)
      .map(([code, v]) => `${code} ×${v.count} — ${v.message}`)
      .join('; ');
    lines.push(
      `${p.address}: ${formatCount(c.failed)} update(s) or close(s) failed: ${codes}. The next apply tries them again.`,
    );
  }
  if (c.inDoubt > 0)
    lines.push(
      `${p.address}: ${formatCount(c.inDoubt)} update(s) or close(s) with an unknown outcome (the answer was lost): the next apply sends them again.`,
    );
  return lines;
}
