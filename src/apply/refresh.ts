// --refresh: ask `detail` for every managed template and turn the answers into the planner's
// remote view. Templates the API does not know are reported as drift of their own. Results are in
// address order, whatever order the answers came in.
import pLimit from 'p-limit';
import type { ApiCaller } from '../api/api-caller.js';
import type { DetailResponse } from '../api/endpoints.js';
import type { ImportEntry } from '../campaign/types.js';
import type { DriftItem, RemoteTemplate } from '../plan/plan-types.js';
import type { StateFile } from '../state/state-format.js';
import { type ChangeFailure, toFailure } from './outcomes.js';

const NOT_CONTENT = new Set([
  'result',
  'resultInfo',
  'templateCode',
  'status',
  'stock',
  'availableStock',
  'codeStandrad',
]);

export function remoteView(detail: DetailResponse): RemoteTemplate {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail)) if (!NOT_CONTENT.has(k) && v !== undefined) fields[k] = v;
  if (fields.codeStandard === undefined && detail.codeStandrad !== undefined)
    fields.codeStandard = detail.codeStandrad;
  const view: RemoteTemplate = { templateCode: detail.templateCode, status: String(detail.status), fields };
  if (typeof detail.stock === 'number') view.stock = detail.stock;
  if (typeof detail.availableStock === 'number') view.availableStock = detail.availableStock;
  return view;
}

export interface RefreshResult {
  remote: Map<string, RemoteTemplate>;
  /** Templates that no longer exist remotely. */
  missing: DriftItem[];
  /** Templates that could not be read (network, credentials, ...). */
  failures: { address: string; failure: ChangeFailure }[];
}

export async function refreshTemplates(
  client: ApiCaller,
  state: StateFile,
  concurrency: number,
): Promise<RefreshResult> {
  const result: RefreshResult = { remote: new Map(), missing: [], failures: [] };
  const limit = pLimit(Math.max(1, concurrency));
  await Promise.all(
    Object.entries(state.templates).map(([address, t]) =>
      limit(async () => {
        if (!t || t.status === 'closed') return;
        const answer = await client.call('detail', { templateCode: t.templateCode });
        if (answer.ok)
          result.remote.set(
            address,
            remoteView({ ...answer.data, templateCode: answer.data.templateCode ?? t.templateCode }),
          );
        else if (
          answer.failure.code === 'PASS_TEMPLATE_HAS_NOT_EXIT' ||
          answer.failure.code === 'PASS_TEMPLATE_HAS_NOT_EXIST'
        ) {
          result.missing.push({
            address,
            templateCode: t.templateCode,
            path: 'templateCode',
            state: t.templateCode,
            remote: '(does not exist)',
          });
        } else result.failures.push({ address, failure: toFailure(answer.failure) });
      }),
    ),
  );
  // Answers come back in any order; the plan (and a PR comment quoting it) must not.
  const byAddress = <T extends { address: string }>(a: T, b: T): number => (a.address < b.address ? -1 : 1);
  result.remote = new Map([...result.remote].sort(([a], [b]) => (a < b ? -1 : 1)));
  result.missing.sort(byAddress);
  result.failures.sort(byAddress);
  return result;
}

const NOT_FOUND = new Set(['PASS_TEMPLATE_HAS_NOT_EXIT', 'PASS_TEMPLATE_HAS_NOT_EXIST']);

/** `import:` entries not yet in the state, read with `detail`: by address; null when the API knows none. */
export async function refreshImports(
  client: ApiCaller,
  imports: readonly ImportEntry[],
  state: StateFile,
  concurrency: number,
): Promise<{ remote: Map<string, RemoteTemplate | null>; failures: RefreshResult['failures'] }> {
  const remote = new Map<string, RemoteTemplate | null>();
  const failures: RefreshResult['failures'] = [];
  const limit = pLimit(Math.max(1, concurrency));
  await Promise.all(
    imports
      .filter((i) => !state.templates[i.to])
      .map((i) =>
        limit(async () => {
          const answer = await client.call('detail', { templateCode: i.templateCode });
          if (answer.ok) remote.set(i.to, remoteView({ ...answer.data, templateCode: i.templateCode }));
          else if (NOT_FOUND.has(answer.failure.code)) remote.set(i.to, null);
          else failures.push({ address: i.to, failure: toFailure(answer.failure) });
        }),
      ),
  );
  failures.sort((a, b) => (a.address < b.address ? -1 : 1));
  return { remote, failures };
}
