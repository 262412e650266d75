// Apply progress. On a TTY: a listr2 task list (task-list-reporter.ts). Elsewhere (CI, pipes): plain
// lines, one per finished change and one per pass batch every few seconds, no animation.
import type { ChangeOutcome } from '../apply/outcomes.js';
import { formatCount } from '../plan/format-values.js';
import type { TemplateChange } from '../plan/plan-types.js';
import { describeAction, SYMBOLS } from '../plan/render-text.js';
import { type Io, paint, writeLine } from './io.js';
import type { Reporter } from './reporter-types.js';
import { TaskListReporter } from './task-list-reporter.js';

export type { PassProgress, Reporter } from './reporter-types.js';

const PLAIN_PASS_INTERVAL_MS = 2000;

function outcomeLine(io: Io, c: TemplateChange, o: ChangeOutcome): string {
  if (o.status === 'done')
    return `${paint(io, 'green', '✓')} ${SYMBOLS[c.action]} ${c.address}  ${describeAction(c)}`;
  if (o.status === 'skipped') return `${paint(io, 'yellow', '…')} ${c.address}  not started (stopping)`;
  const f = o.failure;
  const verdict = o.status === 'in-doubt' ? 'outcome unknown' : 'failed';
  return `${paint(io, 'red', '✗')} ${c.address}  ${c.action} ${verdict}: ${f?.code ?? ''} ${f?.message ?? ''}`.trimEnd();
}

export function createReporter(io: Io): Reporter {
  return io.color && io.interactive ? new TaskListReporter(io) : plainReporter(io);
}

function plainReporter(io: Io): Reporter {
  const lastPrinted = new Map<string, number>();
  return {
    hooks: {
      notice: (text) => writeLine(io.stdout, text),
      changeFinished: (c, o) => writeLine(io.stdout, `  ${outcomeLine(io, c, o)}`),
    },
    passProgress(p) {
      const now = Date.now();
      const last = lastPrinted.get(p.address) ?? 0;
      if (p.remaining > 0 && now - last < PLAIN_PASS_INTERVAL_MS) return;
      lastPrinted.set(p.address, now);
      writeLine(
        io.stdout,
        `  ${p.address}: ${formatCount(p.issued)} issued, ${formatCount(p.failed)} failed, ${formatCount(p.remaining)} remaining (${formatCount(Math.round(p.perSecond))}/s)`,
      );
    },
    begin(plan) {
      const n = plan.changes.filter((c) => c.action !== 'noop').length;
      if (n > 0 || plan.summary.passes > 0) writeLine(io.stdout, `Applying to ${plan.environment}:`);
    },
    async end() {},
  };
}
