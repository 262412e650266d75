// Every outcome path of one call, against a MockAgent gateway: success, each failure kind, retries,
// timeouts, socket errors, unsigned / mis-signed / tampered responses, and the result-object variants.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientEvent } from './api-result.js';
import { IpassClient, type IpassClientOptions } from './client.js';
import type { CreatePassRequest, CreateTemplateRequest } from './endpoints.js';
import { MockGateway } from './mock-gateway.js';
import { parsePrivateKey } from './signing.js';

const keyDir = new URL('../../test/fixtures/keys/', import.meta.url);
const clientKey = parsePrivateKey(readFileSync(new URL('client-private.pem', keyDir), 'utf8'));
const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });

const template: CreateTemplateRequest = {
  requestId: 'req-0001',
  startDate: 1811808000000,
  endDate: 1819756799000,
  type: 'COUPON',
  product: 'GIFT_CARD',
  codeType: 'qrcode',
  codeStandard: 'QRCODE',
  stock: 5000,
};
const pass: CreatePassRequest = {
  userId: '2160220037090534',
  templateCode: '82022031100135000000000000626075',
  bizSerialId: 'summer-2027/welcome-gift/2160220037090534',
  bizSerialType: 'OUT_PLAT_FORM',
  startDate: 1811808000000,
  endDate: 1819756799000,
  bizCreate: 1811808000000,
  codeInfo: { $codemsg$: 'C-1', $codevalue$: 'C-1' },
};
const ok = (extra: Record<string, unknown> = {}, key: 'result' | 'resultInfo' = 'resultInfo') => ({
  [key]: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
  ...extra,
});
const result = (resultCode: string, resultStatus: string, key: 'result' | 'resultInfo' = 'result') => ({
  [key]: { resultCode, resultStatus, resultMessage: resultCode.toLowerCase() },
});
const created = ok({ templateCode: '82022031100135000000000000626075', status: 'valid' });
const issued = ok({ passId: '2020091119027102160530200000039' }, 'result');

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function setup(overrides: Partial<IpassClientOptions> = {}) {
  const gw = new MockGateway({ signingKey: alipay.privateKey, otherKey: clientKey });
  gateway = gw;
  const events: ClientEvent[] = [];
  const delays: number[] = [];
  const client = new IpassClient({
    baseUrl: gw.origin,
    clientId: 'CLIENT_1',
    merchantId: '2160120041113167',
    privateKey: clientKey,
    keyVersion: 1,
    alipayPublicKey: alipay.publicKey,
    timeoutMs: 5_000,
    maxRetries: 3,
    concurrency: 4,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    dispatcher: gw.agent,
    retryBaseMs: 100,
    retryMaxMs: 1_000,
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { gw, client, events, delays };
}

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

describe('retries', () => {
  it('U then S: retried with back-off, same body', async () => {
    const { gw, client, delays, events } = setup();
    gw.answer('createPass', { body: result('UNKNOWN_EXCEPTION', 'U') });
    gw.answer('createPass', { body: issued });
    const r = await client.createPass(pass);
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    expect(delays).toEqual([50]);
    expect(gw.requests[0]?.body).toBe(gw.requests[1]?.body);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      { type: 'retry', endpoint: 'createPass', attempt: 1, code: 'UNKNOWN_EXCEPTION', delayMs: 50 },
    ]);
  });

  it.each([['REQUEST_TRAFFIC_EXCEED_LIMIT'], ['SYSTEM_ERROR'], ['ANOTHER_U_CODE']])(
    '%s is retried',
    async (code) => {
      const { gw, client } = setup();
      gw.answer('createPass', { body: result(code, 'U') });
      gw.answer('createPass', { body: issued });
      expect(await client.createPass(pass)).toMatchObject({ ok: true, attempts: 2 });
    },
  );

  it('U until retries run out: unknown, in doubt, exponential capped back-off', async () => {
    const { gw, client, delays } = setup({ maxRetries: 5, random: () => 0.999999 });
    gw.answer('createPass', { body: result('UNKNOWN_EXCEPTION', 'U') }, 6);
    const r = await client.createPass(pass);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.attempts).toBe(6);
    expect(r.failure).toMatchObject({
      kind: 'unknown',
      code: 'UNKNOWN_EXCEPTION',
      inDoubt: true,
      priorAttemptInDoubt: true,
    });
    expect(delays).toEqual([99, 199, 399, 799, 999]);
    expect(gw.requests).toHaveLength(6);
  });

  it('HTTP 500 then S', async () => {
    const { gw, client } = setup();
    gw.answer('createTemplate', { status: 500, body: 'oops', signing: 'none' });
    gw.answer('createTemplate', { body: created });
    expect(await client.createTemplate(template)).toMatchObject({ ok: true, attempts: 2 });
  });

  it('HTTP 503 until retries run out: in doubt', async () => {
    const { gw, client } = setup({ maxRetries: 1 });
    gw.answer('createTemplate', { status: 503, signing: 'none' }, 2);
    const r = await client.createTemplate(template);
    expect(!r.ok && r.failure).toMatchObject({
      kind: 'unknown',
      code: 'HTTP_503',
      httpStatus: 503,
      inDoubt: true,
    });
  });

  it('HTTP 400 is not retried and not in doubt', async () => {
    const { gw, client } = setup();
    gw.answer('createTemplate', { status: 400, body: 'bad', signing: 'none' });
    const r = await client.createTemplate(template);
    expect(r).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { kind: 'unknown', code: 'HTTP_400', inDoubt: false },
    });
  });

  it('HTTP 429 is retried, honouring Retry-After up to the cap', async () => {
    const { gw, client, delays } = setup();
    gw.answer('createPass', { status: 429, signing: 'none', headers: { 'Retry-After': '0' } });
    gw.answer('createPass', { status: 429, signing: 'none', headers: { 'Retry-After': '30' } });
    gw.answer('createPass', { body: issued });
    expect(await client.createPass(pass)).toMatchObject({ ok: true, attempts: 3 });
    expect(delays).toEqual([50, 1_000]);
  });

  it('timeout then S', async () => {
    const { gw, client } = setup({ timeoutMs: 30 });
    gw.answer('createPass', { body: issued, delayMs: 60_000 });
    gw.answer('createPass', { body: issued });
    const r = await client.createPass(pass);
    expect(r).toMatchObject({ ok: true, attempts: 2 });
  });

  it('timeouts until retries run out: TIMEOUT, in doubt', async () => {
    const { gw, client } = setup({ timeoutMs: 20, maxRetries: 1 });
    gw.answer('createPass', { body: issued, delayMs: 60_000 }, 2);
    const r = await client.createPass(pass);
    expect(!r.ok && r.failure).toMatchObject({ kind: 'unknown', code: 'TIMEOUT', inDoubt: true });
  });

  it('connection error then S', async () => {
    const { gw, client } = setup();
    gw.fail('createPass', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    gw.answer('createPass', { body: issued });
    expect(await client.createPass(pass)).toMatchObject({ ok: true, attempts: 2 });
  });

  it('connection refused every time: CONNECTION_ERROR, not in doubt (nothing was sent)', async () => {
    const { gw, client } = setup({ maxRetries: 2 });
    gw.fail(
      'createPass',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      3,
    );
    const r = await client.createPass(pass);
    expect(r).toMatchObject({
      ok: false,
      attempts: 3,
      failure: { code: 'CONNECTION_ERROR', kind: 'unknown', inDoubt: false },
    });
  });

  it('PASS_HAS_EXIST after a timed-out first attempt: priorAttemptInDoubt', async () => {
    const { gw, client } = setup({ timeoutMs: 30 });
    gw.answer('createPass', { body: issued, delayMs: 60_000 });
    gw.answer('createPass', { body: result('PASS_HAS_EXIST', 'F', 'resultInfo') });
    const r = await client.createPass(pass);
    expect(r).toMatchObject({
      ok: false,
      attempts: 2,
      failure: { kind: 'business', code: 'PASS_HAS_EXIST', priorAttemptInDoubt: true, inDoubt: true },
    });
  });

  it('PASS_HAS_EXIT on a first attempt: someone else used the bizSerialId', async () => {
    const { gw, client } = setup();
    gw.answer('createPass', { body: result('PASS_HAS_EXIT', 'F') });
    const r = await client.createPass(pass);
    expect(!r.ok && r.failure).toMatchObject({
      code: 'PASS_HAS_EXIT',
      priorAttemptInDoubt: false,
      inDoubt: false,
    });
  });

  it('maxRetries 0 never retries', async () => {
    const { gw, client } = setup({ maxRetries: 0 });
    gw.answer('createPass', { body: result('SYSTEM_ERROR', 'U') });
    expect(await client.createPass(pass)).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { inDoubt: true },
    });
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
      failure: { kind: 'credentials', code: 'INVALID_SIGNATURE', inDoubt: false },
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
