// POST /__sandbox/passes/use: mark passes used, as customers redeeming them at a shop would (the
// wallet's side of updatePass USED), so that what ipass does with a used pass can be tried.
import type { Persistence } from './persistence.js';
import type { SandboxStore, StoredPass } from './store.js';

export interface UsePassesResult {
  /** Passes that were active and are now used. */
  used: string[];
  /** Passes found but not active (used, closed or refunded already), by passId. */
  notActive: string[];
  /** Ids given that name no pass. */
  unknown: string[];
}

/**
 * Body: `{ "passIds": [...] }`, or `{ "templateCode": "...", "bizSerialIds": [...] }`. Each active pass
 * becomes used, journaled like an API change.
 */
export function usePasses(
  rawBody: Buffer,
  store: SandboxStore,
  persistence: Persistence | undefined,
  now: number,
): [number, unknown] {
  let body: { passIds?: unknown; templateCode?: unknown; bizSerialIds?: unknown };
  try {
    body = JSON.parse(rawBody.toString('utf8') || '{}');
  } catch {
    return [400, { error: 'the body is not JSON' }];
  }
  const lookups = lookupsOf(body, store);
  if (!lookups) {
    return [400, { error: 'give passIds (a list), or templateCode and bizSerialIds (a list)' }];
  }
  const result: UsePassesResult = { used: [], notActive: [], unknown: [] };
  for (const [id, pass] of lookups) {
    if (!pass) result.unknown.push(id);
    else if (pass.status !== 'active') result.notActive.push(pass.passId);
    else {
      const event = { e: 'passStatus', at: now, passId: pass.passId, status: 'used' } as const;
      persistence?.append(event);
      store.apply(event);
      result.used.push(pass.passId);
    }
  }
  return [200, result];
}

function lookupsOf(
  body: { passIds?: unknown; templateCode?: unknown; bizSerialIds?: unknown },
  store: SandboxStore,
): Array<[string, StoredPass | undefined]> | undefined {
  const strings = (v: unknown): string[] | undefined =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  const passIds = strings(body.passIds);
  if (passIds) return passIds.map((id) => [id, store.passById(id)]);
  const serials = strings(body.bizSerialIds);
  const code = body.templateCode;
  if (!serials || typeof code !== 'string') return undefined;
  return serials.map((id) => [id, store.pass(code, id)]);
}
