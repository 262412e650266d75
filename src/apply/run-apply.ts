// An apply from start to end: finish what an interrupted apply left (journal, then in-doubt
// requests), plan (or check a saved plan), confirm, carry out template changes, then pass batches,
// and fold the journal into the state. The caller holds the store's lock.
import { IpassError } from '../diagnostics/errors.js';
import { entryAsReported } from '../plan/drift.js';
import { planHasChanges } from '../plan/make-plan.js';
import { firstDifference } from '../plan/plan-compare.js';
import type { Plan } from '../plan/plan-types.js';
import type { LockedState } from '../state/backend.js';
import { foldJournal, type JournalRecord } from '../state/journal-records.js';
import type { StateFile } from '../state/state-format.js';
import {
  type ApiCaller,
  type ChangeOutcome,
  type ExecuteHooks,
  Execution,
  executeTemplateChanges,
  resolvePending,
  type StopReason,
} from './execute.js';

export interface PassBatchOutcome {
  address: string;
  issued: number;
  failed: number;
  inDoubt: number;
  skipped: number;
  /** Where the failures were written (CSV), when there were any. */
  failuresFile?: string;
  /** This run's failures by result code: how many, and what the code means. */
  failureCodes?: Record<string, { count: number; message: string }>;
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
  plan: { saved?: Plan | undefined; make: (state: StateFile, exists: boolean) => Plan | Promise<Plan> };
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
  cancelled: boolean;
  state: StateFile;
}

/** Fold an unfinished journal into the state, save, and remove the journal. Returns records folded. */
export async function compactJournal(store: LockedState): Promise<number> {
  const records = await store.unfinishedJournal();
  if (!records) return 0;
  const folded = foldJournal(store.state, records);
  await store.settleJournal(folded.changes > 0 ? folded.state : undefined);
  return records.length;
}

export async function runApply(input: ApplyInput): Promise<ApplyReport> {
  const { store, hooks = {} } = input;
  const now = input.now ?? (() => new Date());
  // A saved plan is checked before anything is sent, re-sends of an earlier apply included.
  const checked = input.plan.saved
    ? await checkedSavedPlan(input.plan.saved, store, input.plan.make)
    : undefined;
  const recovered = await compactJournal(store);
  if (recovered > 0)
    hooks.notice?.(`Finished recording an interrupted apply (${recovered} journal records).`);

  const report: ApplyReport = {
    plan: undefined,
    recovered,
    resumed: [],
    outcomes: [],
    passes: [],
    stopReason: undefined,
    credentialsFailure: undefined,
    storageFailure: undefined,
    cancelled: false,
    state: store.state,
  };

  const runPhase = async (work: (run: Execution) => Promise<void>): Promise<void> => {
    const journal = await store.openJournal();
    const run = new Execution(
      input.client,
      journal,
      structuredClone(store.state),
      store.ledgers,
      input.signal,
    );
    try {
      await journal.append({
        t: 'begin',
        lineage: store.state.lineage,
        serial: store.state.serial,
        pid: process.pid,
        at: now().toISOString(),
      });
      await work(run);
    } catch (error) {
      run.storageFailed(error);
    } finally {
      report.stopReason ??= run.stopReason;
      report.credentialsFailure ??= run.credentialsFailure;
      report.storageFailure ??= run.storageFailure;
    }
    // Once the backend failed, nothing more is written: the journal stays for the next apply.
    if (!report.storageFailure) {
      try {
        await journal.close();
        await compactJournal(store);
      } catch (error) {
        run.storageFailed(error);
        report.stopReason ??= run.stopReason;
        report.storageFailure ??= run.storageFailure;
      }
    }
    report.state = store.state;
  };

  if (store.state.pending.length > 0) {
    hooks.notice?.(
      `Re-sending ${store.state.pending.length} request(s) whose outcome was unknown after an earlier apply (same ids, so nothing is done twice).`,
    );
    await runPhase(async (run) => {
      report.resumed = await resolvePending(run, store.state.pending);
    });
    const unresolved = store.state.pending.length;
    if (report.stopReason || unresolved > 0) {
      if (!report.stopReason) {
        throw new IpassError(
          'RESUME_INCOMPLETE',
          `${unresolved} request(s) from an earlier apply still have an unknown outcome.`,
          {
            reason: 'Nothing new is sent until they are settled, so that no template is created twice.',
            hint: 'Check the connection to the API and run `ipass apply` again.',
          },
        );
      }
      return report;
    }
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

  await runPhase(async (run) => {
    await recordDrift(run, plan);
    report.outcomes = await executeTemplateChanges(run, plan.changes, input.concurrency, hooks);
    if (input.passes && !run.stopping && plan.passBatches.some((b) => b.action === 'issue')) {
      report.passes = await input.passes.run(run, plan);
    }
  });
  return report;
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

/**
 * The plan to run for a saved one: the state must be the one it was made against and settled, and
 * the plan derived again now must send exactly its requests (PLAN_DIVERGED names the first that
 * does not). Nothing is sent before this returns.
 */
async function checkedSavedPlan(
  saved: Plan,
  store: LockedState,
  make: (state: StateFile, exists: boolean) => Plan | Promise<Plan>,
): Promise<Plan> {
  checkSavedPlan(saved, store);
  if ((await store.unfinishedJournal()) || store.state.pending.length > 0) {
    throw new IpassError(
      'PLAN_UNSETTLED',
      'An interrupted apply left requests with an unknown outcome in this environment, so a saved plan cannot be applied now.',
      {
        reason: 'Settling them changes the state the plan was made against; nothing was sent.',
        hint: 'Run `ipass apply` without a plan file: it re-sends them with the same ids and shows its plan before changing anything else. Then make a new plan.',
      },
    );
  }
  if (!store.exists) store.adoptLineage(saved.state.lineage);
  const fresh = await make(store.state, store.exists);
  const difference = firstDifference(saved, fresh);
  if (difference) {
    throw new IpassError(
      'PLAN_DIVERGED',
      `The saved plan is not what the campaign files and the state give now: ${difference}.`,
      {
        reason: `A saved plan runs only when every request is exactly the one derived again from the files, the state${saved.refreshed ? ' and the API' : ''}; it may have been edited, or something changed since. Nothing was sent.`,
        hint: 'Make a new plan (`ipass plan --out FILE`), review it, and apply that.',
      },
    );
  }
  return fresh;
}

/** A saved plan applies only to the state it was made against (same lineage and serial). */
export function checkSavedPlan(plan: Plan, store: LockedState): void {
  const state = store.state;
  if (plan.environment !== store.environment) {
    throw new IpassError(
      'PLAN_WRONG_ENVIRONMENT',
      `This plan was made for environment "${plan.environment}", not "${store.environment}".`,
      {
        hint: `Apply it with --env ${plan.environment}, or make a new plan for ${store.environment}.`,
      },
    );
  }
  const fresh = !plan.state.exists && !store.exists;
  if (!fresh && plan.state.lineage !== state.lineage) {
    throw new IpassError(
      'PLAN_FOREIGN',
      'This plan was made against a different state (another lineage), so it cannot be applied here.',
      {
        reason: `The plan's state lineage is ${plan.state.lineage}; this environment's is ${state.lineage}.`,
        hint: 'Run `ipass plan` again against this state.',
      },
    );
  }
  if (!fresh && plan.state.serial !== state.serial) {
    throw new IpassError(
      'PLAN_STALE',
      `The state changed since this plan was made (serial ${plan.state.serial} → ${state.serial}).`,
      {
        reason:
          'Another apply (or a state command, or finishing an interrupted apply) ran in between; the plan may no longer be right.',
        hint: 'Run `ipass plan --out FILE` again, review it, and apply the new file.',
      },
    );
  }
}
