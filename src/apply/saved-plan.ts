// A saved plan is run only against the state it was made against, once that state is settled, and
// only if the plan derived again now sends exactly its requests (PLAN_DIVERGED names the first that
// does not). Nothing is sent before these checks pass.
import { IpassError } from '../diagnostics/errors.js';
import { firstDifference } from '../plan/plan-compare.js';
import type { Plan } from '../plan/plan-types.js';
import type { LockedState } from '../state/backend.js';
import type { StateFile } from '../state/state-format.js';

export type MakePlan = (state: StateFile, exists: boolean) => Plan | Promise<Plan>;

/** The plan to run for a saved one: the plan derived again, once it is found equal to the saved one. */
export async function checkedSavedPlan(saved: Plan, store: LockedState, make: MakePlan): Promise<Plan> {
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
