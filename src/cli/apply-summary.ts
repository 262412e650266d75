// The end of `ipass apply`: what the run did (changes by action, passes issued, requests of an earlier
// apply finished), each failure with what to do, or why it stopped; and the exit code that goes with it.
import type { ChangeOutcome } from '../apply/outcomes.js';
import type { ApplyReport } from '../apply/run-apply.js';
import { formatCount } from '../plan/format-values.js';
import { planHasChanges, planHasErrors } from '../plan/make-plan.js';
import type { TemplateAction } from '../plan/plan-types.js';
import { type Io, paint, printError, writeLine } from './io.js';
import { passChangeFailures, passChangeNotes, passChangeParts } from './pass-change-summary.js';
import { describePassFailures } from './pass-failures.js';

/** Print the summary of a finished apply; returns the exit code. */
export function summarizeApply(io: Io, report: ApplyReport, rootDir: string): number {
  const plan = report.plan;
  if (plan && planHasErrors(plan)) {
    writeLine(io.stderr, 'The plan has errors (listed above); nothing was sent.');
    return 1;
  }
  if (stopped(io, report)) return 1;
  if (plan && !planHasChanges(plan) && report.resumed.length === 0) {
    writeLine(io.stdout, `No changes. The campaigns match environment ${plan.environment}.`);
    return 0;
  }
  if (report.cancelled) {
    writeLine(io.stdout, 'Apply cancelled; nothing was sent.');
    return 1;
  }
  const failures = [...report.resumed, ...report.outcomes].filter(
    (o) => o.status === 'failed' || o.status === 'in-doubt',
  );
  for (const o of failures) printFailure(io, o);
  for (const p of report.passes) {
    if (p.failuresFile || p.failed > 0) writeLine(io.stderr, describePassFailures(p, rootDir));
    for (const line of passChangeNotes(p)) writeLine(io.stderr, line);
  }
  const passFailures =
    report.passes.reduce((n, p) => n + p.failed + p.inDoubt, 0) + passChangeFailures(report.passes);
  const interrupted = report.stopReason === 'interrupted';
  const ok = failures.length === 0 && passFailures === 0 && !interrupted;
  const head = interrupted ? 'Apply interrupted' : ok ? 'Apply complete' : 'Apply finished with failures';
  const parts = doneParts(report);
  writeLine(
    io.stdout,
    `${head}: ${parts.length ? parts.join(', ') : 'nothing changed'}${failures.length ? `; ${failures.length} failed` : ''}.`,
  );
  const overrides = plan?.policyOverrides ?? [];
  if (overrides.length > 0)
    writeLine(
      io.stdout,
      `Applied with policy rules overridden on purpose (--allow-policy): ${overrides.map((o) => `${o.rule} (${o.addresses.join(', ')})`).join('; ')}.`,
    );
  if (interrupted) writeLine(io.stdout, 'Run `ipass apply` again to carry out the rest.');
  else if (ok && plan && !planHasChanges(plan))
    writeLine(io.stdout, `The campaigns match environment ${plan.environment}.`);
  return ok ? 0 : 1;
}

/** A run that stopped on an error: it is printed, with what became of the work. True when it did. */
function stopped(io: Io, report: ApplyReport): boolean {
  if (report.storageFailure) {
    printError(io, report.storageFailure);
    writeLine(
      io.stderr,
      'Stopped the apply: nothing more is sent once the state cannot be recorded. Requests in flight finished; what could not be recorded is settled by the next apply.',
    );
    return true;
  }
  if (report.error) {
    printError(io, report.error);
    writeLine(
      io.stderr,
      'Stopped the apply: nothing more was sent. Requests in flight finished, and everything done was recorded.',
    );
    return true;
  }
  if (report.stopReason === 'credentials' && report.credentialsFailure) {
    const f = report.credentialsFailure;
    writeLine(io.stderr, `${paint(io, 'red', 'error')} ${f.code}: ${f.message}\n  hint: ${f.action}`);
    writeLine(
      io.stderr,
      'Stopped the whole apply: no request can succeed with these credentials. What finished was recorded.',
    );
    return true;
  }
  return false;
}

function printFailure(io: Io, o: ChangeOutcome): void {
  const f = o.failure;
  if (!f) return;
  writeLine(
    io.stderr,
    `${paint(io, 'red', 'failed')} ${o.address} (${o.action}, ${f.endpoint}): ${f.code}: ${f.message}${f.tracerId ? ` [Tracer-Id ${f.tracerId}]` : ''}`,
  );
  writeLine(
    io.stderr,
    `  what to do: ${f.action}${o.status === 'in-doubt' ? ' The next apply sends it again with the same id, so it cannot happen twice.' : ''}`,
  );
}

const DONE_WORDS: readonly [Exclude<TemplateAction, 'noop'>, string][] = [
  ['create', 'created'],
  ['update', 'updated'],
  ['stock', 'stock changed'],
  ['status', 'status changed'],
  ['replace', 'replaced'],
  ['close', 'closed'],
  ['move', 'moved'],
];

/** "2 created, 1 stock changed, 5,000 passes issued", with the requests of an earlier apply first. */
function doneParts(report: ApplyReport): string[] {
  const done = (action: string) =>
    report.outcomes.filter((o) => o.status === 'done' && o.action === action).length;
  const parts = DONE_WORDS.map(([action, word]) => [done(action), word] as const)
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${formatCount(n)} ${word}`);
  const resumed = report.resumed.filter((o) => o.status === 'done').length;
  if (resumed > 0)
    parts.unshift(
      `finished ${formatCount(resumed)} request(s) an earlier apply left with an unknown outcome (sent again with the same ids)`,
    );
  const passes = report.passes.reduce((n, p) => n + p.issued, 0);
  if (passes > 0) parts.push(`${formatCount(passes)} passes issued`);
  parts.push(...passChangeParts(report.passes));
  return parts;
}
