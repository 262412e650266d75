import { describe, expect, it } from 'vitest';
import { formatHongKongTime, parseDateValue } from './dates.js';

describe('parseDateValue', () => {
  it('reads ISO-8601 with an offset or Z, and epoch milliseconds', () => {
    expect(parseDateValue('2027-06-01T00:00:00+08:00')).toEqual({ ok: true, ms: Date.UTC(2027, 4, 31, 16) });
    expect(parseDateValue('2027-06-01T00:00Z')).toEqual({ ok: true, ms: Date.UTC(2027, 5, 1) });
    expect(parseDateValue('2027-06-01T00:00:00.5-01:30')).toEqual({
      ok: true,
      ms: Date.UTC(2027, 5, 1, 1, 30, 0, 500),
    });
    expect(parseDateValue(1811808000000)).toEqual({ ok: true, ms: 1811808000000 });
  });

  it('refuses dates without an offset, impossible calendar dates and non-dates', () => {
    expect(parseDateValue('2027-06-01T00:00:00')).toEqual({ ok: false, reason: 'no-offset' });
    expect(parseDateValue('2027-06-01')).toEqual({ ok: false, reason: 'no-offset' });
    expect(parseDateValue('2027-02-29T00:00:00+08:00')).toEqual({ ok: false, reason: 'calendar' });
    expect(parseDateValue('2027-06-01T24:00:00+08:00')).toEqual({ ok: false, reason: 'calendar' });
    expect(parseDateValue('June 1st')).toEqual({ ok: false, reason: 'format' });
    expect(parseDateValue(1.5)).toEqual({ ok: false, reason: 'format' });
    expect(parseDateValue(-1)).toEqual({ ok: false, reason: 'range' });
    expect(parseDateValue(true)).toEqual({ ok: false, reason: 'format' });
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseDateValue('2028-02-29T12:00:00+08:00').ok).toBe(true);
  });
});

describe('formatHongKongTime', () => {
  it('writes an instant as Hong Kong local time with its offset', () => {
    expect(formatHongKongTime(Date.UTC(2027, 4, 31, 16))).toBe('2027-06-01T00:00:00+08:00');
  });
});
