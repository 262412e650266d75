// The apply summary's line for a pass batch with failures: how many, why (per result code, with
// what it means), and where the row-by-row list is, so a CI log says it without opening the CSV.
import type { PassBatchOutcome } from '../apply/run-apply.js';
import { displayPath } from '../diagnostics/display-path.js';
import { formatCount } from '../plan/format-values.js';

/** `cwd`: the failures file is shown relative to it when inside it. */
export function describePassFailures(p: PassBatchOutcome, cwd: string): string {
  const codes = Object.entries(p.failureCodes ?? {})
    .sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : 1))
    .map(([code, { count, message }]) => `${code} ×${formatCount(count)} — ${message.replace(/\.$/, '')}`);
  const why = codes.length > 0 ? `: ${codes.join('; ')}` : '';
  const where = p.failuresFile
    ? `\n  every failed row, with what to do: ${displayPath(cwd, p.failuresFile)}`
    : '';
  return `${p.address}: ${formatCount(p.failed)} failed${why}${where}`;
}
