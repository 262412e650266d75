// --refresh reads templates concurrently; whatever order the answers come back in, the remote view,
// the missing templates and the failures are in address order, so a plan printed twice reads the same.
import { describe, expect, it } from 'vitest';
import type { ApiCaller } from '../api/api-caller.js';
import type { ApiResult } from '../api/api-result.js';
import { emptyState, type StateFile } from '../state/state-format.js';
import { refreshTemplates } from './refresh.js';

const ADDRESSES = ['c/a', 'c/b', 'c/c', 'c/d', 'c/e', 'c/f', 'c/g', 'c/h'];

function stateWith(addresses: string[]): StateFile {
  const state = emptyState('dev', 'lineage-1');
  for (const address of addresses)
    state.templates[address] = {
      templateCode: `T-${address}`,
      status: 'valid',
    } as StateFile['templates'][string];
  return state;
}

/** Answers later addresses first; a, d and g no longer exist, b and e cannot be read. */
const reversedApi: ApiCaller = {
  async call(_endpoint, body) {
    const code = String((body as { templateCode: string }).templateCode);
    const address = code.slice(2);
    await new Promise((r) => setTimeout(r, (ADDRESSES.length - ADDRESSES.indexOf(address)) * 3));
    const fail = (c: string): ApiResult<never> => ({
      ok: false,
      attempts: 1,
      failure: {
        kind: c === 'TIMEOUT' ? 'unknown' : 'business',
        code: c,
        message: c,
        action: 'retry',
        inDoubt: false,
        priorAttemptInDoubt: false,
        endpoint: 'detail',
      },
    });
    if (/[adg]$/.test(address)) return fail('PASS_TEMPLATE_HAS_NOT_EXIST');
    if (/[be]$/.test(address)) return fail('TIMEOUT');
    const result = { resultStatus: 'S', resultCode: 'SUCCESS', resultMsg: 'success' } as const;
    return {
      ok: true,
      data: { templateCode: code, status: 'valid' } as never,
      result,
      tracerId: undefined,
      attempts: 1,
    };
  },
};

describe('refreshTemplates', () => {
  it('returns answers in address order whatever order they came back in', async () => {
    const r = await refreshTemplates(reversedApi, stateWith([...ADDRESSES].reverse()), 8);
    expect([...r.remote.keys()]).toEqual(['c/c', 'c/f', 'c/h']);
    expect(r.missing.map((m) => m.address)).toEqual(['c/a', 'c/d', 'c/g']);
    expect(r.failures.map((f) => f.address)).toEqual(['c/b', 'c/e']);
  });
});
