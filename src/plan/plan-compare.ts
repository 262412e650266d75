// What was shown is what runs (pure): a saved plan against the plan derived again, at apply time,
// from the current files, state and (when the saved one was refreshed) the API. The first request,
// record or pass batch that differs is named, so a hand-edited or outdated plan is refused before
// anything goes out.
import { createHash } from 'node:crypto';
import type { PassBatchChange, Plan, PlannedRequest, TemplateChange } from './plan-types.js';

/** Canonical JSON: keys sorted at every level, so field order never counts as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

const shown = (value: unknown): string => (value === undefined ? '(none)' : canonical(value));

/** An object's fields by name: a saved plan is JSON from a file, so no field is taken for granted. */
function fieldsOf(value: object | undefined): Map<string, unknown> {
  return new Map(Object.entries(value ?? {}));
}

function requestKey(r: PlannedRequest): unknown {
  const fields = fieldsOf(r);
  return {
    endpoint: r.endpoint,
    body: r.body,
    stockTarget: fields.get('stockTarget'),
    templateCodeFrom: fields.get('templateCodeFrom'),
  };
}

/** The first field where two requests differ, as "field: saved → now". */
function requestDifference(saved: PlannedRequest, fresh: PlannedRequest): string | undefined {
  if (saved.endpoint !== fresh.endpoint) return `endpoint: ${saved.endpoint} → ${fresh.endpoint}`;
  const [a, b] = [fieldsOf(saved), fieldsOf(fresh)];
  if (a.get('stockTarget') !== b.get('stockTarget'))
    return `stock: ${shown(a.get('stockTarget'))} → ${shown(b.get('stockTarget'))}`;
  if (a.get('templateCodeFrom') !== b.get('templateCodeFrom'))
    return 'templateCode: from the created template → given';
  const savedBody = fieldsOf(saved.body);
  const freshBody = fieldsOf(fresh.body);
  for (const k of [...new Set([...savedBody.keys(), ...freshBody.keys()])].sort()) {
    if (canonical(savedBody.get(k)) !== canonical(freshBody.get(k)))
      return `${k}: ${shown(savedBody.get(k))} → ${shown(freshBody.get(k))}`;
  }
  return undefined;
}

function changeDifference(address: string, saved: TemplateChange, fresh: TemplateChange): string | undefined {
  if (saved.action !== fresh.action)
    return `${address}: ${saved.action} in the saved plan, ${fresh.action} now`;
  if (canonical(saved.record) !== canonical(fresh.record))
    return `${address}: what the state records afterwards differs (${saved.action})`;
  const n = Math.max(saved.requests.length, fresh.requests.length);
  for (let i = 0; i < n; i++) {
    const a = saved.requests[i];
    const b = fresh.requests[i];
    if (!a || !b)
      return `${address}: request ${i + 1} (${(a ?? b)?.endpoint}) is ${a ? 'only in the saved plan' : 'new'}`;
    if (canonical(requestKey(a)) !== canonical(requestKey(b))) {
      return `${address}: request ${i + 1} (${a.endpoint}) ${requestDifference(a, b) ?? 'differs'}`;
    }
  }
  return undefined;
}

function batchDifference(
  address: string,
  saved: PassBatchChange,
  fresh: PassBatchChange,
): string | undefined {
  for (const field of ['action', 'toIssue', 'templateCode'] as const) {
    if (saved[field] !== fresh[field])
      return `${address}: ${field} ${shown(saved[field])} in the saved plan, ${shown(fresh[field])} now`;
  }
  if ((saved.heldBack?.count ?? 0) !== (fresh.heldBack?.count ?? 0))
    return `${address}: recipients held back ${shown(saved.heldBack?.count ?? 0)} in the saved plan, ${shown(fresh.heldBack?.count ?? 0)} now`;
  if (canonical(saved.template) !== canonical(fresh.template))
    return `${address}: the batch's template differs`;
  const counts = (b: PassBatchChange) => [
    b.update?.count ?? 0,
    b.update?.dataInfo ?? 0,
    b.update?.validity ?? 0,
  ];
  if (canonical(counts(saved)) !== canonical(counts(fresh)))
    return `${address}: passes to update ${shown(saved.update?.count ?? 0)} in the saved plan, ${shown(fresh.update?.count ?? 0)} now`;
  if ((saved.close?.count ?? 0) !== (fresh.close?.count ?? 0))
    return `${address}: passes to close ${shown(saved.close?.count ?? 0)} in the saved plan, ${shown(fresh.close?.count ?? 0)} now`;
  return undefined;
}

function byAddress<T extends { address: string }>(list: readonly T[]): Map<string, T> {
  return new Map(list.map((x) => [x.address, x]));
}

/** undefined when `fresh` would send exactly the saved plan's requests; else the first difference. */
export function firstDifference(saved: Plan, fresh: Plan): string | undefined {
  if (saved.environment !== fresh.environment)
    return `environment: ${saved.environment} in the saved plan, ${fresh.environment} now`;
  if ((saved.retryFailed === true) !== (fresh.retryFailed === true))
    return `--retry-failed: the saved plan was made ${saved.retryFailed ? 'with' : 'without'} it, this apply is ${fresh.retryFailed ? 'with' : 'without'} it (recipients held back after a permanent failure would ${fresh.retryFailed ? '' : 'not '}be sent)`;
  const savedChanges = byAddress(saved.changes.filter((c) => c.action !== 'noop' || c.requests.length > 0));
  const freshChanges = byAddress(fresh.changes.filter((c) => c.action !== 'noop' || c.requests.length > 0));
  for (const address of [...new Set([...savedChanges.keys(), ...freshChanges.keys()])].sort()) {
    const a = savedChanges.get(address);
    const b = freshChanges.get(address);
    if (!a || !b) return `${address}: ${a ? `${a.action} is in the saved plan only` : `${b?.action} is new`}`;
    const difference = changeDifference(address, a, b);
    if (difference) return difference;
  }
  const savedBatches = byAddress(saved.passBatches);
  const freshBatches = byAddress(fresh.passBatches);
  for (const address of [...new Set([...savedBatches.keys(), ...freshBatches.keys()])].sort()) {
    const a = savedBatches.get(address);
    const b = freshBatches.get(address);
    if (!a || !b) return `${address}: the pass batch is ${a ? 'in the saved plan only' : 'new'}`;
    const difference = batchDifference(address, a, b);
    if (difference) return difference;
  }
  return undefined;
}

/**
 * sha256 (hex) of what a plan would send, in canonical JSON: the same fields `firstDifference`
 * compares, so a saved plan and the plan derived again from it have the same hash.
 */
export function planHash(plan: Plan): string {
  const changes = plan.changes
    .filter((c) => c.action !== 'noop' || c.requests.length > 0)
    .map((c) => ({
      address: c.address,
      action: c.action,
      record: c.record,
      requests: c.requests.map(requestKey),
    }));
  const batches = plan.passBatches.map((b) => ({
    address: b.address,
    action: b.action,
    toIssue: b.toIssue,
    templateCode: b.templateCode,
    template: b.template,
    update: b.update?.count ?? 0,
    close: b.close?.count ?? 0,
  }));
  return createHash('sha256')
    .update(canonical({ environment: plan.environment, changes, batches }))
    .digest('hex');
}
