// How an apply ended, as its run in the history: the outcome (succeeded, partial when only
// recipients failed, failed, interrupted, cancelled, nothing-to-do), counts per action and each
// change with its outcome, from the apply's report or the error it stopped on.
import type { ChangeOutcome } from '../apply/outcomes.js';
import type { ApplyReport, PassBatchOutcome } from '../apply/run-apply.js';
import { isIpassError } from '../diagnostics/errors.js';
import { planHash } from '../plan/plan-compare.js';
import type { RunChange, RunOutcome } from '../state/run-record.js';
import { type ApplyOutcomeWord, applyVerdict } from './apply-outcome.js';
import type { RunEnding } from './run-recorder.js';

const COUNT_WORDS: Record<string, string> = {
  create: 'created',
  update: 'updated',
  stock: 'stock',
  status: 'status',
  replace: 'replaced',
  close: 'closed',
  move: 'moved',
  import: 'imported',
  resume: 'resumed',
};

/** The apply's outcome word (apply-outcome.ts, the exit code's source) as the history says it. */
const RUN_OUTCOME_OF: Record<ApplyOutcomeWord, RunOutcome> = {
  'no-changes': 'nothing-to-do',
  complete: 'succeeded',
  'recipients-failed': 'partial',
  failed: 'failed',
  stopped: 'failed',
  'plan-errors': 'failed',
  interrupted: 'interrupted',
  cancelled: 'cancelled',
};

function templateChange(o: ChangeOutcome, report: ApplyReport): RunChange {
  const code = report.state.templates[o.address]?.templateCode;
  return {
    address: o.address,
    action: o.action,
    ...(code ? { templateCode: code } : {}),
    outcome: o.status,
    ...(o.failure ? { code: o.failure.code } : {}),
  };
}

/** A pass batch as change rows: passes issued, updated, closed, and failed by code. */
function batchChanges(p: PassBatchOutcome): RunChange[] {
  const rows: RunChange[] = [];
  const add = (action: string, outcome: string, count: number, code?: string): void => {
    if (count > 0) rows.push({ address: p.address, action, outcome, count, ...(code ? { code } : {}) });
  };
  add('issue', 'issued', p.issued);
  for (const [code, f] of Object.entries(p.failureCodes ?? {})) add('issue', 'failed', f.count, code);
  add('issue', 'in-doubt', p.inDoubt);
  if (p.changes) {
    add('update passes', 'updated', p.changes.updated);
    add('close passes', 'closed', p.changes.closed);
    for (const [code, f] of Object.entries(p.changes.failureCodes))
      add('change passes', 'failed', f.count, code);
    add('change passes', 'in-doubt', p.changes.inDoubt);
  }
  return rows;
}

function countsOf(report: ApplyReport): Record<string, number> {
  const counts: Record<string, number> = {};
  const bump = (key: string, n = 1): void => {
    if (n > 0) counts[key] = (counts[key] ?? 0) + n;
  };
  for (const o of [...report.resumed, ...report.outcomes]) {
    if (o.status === 'done') bump(COUNT_WORDS[o.action] ?? o.action);
    else if (o.status === 'failed' || o.status === 'in-doubt') bump('failed');
  }
  for (const p of report.passes) {
    bump('passesIssued', p.issued);
    bump('passesFailed', p.failed + p.inDoubt + (p.changes ? p.changes.failed + p.changes.inDoubt : 0));
    bump('passesUpdated', p.changes?.updated ?? 0);
    bump('passesClosed', p.changes?.closed ?? 0);
  }
  return counts;
}

/** The run of an apply that returned its report. */
export function applyEnding(report: ApplyReport): RunEnding {
  const outcome = RUN_OUTCOME_OF[applyVerdict(report).outcome];
  const plan = report.plan;
  const code = report.storageFailure?.code ?? report.error?.code ?? report.credentialsFailure?.code;
  return {
    outcome,
    ...(code ? { error: code } : {}),
    counts: countsOf(report),
    changes: [
      ...[...report.resumed, ...report.outcomes].map((o) => templateChange(o, report)),
      ...report.passes.flatMap(batchChanges),
    ],
    ...(plan ? { planHash: planHash(plan) } : {}),
    ...(plan?.policyOverrides?.length ? { policyOverrides: plan.policyOverrides } : {}),
    applied: outcome === 'succeeded' || outcome === 'partial',
  };
}

/** The run of an apply that stopped on an error before it had a report. */
export function failedEnding(error: unknown, interrupted: boolean): RunEnding {
  return {
    outcome: interrupted ? 'interrupted' : 'failed',
    error: isIpassError(error) ? error.code : 'INTERNAL_ERROR',
    counts: {},
    changes: [],
  };
}

/** The command as the run history shows it. */
export function applyRunCommand(
  planfile: string | undefined,
  flags: { allowRollback?: boolean | undefined; allowPolicy: readonly string[] },
): string {
  const policies = flags.allowPolicy.map((rule) => ` --allow-policy ${rule}`).join('');
  return `apply${planfile ? ` ${planfile}` : ''}${flags.allowRollback ? ' --allow-rollback' : ''}${policies}`;
}
