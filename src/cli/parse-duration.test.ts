import { describe, expect, it } from 'vitest';
import { IpassError } from '../diagnostics/errors.js';
import { parseDuration } from './project.js';

describe('parseDuration', () => {
  it('reads ms, s, m and h, and a bare 0', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('0')).toBe(0);
  });

  it('refuses a number without a unit, suggesting seconds', () => {
    const error = (() => {
      try {
        parseDuration('30');
      } catch (e) {
        return e;
      }
    })() as IpassError;
    expect(error).toBeInstanceOf(IpassError);
    expect(error.code).toBe('BAD_DURATION');
    expect(error.message).toContain('no unit');
    expect(error.hint).toContain('30s');
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', 'soon', '5 minutes', '-1s', '1d']) {
      expect(() => parseDuration(text), text).toThrow(/not a duration/);
    }
  });
});
