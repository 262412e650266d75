// --refresh: fold what `detail` reported into the state entries the planner diffs against, and
// list every difference as drift. Pure.
import { isTemplateStatus, type TemplateState } from '../state/state-format.js';
import { deepEqual } from './diff.js';
import type { DriftItem, RemoteTemplate } from './plan-types.js';

/** With --refresh: take the remote status, stock and content as "before", and list what drifted. */
export function applyRemote(
  address: string,
  s: TemplateState,
  remote: RemoteTemplate,
  drift: DriftItem[],
): TemplateState {
  const next: TemplateState = { ...s, spec: { ...s.spec } };
  const note = (path: string, was: unknown, now: unknown): void => {
    drift.push({ address, templateCode: s.templateCode, path, state: was, remote: now });
  };
  if (remote.status !== s.status && isTemplateStatus(remote.status)) {
    note('status', s.status, remote.status);
    next.status = remote.status;
  }
  if (remote.stock !== undefined && remote.stock !== s.stock) {
    note('stock', s.stock, remote.stock);
    next.stock = remote.stock;
  }
  for (const [field, value] of Object.entries(s.spec)) {
    if (field === 'stock' || !(field in remote.fields)) continue;
    const remoteValue = remote.fields[field];
    if (!deepEqual(value, remoteValue)) {
      note(field, value, remoteValue);
      next.spec[field] = remoteValue;
    }
  }
  return next;
}

/**
 * The state entry as the API reported it: the drift of one address folded in. What an apply records
 * before its requests, so the state holds what the API reported even where nothing is sent.
 */
export function entryAsReported(entry: TemplateState, drift: readonly DriftItem[]): TemplateState {
  let next = entry;
  for (const d of drift) {
    if (d.templateCode !== entry.templateCode) continue;
    if (d.path === 'status' && typeof d.remote === 'string' && isTemplateStatus(d.remote))
      next = { ...next, status: d.remote };
    else if (d.path === 'stock' && typeof d.remote === 'number') next = { ...next, stock: d.remote };
    else if (d.path !== 'templateCode' && d.path in next.spec)
      next = { ...next, spec: { ...next.spec, [d.path]: d.remote } };
  }
  return next;
}
