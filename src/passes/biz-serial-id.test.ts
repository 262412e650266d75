import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bizSerialIdProblem, deriveBizSerialId } from './biz-serial-id.js';

describe('bizSerialId', () => {
  it('is derived deterministically from the batch address and the user', () => {
    const a = deriveBizSerialId('summer-2027/welcome-gift', { userId: '2160220037090534' });
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(deriveBizSerialId('summer-2027/welcome-gift', { userId: '2160220037090534' })).toBe(a);
    // Pinned: changing the rule would re-issue every pass of every existing batch.
    expect(a).toBe(
      deriveBizSerialId('summer-2027/welcome-gift', { userId: '2160220037090534', openId: 'ignored' }),
    );
    expect(a).toMatchInlineSnapshot(`"d251eba3558a5cf712a05a31fa9367ac"`);
    const documented = createHash('sha256').update(
      'ipass-pass\nsummer-2027/welcome-gift\nuserId:2160220037090534',
    );
    expect(a).toBe(documented.digest('hex').slice(0, 32));
  });

  it('differs per batch and per user, and between a userId and an openId with the same text', () => {
    const ids = new Set([
      deriveBizSerialId('c/a', { userId: '2160220037090534' }),
      deriveBizSerialId('c/b', { userId: '2160220037090534' }),
      deriveBizSerialId('c/a', { userId: '2160220037090535' }),
      deriveBizSerialId('c/a', { openId: '2160220037090534' }),
    ]);
    expect(ids.size).toBe(4);
  });

  it('accepts 1–128 characters without control characters from the CSV', () => {
    expect(bizSerialIdProblem('ORDER-1')).toBeUndefined();
    expect(bizSerialIdProblem('x'.repeat(128))).toBeUndefined();
    expect(bizSerialIdProblem('x'.repeat(129))).toBe('too-long');
    expect(bizSerialIdProblem('')).toBe('empty');
    expect(bizSerialIdProblem('a\tb')).toBe('control');
  });
});
