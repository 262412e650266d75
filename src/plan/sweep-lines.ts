// What a plan that does not read the API says about the last drift sweep (`ipass drift`) recorded
// in the state: when AlipayHK was last read, and what differed then. Pure.
import type { LastSweep } from './plan-types.js';

const SHOWN = 10;

export function sweepLines(sweep: LastSweep, value: (path: string, v: unknown) => string): string[] {
  const n = sweep.drift.length;
  if (n === 0)
    return [`AlipayHK was last read at ${sweep.at} (ipass drift, ${sweep.templates} templates): no drift.`];
  const lines = [
    `AlipayHK was last read at ${sweep.at} (ipass drift, ${sweep.templates} templates): ${n} field${n === 1 ? '' : 's'} differed from the files:`,
  ];
  for (const d of sweep.drift.slice(0, SHOWN))
    lines.push(
      `  ! ${d.address} ${d.path}: the files say ${'files' in d ? value(d.path, d.files) : '(not in the files)'}, AlipayHK had ${value(d.path, d.remote)}`,
    );
  if (n > SHOWN) lines.push(`  … and ${n - SHOWN} more (ipass drift lists them all)`);
  return lines;
}
