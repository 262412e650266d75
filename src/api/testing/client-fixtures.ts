// Shared by the client's unit tests: keys, request bodies, API answers, and a MockAgent gateway
// with a client wired to it (closed after each test).
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { parsePrivateKey, parsePublicKey } from '../../shared/keys.js';
import type { IpassClientOptions } from '../client.js';
import type { CreatePassRequest, CreateTemplateRequest } from '../endpoints.js';
import { gatewayClient, MockGateway } from './mock-gateway.js';

const keyDir = new URL('../../../test/fixtures/keys/', import.meta.url);
export const clientKey = parsePrivateKey(readFileSync(new URL('client-private.pem', keyDir), 'utf8'));
export const clientPublic = parsePublicKey(readFileSync(new URL('client-public.pem', keyDir), 'utf8'));
/** Stands in for AlipayHK's key pair. */
export const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });

export const template: CreateTemplateRequest = {
  requestId: 'req-0001',
  startDate: 1811808000000,
  endDate: 1819756799000,
  type: 'COUPON',
  product: 'GIFT_CARD',
  codeType: 'qrcode',
  codeStandard: 'QRCODE',
  stock: 5000,
};
export const pass: CreatePassRequest = {
  userId: '2160220037090534',
  templateCode: '82022031100135000000000000626075',
  bizSerialId: 'summer-2027/welcome-gift/2160220037090534',
  bizSerialType: 'OUT_PLAT_FORM',
  startDate: 1811808000000,
  endDate: 1819756799000,
  bizCreate: 1811808000000,
  codeInfo: { $codemsg$: 'C-1', $codevalue$: 'C-1' },
};
export const ok = (extra: Record<string, unknown> = {}, key: 'result' | 'resultInfo' = 'resultInfo') => ({
  [key]: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
  ...extra,
});
export const result = (
  resultCode: string,
  resultStatus: string,
  key: 'result' | 'resultInfo' = 'result',
) => ({
  [key]: { resultCode, resultStatus, resultMessage: resultCode.toLowerCase() },
});
export const created = ok({ templateCode: '82022031100135000000000000626075', status: 'valid' });
export const issued = ok({ passId: '2020091119027102160530200000039' }, 'result');

/** Call at the top of a test file: returns `setup()`, which makes a gateway and a client on it. */
export function useGateway() {
  let gateway: MockGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });
  return function setup(overrides: Partial<IpassClientOptions> = {}) {
    const gw = new MockGateway({ signingKey: alipay.privateKey, otherKey: clientKey });
    gateway = gw;
    return {
      gw,
      ...gatewayClient(gw, { privateKey: clientKey, alipayPublicKey: alipay.publicKey }, overrides),
    };
  };
}
