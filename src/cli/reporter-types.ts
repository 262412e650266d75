// What reports an apply's progress offers: the core's hooks, pass progress, and begin and end around
// the requests of a plan (reporter.ts picks the task list or plain lines).
import type { ApplyHooks } from '../apply/run-apply.js';
import type { Plan } from '../plan/plan-types.js';

export interface PassProgress {
  address: string;
  issued: number;
  failed: number;
  remaining: number;
  perSecond: number;
}

export interface Reporter {
  hooks: ApplyHooks;
  passProgress(p: PassProgress): void;
  /** Start showing progress for a plan that is about to be carried out. */
  begin(plan: Plan): void;
  end(): Promise<void>;
}
