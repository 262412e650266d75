// The one way plan and apply make a plan: pass counts from the ledgers, the remote view when
// refreshing (`detail` of every managed template; any that cannot be read stops it), then the pure
// planner. apply calls it again on a saved plan's inputs, so both derive a plan the same way.
import type { ApiCaller } from '../api/api-caller.js';
import { type RefreshResult, refreshImports, refreshTemplates } from '../apply/refresh.js';
import type { CampaignSet } from '../campaign/types.js';
import type { PolicyConfig } from '../config/config.generated.js';
import { apiCodeOf, IpassError } from '../diagnostics/errors.js';
import { summarizePassBatches } from '../passes/index.js';
import { makePlan, planHasErrors } from '../plan/make-plan.js';
import type { Plan, RemoteTemplate } from '../plan/plan-types.js';
import type { LedgerReader } from '../state/backend.js';
import type { StateFile } from '../state/state-format.js';

export type RefreshScope = 'all' | 'changed';

export interface PlanFromInput {
  environment: string;
  desired: CampaignSet;
  state: StateFile;
  exists: boolean;
  ledgers: LedgerReader;
  now: number;
  /**
   * Compare with the API: the client to read managed templates with; `changed` reads only those the
   * plan changes (and the templates its pass batches issue on), `all` (the default) every one.
   */
  refresh?: { client: ApiCaller; concurrency: number; scope?: RefreshScope } | undefined;
  /** The environment's business rules, and those overridden on purpose (--allow-policy). */
  policies: PolicyConfig;
  allowPolicies: readonly string[];
  /** Send recipients held back after a permanent failure too (--retry-failed); recorded in the plan. */
  retryFailed?: boolean;
}

export const RETRY_FAILED_HELP =
  'send recipients again whose last attempt failed permanently (e.g. USER_NOT_EXIST) though their row has not changed';

export async function planFrom(input: PlanFromInput): Promise<Plan> {
  const passSummaries =
    input.desired.passes.length === 0
      ? new Map()
      : (
          await summarizePassBatches({
            batches: input.desired.passes,
            state: input.state,
            ledgers: input.ledgers,
            environment: input.environment,
            retryFailed: input.retryFailed === true,
          })
        ).summaries;
  const make = (remote?: RefreshResult['remote'], importRemote?: Map<string, RemoteTemplate | null>) =>
    withRetryFailed(
      input.retryFailed,
      makePlan({
        environment: input.environment,
        desired: input.desired,
        state: input.state,
        stateExists: input.exists,
        now: input.now,
        passSummaries,
        policies: input.policies,
        allowPolicies: input.allowPolicies,
        ...(remote ? { remote } : {}),
        ...(importRemote ? { importRemote } : {}),
      }),
    );
  // Errors in the files or against the state stop here: nothing is sent, not even a read.
  const local = make();
  if (!input.refresh || planHasErrors(local)) {
    local.createdAt = new Date(input.now).toISOString();
    return local;
  }
  const { client, concurrency } = input.refresh;
  const read =
    input.refresh.scope === 'changed'
      ? onlyTemplates(input.state, changedAddresses(local, input.state))
      : input.state;
  const refreshed = await readRemote(client, read, concurrency);
  // Templates to adopt are read whatever the scope: an import is always a change.
  const imports = await refreshImports(client, input.desired.imports ?? [], input.state, concurrency);
  stopOnFailures({ ...refreshed, failures: imports.failures });
  const plan = make(refreshed.remote, imports.remote);
  plan.drift.push(...refreshed.missing);
  plan.drift.sort((a, b) => (a.address === b.address ? 0 : a.address < b.address ? -1 : 1));
  plan.createdAt = new Date(input.now).toISOString();
  return plan;
}

function withRetryFailed(retryFailed: boolean | undefined, plan: Plan): Plan {
  if (retryFailed) plan.retryFailed = true;
  return plan;
}

/** The state's templates at these addresses only: what a targeted refresh reads. */
function onlyTemplates(state: StateFile, addresses: ReadonlySet<string>): StateFile {
  return {
    ...state,
    templates: Object.fromEntries(Object.entries(state.templates).filter(([a]) => addresses.has(a))),
  };
}

/**
 * What an apply must read to be safe: every template a change sends a request about (its old
 * address too, for a move), and every template a pass batch is about to issue passes on.
 */
export function changedAddresses(plan: Plan, state: StateFile): Set<string> {
  const out = new Set<string>();
  for (const c of plan.changes) {
    if (c.action === 'noop' || c.action === 'create') continue;
    out.add(c.address);
    if (c.movedFrom) out.add(c.movedFrom);
  }
  const codes = new Set(plan.passBatches.filter((b) => b.action === 'issue').map((b) => b.templateCode));
  for (const b of plan.passBatches)
    if (b.action === 'issue' && 'address' in b.template) out.add(b.template.address);
  for (const [address, t] of Object.entries(state.templates))
    if (t && codes.has(t.templateCode)) out.add(address);
  return out;
}

/** Every managed template read back; a template that cannot be read stops the plan. */
async function readRemote(client: ApiCaller, state: StateFile, concurrency: number): Promise<RefreshResult> {
  const refreshed = await refreshTemplates(client, state, concurrency);
  stopOnFailures(refreshed);
  return refreshed;
}

/** Any template that could not be read stops the plan; refused credentials first. */
function stopOnFailures(refreshed: Pick<RefreshResult, 'failures'>): void {
  const credentials = refreshed.failures.find((f) => f.failure.kind === 'credentials');
  if (credentials) {
    throw new IpassError(
      apiCodeOf(credentials.failure),
      `The API refused our credentials: ${credentials.failure.message}`,
      {
        hint: credentials.failure.action,
      },
    );
  }
  const first = refreshed.failures[0];
  if (first) {
    throw new IpassError(
      'REFRESH_FAILED',
      `${refreshed.failures.length} template(s) could not be read from the API (first: ${first.address}: ${first.failure.code}).`,
      {
        reason: first.failure.message,
        hint: `${first.failure.action} To plan from the state alone, without reading the API: \`ipass plan\` without --refresh, or \`ipass apply --refresh=false\`.`,
      },
    );
  }
}
