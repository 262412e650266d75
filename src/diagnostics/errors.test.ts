// redactSecrets: what it strips, including text short enough or plain enough to look harmless.
import { describe, expect, it } from 'vitest';
import { redactSecrets } from './errors.js';

const base64 = (n: number) => 'QUJD'.repeat(Math.ceil(n / 4)).slice(0, n);

describe('redactSecrets', () => {
  it('returns plain text as it is', () => {
    for (const text of ['Success', '', 'the template is closed: 82027010100135000000000000000001']) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it('strips signature values, key blocks, long base64 runs and URL passwords, however short the text', () => {
    expect(redactSecrets('signature=abc')).toBe('signature=[redacted]');
    expect(redactSecrets('-----BEGIN PRIVATE KEY-----\nMIIB')).toBe('[redacted private key]');
    expect(redactSecrets(`x ${base64(200)}`)).toBe('x [redacted]');
    expect(redactSecrets(`x ${base64(199)}`)).toBe(`x ${base64(199)}`);
    expect(redactSecrets('postgres://ipass:hunter2@db/ipass')).toBe('postgres://ipass:[redacted]@db/ipass');
  });
});
