import { describe, expect, it } from 'vitest';
import campaignSchema from '../../schemas/campaign.schema.json' with { type: 'json' };
import {
  API_LIMITS,
  endTooFarAfterStart,
  looksLikeSeconds,
  startTooFarAhead,
  stockBelowIssued,
  userIdProblem,
} from './api-limits.js';

const DAY = 86_400_000;

describe('API_LIMITS', () => {
  it('agrees with the campaign schema on the stock range', () => {
    const stock = campaignSchema.definitions.TemplateSpec.properties.stock;
    expect([stock.minimum, stock.maximum]).toEqual([API_LIMITS.stock.value.min, API_LIMITS.stock.value.max]);
  });

  it('marks the undocumented bounds as inferred', () => {
    expect(API_LIMITS.durationDays.source).toBe('inferred');
    expect(API_LIMITS.startAheadDays.source).toBe('inferred');
    expect(API_LIMITS.userIdShape.source).toBe('inferred');
    expect(API_LIMITS.stockNotBelowIssued.source).toBe('documented');
  });

  it('tells seconds from milliseconds', () => {
    expect(looksLikeSeconds(1_780_000_000)).toBe(true);
    expect(looksLikeSeconds(1_780_000_000_000)).toBe(false);
  });

  it('checks the date windows at their bounds', () => {
    const now = Date.parse('2027-01-01T00:00:00Z');
    expect(startTooFarAhead(now + 730 * DAY, now)).toBe(false);
    expect(startTooFarAhead(now + 730 * DAY + 1, now)).toBe(true);
    expect(endTooFarAfterStart(now, now + 1825 * DAY)).toBe(false);
    expect(endTooFarAfterStart(now, now + 1825 * DAY + 1)).toBe(true);
  });

  it('refuses a stock below the passes issued, not one equal to it', () => {
    expect(stockBelowIssued(4, 5)).toBe(true);
    expect(stockBelowIssued(5, 5)).toBe(false);
  });

  it("finds Excel's scientific notation and ids of another shape", () => {
    expect(userIdProblem('2.16022E+15')).toBe('scientific');
    expect(userIdProblem('2,16022E+15')).toBe('scientific');
    expect(userIdProblem('2E15')).toBe('scientific');
    expect(userIdProblem('12345')).toBe('shape');
    expect(userIdProblem('2160120037098191 ')).toBe('shape');
    expect(userIdProblem('2160120037098191')).toBeUndefined();
  });
});
