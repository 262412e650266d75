// One call against a MockAgent gateway: success, each F kind, unsigned / mis-signed / tampered /
// malformed responses, the result-object variants, construction. Retries are in client-retry.test.ts.
import { describe, expect, it } from 'vitest';
import { formatRequestTime } from './request-time.js';
import {
  alipay,
  created,
  issued,
  ok,
  pass,
  result,
  template,
  useGateway,
} from './testing/client-fixtures.js';

const setup = useGateway();

describe('success', () => {
  it('returns the data, the result, the Tracer-Id and one attempt', async () => {
    const { gw, client } = setup();
    gw.answer('createTemplate', { body: created });
    const r = await client.createTemplate(template);
    expect(r).toMatchObject({
      ok: true,
      attempts: 1,
      tracerId: 'tracer-1',
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
      data: { templateCode: '82022031100135000000000000626075', status: 'valid' },
    });
    expect(r.ok && Object.keys(r.data).sort()).toEqual(['status', 'templateCode']);
  });

  it('accepts `result` as well as `resultInfo`, and `resultMsg` for the message', async () => {
    const { gw, client } = setup();
    gw.answer('createPass', { body: issued });
    gw.answer('switchStatus', {
      body: { resultInfo: { resultCode: 'SUCCESS', resultStatus: 'S', resultMsg: 'done' }, status: 'paused' },
    });
    const a = await client.createPass(pass);
    const b = await client.switchStatus({ templateCode: 'T1', status: 'paused' });
    expect(a.ok && a.data.passId).toBe('2020091119027102160530200000039');
    expect(b.ok && b.result.resultMessage).toBe('done');
    expect(b.ok && b.data.status).toBe('paused');
  });

  it('reads detail`s codeStandrad (sic) as codeStandard', async () => {
    const { gw, client } = setup();
    gw.answer('detail', {
      body: {
        result: { resultCode: 'SUCCESS', resultStatus: 'S' },
        templateCode: 'T1',
        status: 'valid',
        codeStandrad: 'QRCODE',
      },
    });
    const r = await client.detail({ templateCode: 'T1' });
    expect(r.ok && r.data.codeStandard).toBe('QRCODE');
  });

  it('covers the other endpoints', async () => {
    const { gw, client } = setup();
    gw.answer('updateTemplate', { body: ok() });
    gw.answer('updateBudget', { body: ok() });
    gw.answer('updatePass', { body: ok() });
    expect((await client.updateTemplate({ templateCode: 'T1', startDate: 1, endDate: 2 })).ok).toBe(true);
    expect(
      (
        await client.updateBudget({
          requestId: 'b1',
          templateCode: 'T1',
          updateType: 'APPEND_BUDGET',
          number: 10,
        })
      ).ok,
    ).toBe(true);
    expect((await client.updatePass({ passId: 'P1', status: 'USED' })).ok).toBe(true);
    expect(gw.requests.map((r) => r.endpoint)).toEqual(['updateTemplate', 'updateBudget', 'updatePass']);
  });
});

describe('F results are not retried', () => {
  it.each([
    ['PARAM_ILLEGAL', 'business'],
    ['PROCESS_FAIL', 'business'],
    ['STATE_MACHINE_ILLEGAL', 'business'],
    ['PASS_TEMPLATE_HAS_NOT_EXIT', 'business'],
    ['USER_NOT_EXSITS', 'business'],
    ['SOMETHING_NEW', 'business'],
    ['INVALID_SIGNATURE', 'credentials'],
    ['INVALID_CLIENT', 'credentials'],
    ['KEY_NOT_FOUND', 'credentials'],
    ['ACCESS_DENIED', 'credentials'],
    ['INVALID_API', 'client-bug'],
    ['METHOD_NOT_SUPPORTED', 'client-bug'],
    ['MEDIA_TYPE_NOT_ACCEPTABLE', 'client-bug'],
  ])('%s → %s', async (code, kind) => {
    const { gw, client, delays } = setup();
    gw.answer('createPass', { body: result(code, 'F') });
    const r = await client.createPass(pass);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failure).toMatchObject({
      kind,
      code,
      inDoubt: false,
      priorAttemptInDoubt: false,
      endpoint: 'createPass',
    });
    expect(r.failure.resultMessage).toBe(code.toLowerCase());
    expect(r.failure.tracerId).toBe('tracer-1');
    expect(r.failure.message.length).toBeGreaterThan(10);
    expect(r.failure.action.length).toBeGreaterThan(10);
    expect(r.attempts).toBe(1);
    expect(gw.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('a result without resultStatus takes the documented status of a known code', async () => {
    const { gw, client } = setup();
    gw.answer('createPass', { body: { result: { resultCode: 'PASS_HAS_EXIT' } } });
    const r = await client.createPass(pass);
    expect(!r.ok && r.failure.code).toBe('PASS_HAS_EXIT');
  });
});

describe('response verification', () => {
  it.each([
    ['none', 'RESPONSE_UNSIGNED'],
    ['garbage', 'RESPONSE_SIGNATURE_INVALID'],
    ['other-body', 'RESPONSE_SIGNATURE_INVALID'],
    ['other-key', 'RESPONSE_SIGNATURE_INVALID'],
  ] as const)(
    'a SUCCESS body signed "%s" is never a success: %s, in doubt, not retried',
    async (signing, code) => {
      const { gw, client } = setup();
      gw.answer('createPass', { body: issued, signing });
      const r = await client.createPass(pass);
      expect(r).toMatchObject({
        ok: false,
        attempts: 1,
        failure: { kind: 'verification', code, inDoubt: true },
      });
    },
  );

  it('a Signature without Response-Time is unsigned', async () => {
    const { gw, client } = setup();
    gw.answer('createPass', (req) => ({
      body: issued,
      signing: 'none',
      headers: { Signature: gw.signedHeaders(req.path, 'CLIENT_1', JSON.stringify(issued)).Signature ?? '' },
    }));
    const r = await client.createPass(pass);
    expect(!r.ok && r.failure.code).toBe('RESPONSE_UNSIGNED');
  });

  it.each([
    ['an hour before the request (a replayed answer)', -3_600_000],
    ['a day after it', 86_400_000],
  ])('a signed answer whose Response-Time is %s is not its answer: in doubt', async (_what, offset) => {
    const { gw, client } = setup({ maxRetries: 1 });
    const at = formatRequestTime(new Date(Date.now() + offset));
    gw.answer(
      'createPass',
      (req) => ({
        body: issued,
        signing: 'none',
        headers: gw.signedHeaders(req.path, 'CLIENT_1', JSON.stringify(issued), undefined, at),
      }),
      2,
    );
    const r = await client.createPass(pass);
    expect(r).toMatchObject({
      ok: false,
      attempts: 2,
      failure: { kind: 'verification', code: 'RESPONSE_OUT_OF_PLACE', inDoubt: true },
    });
  });

  it('a signed answer a few minutes off (clock skew) is still accepted', async () => {
    const { gw, client } = setup();
    const at = formatRequestTime(new Date(Date.now() - 3 * 60_000));
    gw.answer('createPass', (req) => ({
      body: issued,
      signing: 'none',
      headers: gw.signedHeaders(req.path, 'CLIENT_1', JSON.stringify(issued), undefined, at),
    }));
    expect((await client.createPass(pass)).ok).toBe(true);
  });
});

describe('response verification: algorithms, unsigned failures and the insecure setting', () => {
  it('a different algorithm is refused', async () => {
    const { gw, client } = setup();
    gw.answer('createPass', (req) => {
      const signed = gw.signedHeaders(req.path, 'CLIENT_1', JSON.stringify(issued));
      return {
        body: issued,
        signing: 'none',
        headers: { ...signed, Signature: (signed.Signature ?? '').replace('RSA256', 'ECC224') },
      };
    });
    const r = await client.createPass(pass);
    expect(!r.ok && r.failure.code).toBe('RESPONSE_SIGNATURE_INVALID');
  });

  it('an unsigned INVALID_SIGNATURE answer is a credentials failure that says it was unsigned', async () => {
    const { gw, client } = setup();
    gw.answer('createPass', { body: result('INVALID_SIGNATURE', 'F'), signing: 'none' });
    const r = await client.createPass(pass);
    expect(r).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { kind: 'credentials', code: 'INVALID_SIGNATURE', inDoubt: true },
    });
    expect(!r.ok && r.failure.message).toMatch(/unsigned/);
  });

  it('an unsigned business failure is still unverifiable', async () => {
    const { gw, client } = setup();
    gw.answer('createPass', { body: result('PARAM_ILLEGAL', 'F'), signing: 'none' });
    const r = await client.createPass(pass);
    expect(!r.ok && r.failure).toMatchObject({ kind: 'verification', code: 'RESPONSE_UNSIGNED' });
  });

  it.each([
    ['not JSON', 'hello'],
    ['no result object', { passId: 'P1' }],
    ['a success without passId', ok({}, 'result')],
    ['an unknown code without status', { result: { resultCode: 'WHATEVER' } }],
  ])('a signed response with %s is RESPONSE_MALFORMED', async (_, body) => {
    const { gw, client } = setup();
    gw.answer('createPass', { body });
    const r = await client.createPass(pass);
    expect(!r.ok && r.failure).toMatchObject({
      kind: 'verification',
      code: 'RESPONSE_MALFORMED',
      inDoubt: true,
    });
  });

  it('with insecureSkipResponseVerification an unsigned response is read', async () => {
    const { gw, client } = setup({ alipayPublicKey: undefined, insecureSkipResponseVerification: true });
    gw.answer('createPass', { body: issued, signing: 'none' });
    expect(await client.createPass(pass)).toMatchObject({ ok: true });
  });
});

describe('construction and lifecycle', () => {
  it('refuses a missing response key, a public key for signing, and bad limits', () => {
    expect(() => setup({ alipayPublicKey: undefined })).toThrow(/public key/);
    expect(() => setup({ privateKey: alipay.publicKey })).toThrow(/RSA private key/);
    expect(() => setup({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => setup({ requestsPerSecond: 0 })).toThrow(/requestsPerSecond/);
    expect(() => setup({ baseUrl: 'ftp://x' })).toThrow(/http/);
  });

  it('refuses calls after close', async () => {
    const { client } = setup();
    await client.close();
    await expect(client.createPass(pass)).rejects.toThrow(/closed/);
  });

  it('emits attempt and response events with no secrets', async () => {
    const { gw, client, events } = setup();
    gw.answer('createPass', { body: issued });
    await client.createPass(pass);
    expect(events.map((e) => e.type)).toEqual(['attempt', 'response']);
    expect(events[1]).toMatchObject({
      code: 'SUCCESS',
      resultStatus: 'S',
      httpStatus: 200,
      tracerId: 'tracer-1',
    });
  });
});
