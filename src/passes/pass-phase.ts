// The apply's pass phase: every batch the plan says to issue, one after another (each keeps the
// client's connections busy on its own), with its template resolved against this apply's state.
import type { Execution } from '../apply/execution.js';
import type { PassBatchOutcome, PassPhase } from '../apply/run-apply.js';
import type { DesiredPassBatch } from '../campaign/types.js';
import type { Plan } from '../plan/plan-types.js';
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
        if (change.action !== 'issue') continue;
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
        const target = await resolvePassTarget(execution, plan, batch, change);
        if ('problem' in target) {
          hooks.notice?.(`${change.address}: nothing issued: ${target.problem}`);
          outcomes.push(skipped);
          continue;
        }
        outcomes.push(
          await issueBatch({
            execution,
            batch,
            change,
            base: target.base,
            stateDir: input.stateDir,
            ledger: ledgerPathOf(execution.state, input.environment, batch.address),
            concurrency: input.concurrency,
            hooks,
            now,
          }),
        );
      }
      return outcomes;
    },
  };
}
