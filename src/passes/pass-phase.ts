// The apply's pass phase: every batch the plan says to issue, one after another (each keeps the
// client's connections busy on its own), with its template resolved against this apply's state.
import type { Execution } from '../apply/execution.js';
import type { PassBatchOutcome, PassPhase } from '../apply/run-apply.js';
import type { DesiredPassBatch } from '../campaign/types.js';
import type { PassBatchChange, Plan } from '../plan/plan-types.js';
import { changeBatch } from './change-batch.js';
import { issueBatch, type PassHooks } from './issue-batch.js';
import { resolvePassTarget } from './pass-target.js';
import { ledgerPathOf } from './summarize.js';

export interface PassPhaseInput {
  /** The loaded campaigns (the same input the plan was made from). */
  batches: readonly DesiredPassBatch[];
  stateDir: string;
  environment: string;
  /** Requests in flight the environment allows; the phase keeps about twice as many queued. */
  concurrency: number;
  hooks?: PassHooks;
  /** bizCreate of each pass (ms since the epoch). */
  now?: () => number;
}

export function createPassPhase(input: PassPhaseInput): PassPhase {
  const hooks = input.hooks ?? {};
  const now = input.now ?? Date.now;
  return {
    async run(execution: Execution, plan: Plan): Promise<PassBatchOutcome[]> {
      const batches = new Map(input.batches.map((b) => [b.address, b]));
      const outcomes: PassBatchOutcome[] = [];
      for (const change of plan.passBatches) {
        if (change.action === 'noop') continue;
        const skipped: PassBatchOutcome = {
          address: change.address,
          issued: 0,
          failed: 0,
          inDoubt: 0,
          skipped: change.toIssue,
        };
        const batch = batches.get(change.address);
        if (!batch) {
          hooks.notice?.(`${change.address}: not in the campaign files any more; nothing issued.`);
          outcomes.push(skipped);
          continue;
        }
        if (execution.stopping) {
          outcomes.push(skipped);
          continue;
        }
        const ledger = ledgerPathOf(execution.state, input.environment, batch.address);
        const outcome =
          change.action === 'issue' ? await issue(batch, change, ledger) : { ...skipped, skipped: 0 };
        if ((change.update?.count ?? 0) + (change.close?.count ?? 0) > 0 && !execution.stopping) {
          outcome.changes = await changeBatch({
            execution,
            batch,
            ledger,
            expected: change.recipients + change.removed,
            concurrency: input.concurrency,
            wantUpdates: (change.update?.count ?? 0) > 0,
            now,
          });
        }
        outcomes.push(outcome);
      }
      return outcomes;

      async function issue(
        batch: DesiredPassBatch,
        change: PassBatchChange,
        ledger: string,
      ): Promise<PassBatchOutcome> {
        const skipped = {
          address: change.address,
          issued: 0,
          failed: 0,
          inDoubt: 0,
          skipped: change.toIssue,
        };
        const target = await resolvePassTarget(execution, plan, batch, change);
        if ('problem' in target) {
          hooks.notice?.(`${change.address}: nothing issued: ${target.problem}`);
          return skipped;
        }
        return issueBatch({
          execution,
          batch,
          change,
          base: target.base,
          stateDir: input.stateDir,
          ledger,
          concurrency: input.concurrency,
          hooks,
          now,
          retryFailed: plan.retryFailed === true,
        });
      }
    },
  };
}
