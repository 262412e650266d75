// What every client call returns: a verified success, or a typed failure that says what happened,
// what to do, and whether the server may have applied the request. Plus the events a client emits.
import type { EndpointName, ResultInfo, ResultStatus } from './endpoints.js';

export type FailureKind =
  /** An F result: PARAM_ILLEGAL, PASS_HAS_EXIST, STATE_MACHINE_ILLEGAL, ... Not retried. */
  | 'business'
  /** INVALID_SIGNATURE, INVALID_CLIENT, KEY_NOT_FOUND, ACCESS_DENIED: the caller stops the whole run. */
  | 'credentials'
  /** INVALID_API, METHOD_NOT_SUPPORTED, MEDIA_TYPE_NOT_ACCEPTABLE: a bug in ipass (or a wrong endpoint). */
  | 'client-bug'
  /** U results, timeouts, connection errors, non-200 HTTP, once retries ran out (or were not allowed). */
  | 'unknown'
  /** The response is unsigned, badly signed or unreadable: never a success. */
  | 'verification';

export interface ApiFailure {
  kind: FailureKind;
  /** The API resultCode, or TIMEOUT, CONNECTION_ERROR, HTTP_<status>, RESPONSE_UNSIGNED, RESPONSE_SIGNATURE_INVALID, RESPONSE_MALFORMED. */
  code: string;
  /** Plain words: what happened. */
  message: string;
  /** What to do about it. */
  action: string;
  /** The server may have applied the request (this attempt or an earlier one of the same call). */
  inDoubt: boolean;
  /** An earlier attempt of this same call ended in doubt, so PASS_HAS_EXIST now means "it was us". */
  priorAttemptInDoubt: boolean;
  resultMessage?: string;
  tracerId?: string;
  httpStatus?: number;
  endpoint: EndpointName;
}

export type ApiResult<T> =
  | { ok: true; data: T; result: ResultInfo; tracerId: string | undefined; attempts: number }
  | { ok: false; failure: ApiFailure; attempts: number };

/** A failed result, whatever the endpoint. */
export type ApiFailed = Extract<ApiResult<never>, { ok: false }>;

/** Progress and log events. They carry no secrets: no keys, no signatures, no request bodies. */
export type ClientEvent =
  | { type: 'attempt'; endpoint: EndpointName; attempt: number; requestTime: string }
  | {
      type: 'response';
      endpoint: EndpointName;
      attempt: number;
      /** The resultCode, or one of the client-side codes of ApiFailure. */
      code: string;
      resultStatus: ResultStatus | undefined;
      httpStatus: number | undefined;
      tracerId: string | undefined;
      durationMs: number;
    }
  | { type: 'retry'; endpoint: EndpointName; attempt: number; code: string; delayMs: number };
