// The limits the iPass API puts on what it accepts that a schema cannot say, in one table: campaign
// validation and `plan` check them before anything is sent, and the sandbox (src/sandbox/rules)
// enforces the same values. Each says whether the API documents it or it is inferred; validation
// reports a breach of a documented limit as an error, of an inferred one as a warning. Pure.

export type LimitSource = 'documented' | 'inferred';

export interface ApiLimit<T> {
  value: T;
  source: LimitSource;
  /** Where the value comes from, in a few words (for messages and docs). */
  basis: string;
}

const DAY_MS = 86_400_000;

export const API_LIMITS = {
  /** createTemplate `stock` (seed 002 "1~1000000"); updateBudget keeps the total within it. */
  stock: {
    value: { min: 1, max: 1_000_000 },
    source: 'documented',
    basis: 'createTemplate stock 1~1000000',
  },
  /** updateBudget `number` (other-endpoints §6 "1~999999"). */
  budgetNumber: {
    value: { min: 1, max: 999_999 },
    source: 'documented',
    basis: 'updateBudget number 1~999999',
  },
  /** updateBudget may not take the budget below the passes already issued (other-endpoints §6). */
  stockNotBelowIssued: {
    value: true,
    source: 'documented',
    basis: 'updateBudget: the budget may not go below the cards already issued',
  },
  /**
   * Latest start, in days after now (PASS_TEMPLATE_START_TIME_EXCEED, seed 002). The code is
   * documented, its bound is not.
   */
  startAheadDays: {
    value: 730,
    source: 'inferred',
    basis: 'PASS_TEMPLATE_START_TIME_EXCEED is documented, its bound is not',
  },
  /**
   * Longest template, in days from start to end (PASS_TEMPLATE_END_TIME_EXCEED, seed 002). The code
   * is documented, its bound is not.
   */
  durationDays: {
    value: 1825,
    source: 'inferred',
    basis: 'PASS_TEMPLATE_END_TIME_EXCEED is documented, its bound is not',
  },
  /**
   * A changed startDate of an existing template may not be in the past, as on createTemplate
   * (PASS_TEMPLATE_START_TIME_LESS_CURRENT). updateTemplate's result codes are not published.
   */
  updatedStartNotInPast: {
    value: true,
    source: 'inferred',
    basis: "updateTemplate's result codes are not published; createTemplate refuses a start in the past",
  },
  /**
   * Dates are millisecond timestamps (seeds 000, 001, 002). Anything before this instant
   * (1973-03-03) is a seconds value written by mistake.
   */
  earliestDateMs: {
    value: 100_000_000_000,
    source: 'documented',
    basis: 'dates are millisecond timestamps',
  },
  /** createPass `userId` and `openId`: String(32) (seeds 000, 001). */
  userIdLength: { value: 32, source: 'documented', basis: 'createPass userId/openId String(32)' },
  /** AlipayHK user ids: every published sample (2160120037098191, 2188200000000000) is 16 digits. */
  userIdShape: {
    value: /^\d{16}$/,
    source: 'inferred',
    basis: 'every published AlipayHK user id is 16 digits; the format is not documented',
  },
} as const satisfies Record<string, ApiLimit<unknown>>;

export const START_AHEAD_MS = API_LIMITS.startAheadDays.value * DAY_MS;
export const MAX_DURATION_MS = API_LIMITS.durationDays.value * DAY_MS;

/** A date number small enough to be seconds since 1970 rather than milliseconds. */
export function looksLikeSeconds(epoch: number): boolean {
  return epoch < API_LIMITS.earliestDateMs.value;
}

/** startDate further ahead of `now` than the API accepts (PASS_TEMPLATE_START_TIME_EXCEED). */
export function startTooFarAhead(start: number, now: number): boolean {
  return start > now + START_AHEAD_MS;
}

/** endDate further after startDate than the API accepts (PASS_TEMPLATE_END_TIME_EXCEED). */
export function endTooFarAfterStart(start: number, end: number): boolean {
  return end > start + MAX_DURATION_MS;
}

/** A template's total stock set below the passes issued from it (refused by updateBudget). */
export function stockBelowIssued(stock: number, issued: number): boolean {
  return stock < issued;
}

/** "2.16022E+15": a number as Excel shows it once a column of long ids is read as numbers. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i;

export type UserIdProblem = 'scientific' | 'shape';

/** What is wrong with an AlipayHK userId, if anything (length is checked on its own). */
export function userIdProblem(userId: string): UserIdProblem | undefined {
  if (SCIENTIFIC.test(userId)) return 'scientific';
  return API_LIMITS.userIdShape.value.test(userId) ? undefined : 'shape';
}
