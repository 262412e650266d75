// Fixed vectors. The expected signatures were computed independently of this code with openssl:
//   printf '%s' "<content>" > c.txt
//   openssl dgst -sha256 -sign test/fixtures/keys/client-private.pem c.txt | base64 -w0
// and then percent-encoded (+ / = → %2B %2F %3D).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import vector from '../../test/fixtures/protocol-vector.json' with { type: 'json' };
import { parsePrivateKey, parsePublicKey } from '../shared/keys.js';
import {
  contentToSign,
  formatSignatureHeader,
  parseSignatureHeader,
  signContent,
  signContentAsync,
  verifyContent,
} from './signing.js';

const keyDir = new URL('../../test/fixtures/keys/', import.meta.url);
const privatePem = readFileSync(new URL('client-private.pem', keyDir), 'utf8');
const privatePkcs1Pem = readFileSync(new URL('client-private-pkcs1.pem', keyDir), 'utf8');
const publicPem = readFileSync(new URL('client-public.pem', keyDir), 'utf8');

const cases = [
  {
    content: contentToSign(
      'POST',
      '/api/open/alipay/v1/ipass/template/manage/createTemplate',
      '2110200000000000000044',
      '2027-05-22T06:42:21+08:00',
      '{"requestId":"abcdefg135202000000000263818","merchantId":"2160120041113167","stock":100}',
    ),
    sha256: '8f5a2ed41279a4a420f01f0ee5581686dfd037a794d3d1e99e6f04ae4359b1d2',
    openssl:
      'PQfm6XtcClMkaRS1m6UAcx0NUuNSMHCl0CncPCW3t2vog8CU6PE2iYHI0qPd8nADsaa7UBOi/irg555juel4Z/ORq9B4UWZuPsCMym/gtUUXfZDXdhQlbB60Jo1e1fkX0sNEBw6ox4aLBEorMve5ODTAZFV81IA1Hk+xCxgor9Wj62um2U3JWgHPou7HL/lObcdMZ5wepudrHxygiqE7BR4fxAzFy3Q/gkG+QnPOrax/qapYZJVDQC5Rf+Rew8iycEDCen64FNgohuBTj02xXkraRsJwVnfTkQsRoHKJt2smgrjJpkmIbYO9VWKlt2A9QOKpcJxHg+F+7Z1ffWwGuQ==',
  },
  {
    content: contentToSign(
      'POST',
      '/api/open/alipay/v1/ipass/pass/manage/createPass',
      'SANDBOX_CLIENT',
      '2027-01-01T00:00:00+08:00',
      '{"dataInfo":{"zh_HK":{"$shopname$":"測試門店"}},"bizSerialId":"b/1+2=3"}',
    ),
    sha256: '8c315513a02fdb77a2678e7e48d8d343ca8dca83c7b15148fac772733dfe5295',
    openssl:
      'f+tVr2bmFBPBPjAqflLz4+KHQEr9ZyjPbAOk3kZGOMD3EgzUTpVd5i4g4olHgWNn1KlZ+iqeo21cRmiFrhKPRahViOhA6KgWSNbn+H9w/BsZ/Ro1yUeSeC7F8ISmIQELsfrhtysco4GL7TVrbflXdIhZ++t7FRntUCVIcLfdAbqPe4QkGcLlmbN703B2clTd11bAQ+3zA37jBZi2pu4pYopeLf53G2jU8liasU46QA2G/h6mSYjB3DeYF9+yoiq0kL1Cvzs5y7Mt7o0BU1AyyXfjJW+mZJxIKNTXXWrqB+rXTdOL6vD0W9ToUMRVPRgkTBUPRTqrvwGMn5XXD22luw==',
  },
];

describe('request signing', () => {
  const key = parsePrivateKey(privatePem);

  it.each(cases)('content bytes and signature match openssl (vector %#)', async (c) => {
    expect(createHash('sha256').update(c.content, 'utf8').digest('hex')).toBe(c.sha256);
    const expected = encodeURIComponent(c.openssl);
    expect(signContent(c.content, key)).toBe(expected);
    expect(await signContentAsync(c.content, key)).toBe(expected);
  });

  it('signs identically with a PKCS#1 PEM and a bare base64 PKCS#8 key', () => {
    const c = cases[0];
    if (!c) throw new Error('no vector');
    const bare = key.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const expected = encodeURIComponent(c.openssl);
    expect(signContent(c.content, parsePrivateKey(privatePkcs1Pem))).toBe(expected);
    expect(signContent(c.content, parsePrivateKey(bare))).toBe(expected);
  });

  it('verifies its own signatures, case-insensitively percent-decoded, and rejects changes', () => {
    const pub = parsePublicKey(publicPem);
    const c = cases[1];
    if (!c) throw new Error('no vector');
    const sig = signContent(c.content, key);
    expect(verifyContent(c.content, sig, pub)).toBe(true);
    expect(
      verifyContent(
        c.content,
        sig.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
        pub,
      ),
    ).toBe(true);
    expect(verifyContent(`${c.content} `, sig, pub)).toBe(false);
    expect(verifyContent(c.content, '', pub)).toBe(false);
    expect(verifyContent(c.content, '%zz', pub)).toBe(false);
  });

  it('formats and parses the Signature header', () => {
    expect(formatSignatureHeader(1, 'abc%2B')).toBe('algorithm=RSA256,keyVersion=1,signature=abc%2B');
    expect(parseSignatureHeader(' algorithm=RSA256, keyVersion=2 ,signature=a=b%3D')).toEqual({
      algorithm: 'RSA256',
      keyVersion: '2',
      signature: 'a=b%3D',
    });
  });

  it('refuses text that is not a key', () => {
    expect(() => parsePrivateKey('not a key!')).toThrow();
    expect(() => parsePublicKey('')).toThrow();
  });
});

describe('verify-only vector from protocol-vector.json (real Antom sandbox response)', () => {
  const pub = parsePublicKey(vector.alipayPublicKeyBase64);
  const content = contentToSign(
    vector.method,
    vector.path,
    vector.clientId,
    vector.responseTime,
    vector.body,
  );

  it('has the documented content hash and verifies', () => {
    expect(createHash('sha256').update(content, 'utf8').digest('hex')).toBe(vector.contentSha256);
    expect(verifyContent(content, vector.signatureHeaderValue, pub)).toBe(true);
  });

  it('fails with a trailing newline on the time, a re-serialized body, or a flipped byte', () => {
    const withNewline = contentToSign(
      vector.method,
      vector.path,
      vector.clientId,
      `${vector.responseTime}\n`,
      vector.body,
    );
    expect(verifyContent(withNewline, vector.signatureHeaderValue, pub)).toBe(false);
    const pretty = JSON.stringify(JSON.parse(vector.body), null, 2);
    const reserialized = contentToSign(
      vector.method,
      vector.path,
      vector.clientId,
      vector.responseTime,
      pretty,
    );
    expect(verifyContent(reserialized, vector.signatureHeaderValue, pub)).toBe(false);
    const flipped = contentToSign(
      vector.method,
      vector.path,
      vector.clientId,
      vector.responseTime,
      vector.body.replace('"value":"1000"', '"value":"1001"'),
    );
    expect(verifyContent(flipped, vector.signatureHeaderValue, pub)).toBe(false);
    const otherSig = vector.signatureHeaderValue.replace(/^f/, 'g');
    expect(verifyContent(content, otherSig, pub)).toBe(false);
  });
});
