// The exact bytes on the wire: headers as protocol.md names them, a body serialized once with
// merchantId added, a signature that verifies over that exact body, and fresh time + signature per retry.
import { afterEach, describe, expect, it } from 'vitest';
import { IpassClient } from './client.js';
import { ENDPOINT_PATHS } from './endpoints.js';
import { formatRequestTime } from './request-time.js';
import { contentToSign, parseSignatureHeader, verifyContent } from './signing.js';
import { alipay, clientKey, clientPublic } from './testing/client-fixtures.js';
import { MockGateway } from './testing/mock-gateway.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function setup(times: Date[]) {
  const gw = new MockGateway({ signingKey: alipay.privateKey });
  gateway = gw;
  let i = 0;
  const client = new IpassClient({
    baseUrl: gw.origin,
    clientId: '2110200000000000000044',
    merchantId: '2160120041113167',
    privateKey: clientKey,
    keyVersion: 3,
    alipayPublicKey: alipay.publicKey,
    timeoutMs: 5_000,
    maxRetries: 2,
    concurrency: 2,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    dispatcher: gw.agent,
    now: () => times[Math.min(i++, times.length - 1)] as Date,
    sleep: async () => {},
  });
  return { gw, client };
}

const body = {
  requestId: 'abcdefg135202000000000263818',
  startDate: 1811808000000,
  endDate: 1819756799000,
  type: 'COUPON',
  product: 'GIFT_CARD',
  codeType: 'qrcode',
  codeStandard: 'QRCODE',
  stock: 100,
  localeInfo: { zh_HK: { name: '咖啡券', description: '測試 "quotes" \\ and / + =' } },
};

describe('request on the wire', () => {
  it('formats Request-Time in Hong Kong time with its offset', () => {
    expect(formatRequestTime(new Date('2027-05-21T22:42:21.987Z'))).toBe('2027-05-22T06:42:21+08:00');
    // Made once per second: the next second, and an earlier one again, are not served stale.
    expect(formatRequestTime(new Date('2027-05-21T22:42:22.000Z'))).toBe('2027-05-22T06:42:22+08:00');
    expect(formatRequestTime(new Date('2027-05-21T22:42:21.000Z'))).toBe('2027-05-22T06:42:21+08:00');
    expect(formatRequestTime(new Date('1969-12-31T23:59:59.500Z'))).toBe('1970-01-01T07:59:59+08:00');
  });

  it('sends the documented headers and a body whose signature verifies byte for byte', async () => {
    const { gw, client } = setup([new Date('2027-05-21T22:42:21Z')]);
    gw.answer('createTemplate', {
      body: { resultInfo: { resultCode: 'SUCCESS', resultStatus: 'S' }, templateCode: 'T1', status: 'valid' },
    });
    const r = await client.createTemplate(body);
    expect(r.ok).toBe(true);
    const [sent] = gw.requests;
    if (!sent) throw new Error('nothing sent');
    expect(sent.path).toBe(ENDPOINT_PATHS.createTemplate);
    expect(Object.keys(sent.headers).sort()).toEqual([
      'Client-Id',
      'Content-Type',
      'Request-Time',
      'Signature',
    ]);
    expect(sent.headers['Content-Type']).toBe('application/json; charset=UTF-8');
    expect(sent.headers['Client-Id']).toBe('2110200000000000000044');
    expect(sent.headers['Request-Time']).toBe('2027-05-22T06:42:21+08:00');
    expect(sent.headers.Signature).toMatch(
      /^algorithm=RSA256,keyVersion=3,signature=[A-Za-z0-9%\-_.!~*'()]+$/,
    );
    // merchantId first, then the caller's fields in their order, serialized once.
    expect(sent.body).toBe(JSON.stringify({ merchantId: '2160120041113167', ...body }));
    const signature = parseSignatureHeader(sent.headers.Signature ?? '').signature ?? '';
    const content = contentToSign(
      'POST',
      sent.path,
      '2110200000000000000044',
      '2027-05-22T06:42:21+08:00',
      sent.body,
    );
    expect(verifyContent(content, signature, clientPublic)).toBe(true);
    expect(verifyContent(`${content} `, signature, clientPublic)).toBe(false);
  });
});

describe('request on the wire: merchantId and retries', () => {
  it('a caller cannot change merchantId', async () => {
    const { gw, client } = setup([new Date('2027-05-21T22:42:21Z')]);
    gw.answer('detail', {
      body: { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, templateCode: 'T1', status: 'valid' },
    });
    await client.call('detail', { templateCode: 'T1', merchantId: 'other' } as { templateCode: string });
    expect(JSON.parse(gw.requests[0]?.body ?? '{}')).toEqual({
      merchantId: '2160120041113167',
      templateCode: 'T1',
    });
  });

  it('a retry has a fresh Request-Time and signature and the identical body', async () => {
    const { gw, client } = setup([new Date('2027-05-21T22:42:21Z'), new Date('2027-05-21T22:42:24Z')]);
    gw.answer('createTemplate', { body: { result: { resultCode: 'SYSTEM_ERROR', resultStatus: 'U' } } });
    gw.answer('createTemplate', {
      body: { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, templateCode: 'T1', status: 'valid' },
    });
    const r = await client.createTemplate(body);
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    const [first, second] = gw.requests;
    if (!first || !second) throw new Error('expected two requests');
    expect(second.body).toBe(first.body);
    expect(JSON.parse(second.body).requestId).toBe(body.requestId);
    expect(first.headers['Request-Time']).toBe('2027-05-22T06:42:21+08:00');
    expect(second.headers['Request-Time']).toBe('2027-05-22T06:42:24+08:00');
    expect(second.headers.Signature).not.toBe(first.headers.Signature);
    for (const sent of [first, second]) {
      const signature = parseSignatureHeader(sent.headers.Signature ?? '').signature ?? '';
      const content = contentToSign(
        'POST',
        sent.path,
        '2110200000000000000044',
        sent.headers['Request-Time'] ?? '',
        sent.body,
      );
      expect(verifyContent(content, signature, clientPublic)).toBe(true);
    }
  });
});
