// How an apply ended, as one word and an exit code (the table in docs/exit-codes.md): 0 done (or
// nothing to do), 4 done except some recipients failed, 1 anything else (errors, a template change
// not done, a request in doubt, an interruption, a batch that did not finish).
import type { ApplyReport } from '../apply/run-apply.js';
import { planHasChanges, planHasErrors } from '../plan/make-plan.js';

export type ApplyOutcomeWord =
  | 'no-changes'
  | 'complete'
  | 'recipients-failed'
  | 'failed'
  | 'interrupted'
  | 'cancelled'
  | 'stopped'
  | 'plan-errors';

export interface ApplyVerdict {
  outcome: ApplyOutcomeWord;
  exitCode: 0 | 1 | 4;
  /** Template changes (and re-sent requests) that failed or are in doubt. */
  changeFailures: number;
  /** Recipients whose createPass or updatePass failed with an F result. */
  recipientFailures: number;
}

export const EXIT_RECIPIENTS_FAILED = 4;

export function applyVerdict(report: ApplyReport): ApplyVerdict {
  const changes = [...report.resumed, ...report.outcomes];
  const changeFailures = changes.filter((o) => o.status === 'failed' || o.status === 'in-doubt').length;
  const recipientFailures = report.passes.reduce((n, p) => n + p.failed + (p.changes?.failed ?? 0), 0);
  const verdict = (outcome: ApplyOutcomeWord, exitCode: 0 | 1 | 4): ApplyVerdict => ({
    outcome,
    exitCode,
    changeFailures,
    recipientFailures,
  });
  const plan = report.plan;
  if (plan && planHasErrors(plan)) return verdict('plan-errors', 1);
  if (report.storageFailure || report.error || report.stopReason === 'credentials')
    return verdict('stopped', 1);
  if (plan && !planHasChanges(plan) && report.resumed.length === 0) return verdict('no-changes', 0);
  if (report.cancelled) return verdict('cancelled', 1);
  if (report.stopReason === 'interrupted') return verdict('interrupted', 1);
  if (changeFailures > 0 || changes.some((o) => o.status === 'skipped') || !passesFinished(report))
    return verdict('failed', 1);
  return recipientFailures > 0
    ? verdict('recipients-failed', EXIT_RECIPIENTS_FAILED)
    : verdict('complete', 0);
}

/** Every batch went through all its rows: none in doubt, none left unsent. */
function passesFinished(report: ApplyReport): boolean {
  return report.passes.every(
    (p) =>
      p.inDoubt === 0 &&
      p.skipped === 0 &&
      (p.changes === undefined || (p.changes.inDoubt === 0 && p.changes.notSent === 0)),
  );
}
