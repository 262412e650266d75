// Every code ipass gives, in one typed list: runtime errors (IpassError), diagnostics about input,
// plan notices and the outcomes ipass gives a request itself, each with its category and meaning.
// docs/error-codes.md documents each one (test/error-codes.test.ts keeps them in step); the codes
// the API answers with are the API's own (src/api/result-codes.ts, docs/result-codes.md).
import { CAMPAIGN_CODES } from './codes/campaign-codes.js';
import type { ErrorCategory, ErrorCodeInfo } from './codes/code-info.js';
import { PASS_LIFE_CODES } from './codes/pass-life-codes.js';
import { RECIPIENT_CODES } from './codes/recipient-codes.js';
import { RUN_CODES } from './codes/run-codes.js';
import { STATE_CODES } from './codes/state-codes.js';

export type { CodeKind, ErrorCategory, ErrorCodeInfo } from './codes/code-info.js';

export const ERROR_CODES = {
  ...CAMPAIGN_CODES,
  ...RECIPIENT_CODES,
  ...RUN_CODES,
  ...STATE_CODES,
  ...PASS_LIFE_CODES,
} satisfies Record<string, ErrorCodeInfo>;

/** A code in the list: a literal that is not one fails to compile where a code is expected. */
export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

export function categoryOf(code: string): ErrorCategory | undefined {
  return isErrorCode(code) ? ERROR_CODES[code].category : undefined;
}

/**
 * The state backend could not read or record (a full disk, a lost database connection, a write
 * refused): an apply stops sending, and what it could not record stays in doubt for the next one.
 */
export function isStorageFailure(error: { code: string }): boolean {
  return categoryOf(error.code) === 'storage';
}
