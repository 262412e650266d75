// --refresh: ask `detail` for every managed template and turn the answers into the planner's
// remote view. Templates the API does not know are reported as drift of their own. Results are in
// address order, whatever order the answers came in.
import pLimit from 'p-limit';
import type { ApiCaller } from '../api/api-caller.js';
import type { DetailResponse } from '../api/endpoints.js';
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
