// The end of `ipass apply`: what the run did (changes by action, passes issued, requests of an earlier
// apply finished), each failure with what to do, or why it stopped; and the exit code that goes with it.
import type { ChangeOutcome } from '../apply/outcomes.js';
import type { ApplyReport } from '../apply/run-apply.js';
import { escapeControl } from '../diagnostics/terminal-text.js';
import { formatCount, formatValue } from '../plan/format-values.js';
import { planHasChanges } from '../plan/make-plan.js';
import type { TemplateAction } from '../plan/plan-types.js';
import { type ApplyOutcomeWord, applyVerdict } from './apply-outcome.js';
import { type Io, paint, printError, writeLine } from './io.js';
import { passChangeNotes, passChangeParts } from './pass-change-summary.js';
import { describePassFailures } from './pass-failures.js';

/** Print the summary of a finished apply; returns the exit code (see apply-outcome.ts). */
export function summarizeApply(io: Io, report: ApplyReport, rootDir: string): number {
  const plan = report.plan;
  const verdict = applyVerdict(report);
  if (verdict.outcome === 'plan-errors') {
    writeLine(io.stderr, 'The plan has errors (listed above); nothing was sent.');
    return verdict.exitCode;
  }
  if (stopped(io, report)) return verdict.exitCode;
  if (plan && verdict.outcome === 'no-changes') {
    writeLine(io.stdout, `No changes. The campaigns match environment ${plan.environment}.`);
    return verdict.exitCode;
  }
  if (report.cancelled) {
    writeLine(io.stdout, 'Apply cancelled; nothing was sent.');
    return verdict.exitCode;
  }
  const failures = [...report.resumed, ...report.outcomes].filter(
    (o) => o.status === 'failed' || o.status === 'in-doubt',
  );
  for (const o of failures) printFailure(io, o);
  for (const o of report.outcomes) printDifferences(io, o);
  for (const p of report.passes) {
    if (p.failuresFile || p.failed > 0) writeLine(io.stderr, describePassFailures(p, rootDir));
    for (const line of passChangeNotes(p)) writeLine(io.stderr, line);
  }
  const parts = doneParts(report);
  writeLine(
    io.stdout,
    `${HEADS[verdict.outcome] ?? HEADS.failed}: ${parts.length ? parts.join(', ') : 'nothing changed'}${failures.length ? `; ${failures.length} failed` : ''}.`,
  );
  const overrides = plan?.policyOverrides ?? [];
  if (overrides.length > 0)
    writeLine(
      io.stdout,
      `Applied with policy rules overridden on purpose (--allow-policy): ${overrides.map((o) => `${o.rule} (${o.addresses.join(', ')})`).join('; ')}.`,
    );
  if (verdict.outcome === 'interrupted')
    writeLine(io.stdout, 'Run `ipass apply` again to carry out the rest.');
  else if (verdict.outcome === 'recipients-failed')
    writeLine(
      io.stdout,
      `${formatCount(verdict.recipientFailures)} recipient(s) failed (listed above; exit code 4). Those that cannot succeed as they are (e.g. USER_NOT_EXIST) are held back from later applies until their row changes or \`ipass apply --retry-failed\`.`,
    );
  else if (verdict.exitCode === 0 && plan && !planHasChanges(plan))
    writeLine(io.stdout, `The campaigns match environment ${plan.environment}.`);
  return verdict.exitCode;
}

const HEADS: Partial<Record<ApplyOutcomeWord, string>> = {
  interrupted: 'Apply interrupted',
  complete: 'Apply complete',
  'recipients-failed': 'Apply complete except for some recipients',
  failed: 'Apply finished with failures',
};

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

/** An import the plan applied showed no update for, though AlipayHK's card differs from the files. */
function printDifferences(io: Io, o: ChangeOutcome): void {
  const diff = o.differences;
  if (!diff?.length) return;
  writeLine(
    io.stdout,
    `${paint(io, 'yellow', 'note')} ${o.address} was imported as AlipayHK has it; it differs from the files in ${diff.length} field(s), and nothing was sent to change it (the plan applied did not show that):`,
  );
  for (const r of diff)
    writeLine(
      io.stdout,
      `  ${escapeControl(r.path)}: files say ${formatValue(r.path, r.after)}, AlipayHK has ${formatValue(r.path, r.before)}`,
    );
  writeLine(io.stdout, '  The next `ipass plan` shows these as an update, to review before it is applied.');
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
  ['import', 'imported'],
];

/** "2 created, 1 stock changed, 5,000 passes issued", with the requests of an earlier apply first. */
function doneParts(report: ApplyReport): string[] {
  const done = (action: string) =>
    report.outcomes.filter((o) => o.status === 'done' && o.action === action).length;
  const parts = DONE_WORDS.map(([action, word]) => [done(action), word] as const)
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${formatCount(n)} ${word}`);
  // An import sends its `detail`, and more only when its plan showed an update after it.
  const updatedAfter = report.outcomes.filter(
    (o) => o.status === 'done' && o.action === 'import' && o.requestsSent > 1,
  ).length;
  const i = parts.findIndex((p) => p.endsWith(' imported'));
  if (updatedAfter > 0 && i >= 0) parts[i] = `${parts[i]} (${formatCount(updatedAfter)} updated right after)`;
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
