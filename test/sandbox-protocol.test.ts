// Gateway checks of the sandbox over real HTTP: every protocol code, unsigned INVALID_SIGNATURE,
// case-insensitive percent-decoding, response headers and signatures, result object names.
import { generateKeyPairSync } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_PATHS } from '../src/api/endpoints.js';
import { contentToSign, formatSignatureHeader, signContent } from '../src/api/signing.js';
import {
  createTemplate,
  startTestSandbox,
  type TestSandbox,
  templateBody,
} from '../src/sandbox/testing/harness.js';
import { type SendOverrides, SignedClient } from '../src/sandbox/testing/signed-client.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const detailBody = { templateCode: '82027010100135000000000000009999' };
const TIME = '2027-01-01T00:00:00+08:00';

/** A detail request with some part of the protocol changed. */
async function send(
  overrides: SendOverrides & { body?: Record<string, unknown>; client?: SignedClient } = {},
) {
  const { body = detailBody, client = t.client, ...rest } = overrides;
  const reply = await client.call('detail', body, rest);
  return { code: reply.result?.resultCode, signed: reply.signed, reply };
}

/** A detail request whose whole Signature header is rewritten after signing. */
async function sendWithHeader(mapHeader: (header: string) => string) {
  const { merchantId, clientId, privateKey } = t.client.options;
  const body = JSON.stringify({ merchantId, ...detailBody });
  const path = ENDPOINT_PATHS.detail;
  const value = signContent(contentToSign('POST', path, clientId, TIME, body), privateKey);
  const reply = await t.client.send(path, body, {
    requestTime: TIME,
    headers: { signature: mapHeader(formatSignatureHeader(1, value)) },
  });
  return { code: reply.result?.resultCode, signed: reply.signed, reply };
}

function strangerClient(): SignedClient {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return new SignedClient({ ...t.client.options, privateKey });
}

describe('gateway checks', () => {
  const cases: Array<[string, () => ReturnType<typeof send>, string, boolean]> = [
    ['GET is not supported', () => send({ method: 'GET' }), 'METHOD_NOT_SUPPORTED', true],
    ['unknown path', () => send({ path: '/api/open/alipay/v1/ipass/nothing' }), 'INVALID_API', true],
    [
      'Content-Type text/plain',
      () => send({ headers: { 'content-type': 'text/plain' } }),
      'MEDIA_TYPE_NOT_ACCEPTABLE',
      true,
    ],
    [
      'charset other than UTF-8',
      () => send({ headers: { 'content-type': 'application/json; charset=ISO-8859-1' } }),
      'MEDIA_TYPE_NOT_ACCEPTABLE',
      true,
    ],
    ['unknown Client-Id', () => send({ headers: { 'client-id': 'NOBODY' } }), 'INVALID_CLIENT', true],
    ['missing Client-Id', () => send({ headers: { 'client-id': undefined } }), 'INVALID_CLIENT', true],
    ['missing Signature', () => send({ headers: { signature: undefined } }), 'INVALID_SIGNATURE', false],
    [
      'algorithm other than RSA256',
      () => sendWithHeader((h) => h.replace('RSA256', 'ECC224')),
      'INVALID_SIGNATURE',
      false,
    ],
    [
      'signature with no value',
      () => sendWithHeader((h) => h.replace(/signature=.*$/, 'signature=')),
      'INVALID_SIGNATURE',
      false,
    ],
    [
      'signature over other content',
      () => send({ mapSignature: (s) => s.slice(4) + s.slice(0, 4) }),
      'INVALID_SIGNATURE',
      false,
    ],
    ['signature by another key', () => send({ client: strangerClient() }), 'INVALID_SIGNATURE', false],
    [
      'tampered body',
      () =>
        send({
          rawBody: JSON.stringify({ merchantId: '2160120041113167', ...detailBody }),
          mapSignature: () => 'AAAA',
        }),
      'INVALID_SIGNATURE',
      false,
    ],
    [
      'unregistered keyVersion',
      () => sendWithHeader((h) => h.replace('keyVersion=1', 'keyVersion=2')),
      'KEY_NOT_FOUND',
      true,
    ],
    ['missing Request-Time', () => send({ headers: { 'request-time': undefined } }), 'PARAM_ILLEGAL', true],
    [
      'Request-Time without offset',
      () => send({ requestTime: '2027-01-01T00:00:00' }),
      'PARAM_ILLEGAL',
      true,
    ],
    ['Request-Time not a date', () => send({ requestTime: 'yesterday' }), 'PARAM_ILLEGAL', true],
    ['body not JSON', () => send({ rawBody: '{"merchantId":' }), 'PARAM_ILLEGAL', true],
    ['body a JSON array', () => send({ rawBody: '[1,2]' }), 'PARAM_ILLEGAL', true],
    [
      'body over 4 MiB',
      () => send({ rawBody: `{"pad":"${'x'.repeat(4.5 * 1024 * 1024)}"}` }),
      'PARAM_ILLEGAL',
      true,
    ],
    [
      'another merchant',
      () => send({ body: { ...detailBody, merchantId: '2160999999999999' } }),
      'ACCESS_DENIED',
      true,
    ],
    ['no merchantId', () => send({ noMerchant: true }), 'PARAM_ILLEGAL', true],
  ];

  it.each(cases.map(([name, run, code, signed]) => ({ name, run, code, signed })))(
    '$name → $code',
    async ({ run, code, signed }) => {
      const { code: got, signed: wasSigned, reply } = await run();
      expect(got).toBe(code);
      expect(wasSigned).toBe(signed);
      expect(reply.statusCode).toBe(200);
      if (signed) expect(reply.verified).toBe(true);
    },
  );

  it('answers a good request (the control case)', async () => {
    expect((await send()).code).toBe('PASS_TEMPLATE_HAS_NOT_EXIT');
  });

  it('accepts lower-case percent-encoding in the signature', async () => {
    let changed = false;
    const { code } = await send({
      mapSignature: (s) => {
        const lower = s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
        changed = lower !== s;
        return lower;
      },
    });
    expect(code).toBe('PASS_TEMPLATE_HAS_NOT_EXIT');
    // Practically every RSA-2048 signature has a + / or = in its base64.
    expect(changed).toBe(true);
  });

  it('accepts spaces around Signature pairs and a missing keyVersion (the latest key)', async () => {
    const spaced = await sendWithHeader((h) =>
      h.replaceAll(',', ' , ').replaceAll('=', '=').replace('keyVersion=1 , ', ''),
    );
    expect(spaced.code).toBe('PASS_TEMPLATE_HAS_NOT_EXIT');
  });

  it('accepts a Request-Time in UTC (Z)', async () => {
    expect((await send({ requestTime: '2027-01-01T00:00:00Z' })).code).toBe('PASS_TEMPLATE_HAS_NOT_EXIT');
  });

  it('accepts switchStatus with merchantAccountId instead of merchantId', async () => {
    const code = await createTemplate(t.client);
    const reply = await t.client.call(
      'switchStatus',
      { merchantAccountId: t.client.options.merchantId, templateCode: code, status: 'paused' },
      { noMerchant: true },
    );
    expect(reply.result?.resultCode).toBe('SUCCESS');
  });
});

describe('responses', () => {
  it('carry Client-Id, Response-Time (+08:00), Tracer-Id and a Signature that verifies with the sandbox key', async () => {
    const reply = await t.client.call('createTemplate', templateBody());
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.headers['client-id']).toBe(t.client.options.clientId);
    expect(reply.headers['response-time']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(reply.headers['tracer-id']).toMatch(/\S+/);
    expect(reply.headers.signature).toMatch(/^algorithm=RSA256,keyVersion=1,signature=\S+$/);
    expect(reply.verified).toBe(true);
    expect(reply.json.resultInfo).toEqual({
      resultCode: 'SUCCESS',
      resultStatus: 'S',
      resultMessage: 'success',
    });
  });

  it('name the result object per endpoint: result for createPass and detail, resultInfo elsewhere', async () => {
    const code = await createTemplate(t.client);
    const detail = await t.client.call('detail', { templateCode: code });
    expect(detail.json.result.resultCode).toBe('SUCCESS');
    const pass = await t.client.call('createPass', { templateCode: 'x' });
    expect(pass.json.result.resultStatus).toBe('F');
    for (const endpoint of ['updateTemplate', 'switchStatus', 'updateBudget', 'updatePass'] as const) {
      const reply = await t.client.call(endpoint, {});
      expect(reply.json.resultInfo?.resultStatus, endpoint).toBe('F');
      expect(reply.verified).toBe(true);
    }
  });

  it('give distinct Tracer-Ids, also on unsigned errors and inspection routes', async () => {
    const a = await send();
    const b = await send({ headers: { signature: undefined } });
    expect(a.reply.headers['tracer-id']).toBeDefined();
    expect(b.reply.headers['tracer-id']).toBeDefined();
    expect(a.reply.headers['tracer-id']).not.toBe(b.reply.headers['tracer-id']);
    const inspection = await request(`${t.sandbox.url}/__sandbox/stats`);
    await inspection.body.dump();
    expect(inspection.headers['tracer-id']).toBeDefined();
  });
});
