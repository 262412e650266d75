// createClient builds a client from an environment's settings and credentials.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Credentials, EnvironmentSettings } from '../config/environment.js';
import { parsePrivateKey } from '../shared/keys.js';
import { createClient } from './create-client.js';
import { MockGateway } from './testing/mock-gateway.js';

const keyDir = new URL('../../test/fixtures/keys/', import.meta.url);
const privateKey = parsePrivateKey(readFileSync(new URL('client-private.pem', keyDir), 'utf8'));
const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });

const settings: EnvironmentSettings = {
  name: 'production',
  sandbox: false,
  endpoint: 'https://open.alipay.hk',
  keyVersion: 7,
  concurrency: 2,
  requestsPerSecond: Number.POSITIVE_INFINITY,
  timeoutMs: 5_000,
  maxRetries: 0,
  insecureSkipResponseVerification: false,
  state: { backend: 'file' },
  stateDir: '.ipass',
  policies: {},
};
const credentials: Credentials = {
  clientId: 'CID',
  merchantId: 'MID',
  privateKey,
  alipayPublicKey: alipay.publicKey,
};
const success = { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, templateCode: 'T1', status: 'valid' };

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe('createClient', () => {
  it('uses the endpoint, ids, keyVersion and limits of the environment', async () => {
    gateway = new MockGateway({ signingKey: alipay.privateKey });
    gateway.answer('detail', { body: success });
    const events: string[] = [];
    const client = createClient(settings, credentials, {
      dispatcher: gateway.agent,
      onEvent: (e) => events.push(e.type),
    });
    const r = await client.detail({ templateCode: 'T1' });
    expect(r.ok).toBe(true);
    const [sent] = gateway.requests;
    expect(sent?.headers['Client-Id']).toBe('CID');
    expect(sent?.headers.Signature).toMatch(/^algorithm=RSA256,keyVersion=7,signature=/);
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({ merchantId: 'MID', templateCode: 'T1' });
    expect(events).toEqual(['attempt', 'response']);
    await client.close();
  });

  it('passes insecureSkipResponseVerification through', async () => {
    gateway = new MockGateway({ signingKey: alipay.privateKey });
    gateway.answer('detail', { body: success, signing: 'none' });
    const insecure = { ...settings, insecureSkipResponseVerification: true };
    const client = createClient(
      insecure,
      { ...credentials, alipayPublicKey: undefined },
      { dispatcher: gateway.agent },
    );
    expect((await client.detail({ templateCode: 'T1' })).ok).toBe(true);
  });

  it('needs the emulator URL for the embedded sandbox', async () => {
    const sandbox = { ...settings, name: 'sandbox', sandbox: true, endpoint: 'sandbox' };
    expect(() => createClient(sandbox, credentials)).toThrow(
      expect.objectContaining({ code: 'CLIENT_NO_BASE_URL' }),
    );
    gateway = new MockGateway({ signingKey: alipay.privateKey, origin: 'http://127.0.0.1:4010' });
    gateway.answer('detail', { body: success });
    const client = createClient(sandbox, credentials, {
      baseUrl: 'http://127.0.0.1:4010',
      dispatcher: gateway.agent,
    });
    expect((await client.detail({ templateCode: 'T1' })).ok).toBe(true);
  });
});
