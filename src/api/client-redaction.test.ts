// No key material and no signature value in anything the client produces: results, failure texts,
// events and thrown errors — on every failure path, even when the server echoes secrets back.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Credentials, EnvironmentSettings } from '../config/environment.js';
import { IpassClient, type IpassClientOptions } from './client.js';
import { createClient } from './create-client.js';
import { parseSignatureHeader } from './signing.js';
import { alipay, clientKey, pass } from './testing/client-fixtures.js';
import { type CapturedRequest, type MockAnswer, MockGateway } from './testing/mock-gateway.js';

type Answer = MockAnswer | Error | ((request: CapturedRequest) => MockAnswer);

const keyDir = new URL('../../test/fixtures/keys/', import.meta.url);
const pem = readFileSync(new URL('client-private.pem', keyDir), 'utf8');
const pkcs1Pem = readFileSync(new URL('client-private-pkcs1.pem', keyDir), 'utf8');
const pkcs8Der = clientKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const pkcs1Der = clientKey.export({ format: 'der', type: 'pkcs1' }).toString('base64');

const pemBody = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('-----'));

const produced: string[] = [];
const signatures: string[] = [];
const gateways: MockGateway[] = [];
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
});

async function run(answers: Answer[], overrides: Partial<IpassClientOptions> = {}) {
  const gw = new MockGateway({ signingKey: alipay.privateKey, otherKey: clientKey });
  gateways.push(gw);
  for (const a of answers) {
    if (a instanceof Error) gw.fail('createPass', a);
    else gw.answer('createPass', a);
  }
  const client = new IpassClient({
    baseUrl: gw.origin,
    clientId: 'CLIENT_1',
    merchantId: 'M1',
    privateKey: clientKey,
    keyVersion: 1,
    alipayPublicKey: alipay.publicKey,
    timeoutMs: 30,
    maxRetries: answers.length - 1,
    concurrency: 2,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    dispatcher: gw.agent,
    sleep: async () => {},
    onEvent: (e) => produced.push(JSON.stringify(e)),
    ...overrides,
  });
  const r = await client.createPass(pass);
  produced.push(JSON.stringify(r));
  if (!r.ok) produced.push(r.failure.message, r.failure.action, r.failure.resultMessage ?? '');
  for (const req of gw.requests)
    signatures.push(parseSignatureHeader(req.headers.Signature ?? '').signature ?? '');
  return r;
}

/** A server that echoes what it got (signature header and all) plus key material in its message. */
const echo =
  (resultCode: string, resultStatus: string, signing: MockAnswer['signing'] = 'ok') =>
  (req: CapturedRequest): MockAnswer => ({
    body: {
      passId: 'P1',
      result: {
        resultCode,
        resultStatus,
        resultMessage: `got ${req.headers.Signature} sig=${parseSignatureHeader(req.headers.Signature ?? '').signature} key ${pem} ${pkcs8Der}`,
      },
    },
    signing,
  });

/** One request down every failure path the client has. */
const FAILURE_PATHS: [string, () => Promise<unknown>][] = [
  ['business', () => run([{ body: { result: { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' } } }])],
  [
    'U exhausted',
    () =>
      run([
        { body: { result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' } } },
        { body: { result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' } } },
      ]),
  ],
  [
    'HTTP 500',
    () =>
      run([
        { status: 500, signing: 'none' },
        { status: 502, signing: 'none' },
      ]),
  ],
  ['HTTP 400', () => run([{ status: 400, signing: 'none' }])],
  [
    'timeout',
    () =>
      run([
        { body: 'x', delayMs: 60_000 },
        { body: 'x', delayMs: 60_000 },
      ]),
  ],
  [
    'socket',
    () =>
      run([
        new Error(`socket closed ${pem} ${pkcs1Der}`),
        Object.assign(new Error(`refused ${pkcs8Der}`), { code: 'ECONNREFUSED' }),
      ]),
  ],
  [
    'unsigned',
    () =>
      run([{ body: { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, passId: 'P' }, signing: 'none' }]),
  ],
  [
    'garbage signature',
    () =>
      run([
        {
          body: { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, passId: 'P' },
          signing: 'garbage',
        },
      ]),
  ],
  [
    'tampered',
    () =>
      run([
        {
          body: { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, passId: 'P' },
          signing: 'other-body',
        },
      ]),
  ],
  ['malformed', () => run([{ body: 'not json' }])],
];

/** Clients built from settings and keys that are wrong in ways that throw. */
function badClients(): (() => unknown)[] {
  const settings: EnvironmentSettings = {
    name: 'sandbox',
    sandbox: true,
    endpoint: 'sandbox',
    keyVersion: 1,
    concurrency: 2,
    requestsPerSecond: 10,
    timeoutMs: 1000,
    maxRetries: 1,
    insecureSkipResponseVerification: false,
    state: { backend: 'file' },
    stateDir: '.ipass',
    policies: {},
  };
  const credentials: Credentials = {
    clientId: 'C',
    merchantId: 'M',
    privateKey: clientKey,
    alipayPublicKey: alipay.publicKey,
  };
  const attempts: (() => unknown)[] = [
    () => createClient(settings, credentials),
    () =>
      createClient(
        { ...settings, sandbox: false, endpoint: `https://x/${pkcs8Der}` },
        { ...credentials, alipayPublicKey: undefined },
      ),
    () =>
      new IpassClient({
        ...credentials,
        baseUrl: `nope ${pem}`,
        keyVersion: 1,
        timeoutMs: 1,
        maxRetries: 0,
        concurrency: 1,
        requestsPerSecond: 1,
      }),
  ];
  return attempts;
}

describe('redaction', () => {
  it('drives every failure path', async () => {
    for (const [name, path] of FAILURE_PATHS) {
      const r = await path();
      expect((r as { ok: boolean }).ok, name).toBe(false);
    }
  });

  it('strips secrets a server echoes back, on every kind of answer', async () => {
    for (const [code, status] of [
      ['PARAM_ILLEGAL', 'F'],
      ['SYSTEM_ERROR', 'U'],
      ['INVALID_SIGNATURE', 'F'],
      ['INVALID_API', 'F'],
    ] as const) {
      await run([echo(code, status), echo(code, status)]);
    }
    await run([echo('INVALID_SIGNATURE', 'F', 'none')]);
    const r = await run([echo('SUCCESS', 'S')]);
    expect(r).toMatchObject({ ok: true });
  });

  it('errors thrown while building a client carry no key material', () => {
    const attempts = badClients();
    for (const attempt of attempts) {
      try {
        attempt();
        throw new Error('expected a throw');
      } catch (error) {
        const e = error as Error & { reason?: string; hint?: string };
        produced.push(e.message, e.reason ?? '', e.hint ?? '', String(e.stack));
      }
    }
  });

  it('found none of the PEM, the DER, or any signature sent in anything produced', () => {
    const all = produced.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    expect(signatures.length).toBeGreaterThan(15);
    const secrets = [...pemBody(pem), ...pemBody(pkcs1Pem), pkcs8Der, pkcs1Der];
    for (const s of signatures) secrets.push(s, decodeURIComponent(s));
    for (const secret of secrets) {
      // Any 24-character window of a secret counts as a leak, not just the whole string.
      for (let i = 0; i + 24 <= secret.length; i += 12) {
        const window = secret.slice(i, i + 24);
        if (all.includes(window))
          throw new Error(
            `secret material leaked: …${window}… in ${all.slice(Math.max(0, all.indexOf(window) - 300), all.indexOf(window) + 50)}`,
          );
      }
    }
    expect(all).not.toMatch(/PRIVATE KEY/);
  });
});
