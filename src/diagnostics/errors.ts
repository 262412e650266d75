// Coded errors for runtime failures (network, credentials, stale state, lock held, ...).
// Each says what happened, why, and how to fix it; secrets are stripped where the error is created.
import type { ErrorCode } from './error-codes.js';

export interface IpassErrorOptions {
  /** Why it happened, when that adds to the message. */
  reason?: string;
  /** How to fix it. */
  hint?: string;
  /** Structured facts for --format json output (never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

declare const apiCodeBrand: unique symbol;
/** A code the API answered with, or its client gave on its behalf: see docs/result-codes.md. */
export type ApiCode = string & { readonly [apiCodeBrand]: true };

/** The code of a failed API request, to report it as an IpassError under the API's own code. */
export function apiCodeOf(failure: { code: string }): ApiCode {
  // The one place an API code becomes a coded error's: the API's list is open (it may add codes).
  return failure.code as ApiCode;
}

/** A failure the user can act on. Anything else that escapes is a bug and is reported as one. */
export class IpassError extends Error {
  /** A code of ipass's own list (error-codes.ts), or one the API answered with. */
  readonly code: ErrorCode | ApiCode;
  readonly reason: string | undefined;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode | ApiCode, message: string, options: IpassErrorOptions = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IpassError';
    this.code = code;
    this.reason = options.reason === undefined ? undefined : redactSecrets(options.reason);
    this.hint = options.hint;
    this.details = options.details;
  }
}

export function isIpassError(value: unknown): value is IpassError {
  return value instanceof IpassError;
}

// Every repeat is bounded or cannot overlap the next part, so each pattern runs in linear time.
const PEM_BLOCK =
  /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|$)/g;
const SIGNATURE_VALUE = /(signature=)[^,\s"']+/gi;
// Long runs of base64 (a bare DER key or a raw signature) are never meant for a human.
const LONG_BASE64 = /[A-Za-z0-9+/%]{200,}={0,2}/g;
// A password inside a connection URL: scheme://user:PASSWORD@host.
const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^:/?#@\s]*:)[^@/\s]+@/gi;

// Text none of the patterns above can match (no "-", "=" or "@", shorter than a long base64 run),
// such as the "Success" of every answer, is returned as it is without running them.
const PLAIN = /^[^-=@]{0,199}$/;

/** Remove private key material and signature values from text meant for a human or a log. */
export function redactSecrets(text: string): string {
  if (PLAIN.test(text)) return text;
  return text
    .replace(PEM_BLOCK, '[redacted private key]')
    .replace(SIGNATURE_VALUE, '$1[redacted]')
    .replace(LONG_BASE64, '[redacted]')
    .replace(URL_PASSWORD, '$1[redacted]@');
}
