// An apply from start to end: finish what an interrupted apply left (journal, then in-doubt
// requests), plan (or check a saved plan), confirm, carry out template changes, then pass batches,
// and fold the journal into the state. The caller holds the store's lock.
import type { ApiCaller } from '../api/api-caller.js';
import { IpassError } from '../diagnostics/errors.js';
import { entryAsReported } from '../plan/drift.js';
import { planHasChanges } from '../plan/make-plan.js';
import type { PassesNotActive, Plan } from '../plan/plan-types.js';
import type { LockedState } from '../state/backend.js';
import type { JournalRecord } from '../state/journal-records.js';
import type { StateFile } from '../state/state-format.js';
import { compactJournal, type PhaseOptions, runPhase } from './apply-phase.js';
import type { Execution, StopReason } from './execution.js';
import type { ChangeOutcome } from './outcomes.js';
import { resolvePending } from './resume.js';
import { checkedSavedPlan, type MakePlan } from './saved-plan.js';
import { type ExecuteHooks, executeTemplateChanges } from './template-executor.js';

export interface PassBatchOutcome {
  address: string;
  issued: number;
  failed: number;
  inDoubt: number;
  skipped: number;
  /** Rows not sent: they failed permanently before with the same row (absent when none). */
  heldBack?: number;
  /** Where the failures were written (CSV), when there were any. */
  failuresFile?: string;
  /** This run's failures by result code: how many, and what the code means. */
  failureCodes?: Record<string, { count: number; message: string }>;
  /** Updates and closes of passes issued before (absent when the plan had none for the batch). */
  changes?: PassChangeOutcome;
}

/** What a batch's updatePass requests came to. */
export interface PassChangeOutcome {
  updated: number;
  closed: number;
  /** Failed (tried again by the next apply). */
  failed: number;
  /** The answer was lost: sent again by the next apply. */
  inDoubt: number;
  notSent: number;
  /** Passes left alone or refused: used, closed, closed or used (AlipayHK does not say which), not active. */
  notActive: PassesNotActive;
  /** Passes issued through PASS_HAS_EXIST, whose passId the ledger does not have: cannot be changed. */
  noPassId: number;
  failureCodes: Record<string, { count: number; message: string }>;
}

/** Issues the plan's pass batches; provided by the passes module. */
export interface PassPhase {
  run(execution: Execution, plan: Plan): Promise<PassBatchOutcome[]>;
}

export interface ApplyHooks extends ExecuteHooks {
  notice?(text: string): void;
  planReady?(plan: Plan): void;
}

export interface ApplyInput {
  store: LockedState;
  client: ApiCaller;
  /**
   * The planner, called on the state once earlier work is finished; with a saved plan, called at
   * once and compared with it: the saved plan runs only if it is exactly what the planner derives.
   */
  plan: { saved?: Plan | undefined; make: MakePlan };
  concurrency: number;
  hooks?: ApplyHooks;
  signal?: AbortSignal;
  passes?: PassPhase | undefined;
  /** Asked after planning, before the plan's first request, when it has changes; false cancels. */
  confirm?: (plan: Plan) => Promise<boolean>;
  now?: () => Date;
}

export interface ApplyReport {
  plan: Plan | undefined;
  /** Journal records of an interrupted apply folded into the state at the start. */
  recovered: number;
  resumed: ChangeOutcome[];
  outcomes: ChangeOutcome[];
  passes: PassBatchOutcome[];
  stopReason: StopReason | undefined;
  credentialsFailure: Execution['credentialsFailure'];
  /** What could not be recorded in the state backend (the run stopped on it). */
  storageFailure: Execution['storageFailure'];
  /** Another coded error the run stopped on; what finished before it was recorded. */
  error: Execution['error'];
  cancelled: boolean;
  state: StateFile;
}

export async function runApply(input: ApplyInput): Promise<ApplyReport> {
  const { store, hooks = {} } = input;
  // A saved plan is checked before anything is sent, re-sends of an earlier apply included.
  const checked = input.plan.saved
    ? await checkedSavedPlan(input.plan.saved, store, input.plan.make)
    : undefined;
  const recovered = await compactJournal(store);
  if (recovered > 0)
    hooks.notice?.(`Finished recording an interrupted apply (${recovered} journal records).`);
  const report = emptyReport(store, recovered);
  const options: PhaseOptions = {
    client: input.client,
    signal: input.signal,
    now: input.now ?? (() => new Date()),
  };
  const phase = async (work: (run: Execution) => Promise<void>): Promise<void> => {
    endPhase(report, await runPhase(store, options, work));
    report.state = store.state;
  };

  if (store.state.pending.length > 0) {
    hooks.notice?.(
      `Re-sending ${store.state.pending.length} request(s) whose outcome was unknown after an earlier apply (same ids, so nothing is done twice).`,
    );
    await phase(async (run) => {
      report.resumed = await resolvePending(run, store.state.pending);
    });
    if (report.stopReason) return report;
    if (store.state.pending.length > 0) throw resumeIncomplete(store.state.pending.length);
  }

  const plan = checked ?? (await input.plan.make(store.state, store.exists));
  report.plan = plan;
  hooks.planReady?.(plan);
  if (plan.diagnostics.some((d) => d.severity === 'error')) return report;
  // Nothing to do is not a cancellation: only a person declining is.
  if (!planHasChanges(plan)) return report;
  if (input.confirm && !(await input.confirm(plan))) {
    report.cancelled = true;
    return report;
  }

  await phase(async (run) => {
    await recordDrift(run, plan);
    report.outcomes = await executeTemplateChanges(run, plan.changes, input.concurrency, hooks);
    if (input.passes && !run.stopping && plan.passBatches.some((b) => b.action !== 'noop')) {
      report.passes = await input.passes.run(run, plan);
    }
  });
  return report;
}

function emptyReport(store: LockedState, recovered: number): ApplyReport {
  return {
    plan: undefined,
    recovered,
    resumed: [],
    outcomes: [],
    passes: [],
    stopReason: undefined,
    credentialsFailure: undefined,
    storageFailure: undefined,
    error: undefined,
    cancelled: false,
    state: store.state,
  };
}

/** How a phase ended goes into the report; the first reason to stop is the one kept. */
function endPhase(report: ApplyReport, run: Execution): void {
  report.stopReason ??= run.stopReason;
  report.credentialsFailure ??= run.credentialsFailure;
  report.storageFailure ??= run.storageFailure;
  report.error ??= run.error;
}

function resumeIncomplete(unresolved: number): IpassError {
  return new IpassError(
    'RESUME_INCOMPLETE',
    `${unresolved} request(s) from an earlier apply still have an unknown outcome.`,
    {
      reason: 'Nothing new is sent until they are settled, so that no template is created twice.',
      hint: 'Check the connection to the API and run `ipass apply` again.',
    },
  );
}

/** A refreshed plan's drift goes into the state first: it records what the API reported. */
async function recordDrift(run: Execution, plan: Plan): Promise<void> {
  const records: JournalRecord[] = [];
  for (const address of [...new Set(plan.drift.map((d) => d.address))]) {
    const entry = run.state.templates[address];
    if (!entry) continue;
    const reported = entryAsReported(
      entry,
      plan.drift.filter((d) => d.address === address),
    );
    if (reported !== entry) records.push({ t: 'set', address, entry: reported });
  }
  if (records.length > 0) await run.record(records);
}
