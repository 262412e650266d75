// Every way one createPass answer settles its recipient, and what it stops.
import { describe, expect, it } from 'vitest';
import type { ApiFailure, ApiResult } from '../api/api-result.js';
import type { CreatePassResponse } from '../api/endpoints.js';
import { type PassAttempt, settlePassAnswer, TEMPLATE_WIDE } from './settle-pass-answer.js';

const fresh: PassAttempt = { inDoubt: false, derived: false };

function ok(passId: string): ApiResult<CreatePassResponse> {
  const result = { resultStatus: 'S', resultCode: 'SUCCESS' } as const;
  return { ok: true, data: { passId }, result, tracerId: 'T-1', attempts: 1 };
}

function refused(over: Partial<ApiFailure>): ApiResult<CreatePassResponse> {
  const failure: ApiFailure = {
    kind: 'business',
    code: 'PARAM_ILLEGAL',
    message: 'a field is invalid',
    action: 'fix it',
    inDoubt: false,
    priorAttemptInDoubt: false,
    endpoint: 'createPass',
    ...over,
  };
  return { ok: false, failure, attempts: 1 };
}

describe('settlePassAnswer', () => {
  it('issues with the passId answered', () => {
    expect(settlePassAnswer(ok('P-1'), fresh, new Set(['P-0']))).toEqual({
      outcome: 'issued',
      passId: 'P-1',
    });
  });

  it('treats a passId answered before for another recipient as out of place, in doubt', () => {
    const s = settlePassAnswer(ok('P-1'), fresh, new Set(['P-1']));
    expect(s).toMatchObject({ outcome: 'in-doubt', outOfPlace: true });
    expect(s.outcome === 'in-doubt' && s.failure).toMatchObject({
      code: 'RESPONSE_OUT_OF_PLACE',
      inDoubt: true,
      tracerId: 'T-1',
    });
  });

  it('confirms PASS_HAS_EXIST (either spelling) when the pass can only be ours', () => {
    for (const code of ['PASS_HAS_EXIST', 'PASS_HAS_EXIT']) {
      const exists = (over: Partial<ApiFailure>) => refused({ code, ...over });
      expect(settlePassAnswer(exists({}), { inDoubt: true, derived: false }, new Set())).toEqual({
        outcome: 'confirmed',
      });
      expect(settlePassAnswer(exists({ priorAttemptInDoubt: true }), fresh, new Set())).toEqual({
        outcome: 'confirmed',
      });
      expect(settlePassAnswer(exists({}), { inDoubt: false, derived: true }, new Set())).toEqual({
        outcome: 'confirmed',
      });
    }
  });

  it('fails PASS_HAS_EXIST for a bizSerialId of the file that nothing of ours sent before', () => {
    const s = settlePassAnswer(refused({ code: 'PASS_HAS_EXIST' }), fresh, new Set());
    expect(s).toMatchObject({ outcome: 'failed', failure: { code: 'PASS_HAS_EXIST' } });
    expect(s).not.toHaveProperty('stopsBatch');
  });

  it('fails a business refusal, stopping the batch only when every further row would fail too', () => {
    expect(settlePassAnswer(refused({ code: 'USER_NOT_EXIST' }), fresh, new Set())).toEqual({
      outcome: 'failed',
      failure: expect.objectContaining({ code: 'USER_NOT_EXIST' }),
    });
    for (const code of TEMPLATE_WIDE) {
      expect(settlePassAnswer(refused({ code, message: 'no' }), fresh, new Set())).toMatchObject({
        outcome: 'failed',
        stopsBatch: `${code}: no`,
      });
    }
  });
});

describe('settlePassAnswer: what stops the run or the batch', () => {
  it('stops the run on refused credentials; the pass was not sent, or is in doubt if it may have been', () => {
    const denied = refused({ kind: 'credentials', code: 'INVALID_SIGNATURE' });
    expect(settlePassAnswer(denied, fresh, new Set())).toMatchObject({
      outcome: 'not-sent',
      stopsRun: 'credentials',
    });
    expect(settlePassAnswer(denied, { inDoubt: true, derived: false }, new Set())).toMatchObject({
      outcome: 'in-doubt',
      stopsRun: 'credentials',
    });
  });

  it('stops the batch on a client bug', () => {
    const bug = refused({ kind: 'client-bug', code: 'INVALID_API', message: 'unknown path' });
    expect(settlePassAnswer(bug, fresh, new Set())).toMatchObject({
      outcome: 'not-sent',
      stopsBatch: 'INVALID_API: unknown path',
    });
  });

  it('leaves an unknown outcome in doubt, and a definite non-answer as not sent', () => {
    const timeout = refused({ kind: 'unknown', code: 'TIMEOUT', inDoubt: true });
    const s = settlePassAnswer(timeout, fresh, new Set());
    expect(s).toMatchObject({ outcome: 'in-doubt' });
    expect(s).not.toHaveProperty('stopsBatch');
    expect(s).not.toHaveProperty('stopsRun');
    const http = refused({ kind: 'unknown', code: 'HTTP_OTHER', inDoubt: false });
    expect(settlePassAnswer(http, fresh, new Set())).toMatchObject({ outcome: 'not-sent' });
    // An earlier attempt of the row may have been applied: still in doubt.
    expect(settlePassAnswer(http, { inDoubt: true, derived: false }, new Set())).toMatchObject({
      outcome: 'in-doubt',
    });
  });
});
