// The checks `plan` makes, for `validate` (pure): with a readable state, every diagnostic the planner
// would give (templates gone from the files, protect, status moves, the API's rules that need the
// state, policies); without one, the policies on every template as if new. Nothing is planned here.
import type { CampaignSet } from '../campaign/types.js';
import type { PolicyConfig } from '../config/config.generated.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { StateFile } from '../state/state-format.js';
import { makePlan } from './make-plan.js';
import type { PassBatchSummary } from './plan-types.js';
import { checkPolicies } from './policies.js';

export interface PlanChecksInput {
  environment: string;
  desired: CampaignSet;
  /** The state, when it could be read; undefined: every template is checked as if new. */
  state: StateFile | undefined;
  summaries: ReadonlyMap<string, PassBatchSummary>;
  policies: PolicyConfig;
  now: number;
  /** Only some campaign files were read (validate PATH…): templates of the others are not "missing". */
  partial: boolean;
}

/** Codes that only make sense when every campaign file was read. */
const WHOLE_SET_CODES = new Set(['TEMPLATE_MISSING_FROM_FILES', 'REMOVED_NOT_IN_STATE']);

export function planChecks(input: PlanChecksInput): Diagnostic[] {
  if (input.state === undefined) {
    return checkPolicies({
      policies: input.policies,
      templates: input.desired.templates,
      batches: input.desired.passes.map((b) => ({
        address: b.address,
        toIssue: input.summaries.get(b.address)?.toIssue ?? 0,
        source: b.source,
      })),
      allowed: new Set(),
    }).diagnostics;
  }
  // The recipients files' own diagnostics are reported by the caller, from the same summaries.
  const rows = new Set<Diagnostic>();
  for (const s of input.summaries.values()) for (const d of s.diagnostics) rows.add(d);
  const plan = makePlan({
    environment: input.environment,
    desired: input.desired,
    state: input.state,
    stateExists: true,
    now: input.now,
    passSummaries: input.summaries,
    policies: input.policies,
  });
  return plan.diagnostics.filter((d) => !rows.has(d) && !(input.partial && WHOLE_SET_CODES.has(d.code)));
}
