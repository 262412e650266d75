// One HTTP exchange → one attempt outcome. Non-200 is a transport failure; otherwise the signature is
// verified over the raw body text before parsing, then `result`/`resultInfo` is read and classified.
import type { KeyObject } from 'node:crypto';
import { redactSecrets } from '../diagnostics/errors.js';
import type { FailureKind } from './api-result.js';
import { CLIENT_CODES, type ClientCode } from './client-codes.js';
import type { EndpointName, ResultInfo, ResultStatus } from './endpoints.js';
import { classifyResult, isCredentialsCode, knownResultCode } from './result-codes.js';
import { contentToSign, parseSignatureHeader, SIGNATURE_ALGORITHM, verifyContent } from './signing.js';
import type { TransportOutcome } from './transport.js';

export interface AttemptFailure {
  kind: FailureKind;
  code: string;
  message: string;
  action: string;
  inDoubt: boolean;
  retryable: boolean;
  retryAfterMs?: number;
  resultStatus?: ResultStatus;
  resultMessage?: string;
  tracerId?: string;
  httpStatus?: number;
}

export type AttemptOutcome =
  | { ok: true; data: unknown; result: ResultInfo; tracerId: string | undefined }
  | { ok: false; failure: AttemptFailure };

export interface VerifyContext {
  endpoint: EndpointName;
  /** The request path exactly as sent (the response is signed over it). */
  path: string;
  /** Our Client-Id: used when the response carries none. */
  clientId: string;
  /** AlipayHK's public key; undefined only when verification is switched off. */
  publicKey: KeyObject | undefined;
  /** When this attempt was sent (ms since the epoch): a signed answer far from it is not its answer. */
  sentAt?: number;
  /** How long the exchange may take (the request timeout). */
  timeoutMs?: number;
}

/** Clock difference tolerated between this machine and AlipayHK. */
export const RESPONSE_TIME_SKEW_MS = 5 * 60_000;

/** False when a Response-Time cannot be this attempt's: unreadable, or outside the window around it. */
function plausibleResponseTime(responseTime: string, ctx: VerifyContext): boolean {
  if (ctx.sentAt === undefined) return true;
  const at = Date.parse(responseTime);
  if (Number.isNaN(at)) return false;
  return (
    at >= ctx.sentAt - RESPONSE_TIME_SKEW_MS &&
    at <= ctx.sentAt + (ctx.timeoutMs ?? 0) + RESPONSE_TIME_SKEW_MS
  );
}

/** The id a success must carry, or it is not a success the caller can record. */
const REQUIRED_ID: Partial<Record<EndpointName, string>> = {
  createTemplate: 'templateCode',
  createPass: 'passId',
};

function clientFailure(
  code: ClientCode,
  inDoubt: boolean,
  retryable: boolean,
  extra: Partial<AttemptFailure> = {},
) {
  const info = CLIENT_CODES[code];
  return {
    ok: false as const,
    failure: {
      kind: info.kind,
      code,
      message: info.meaning,
      action: info.action,
      inDoubt,
      retryable,
      ...extra,
    },
  };
}

export function transportFailure(outcome: Exclude<TransportOutcome, { type: 'response' }>): AttemptOutcome {
  if (outcome.type === 'timeout') return clientFailure('TIMEOUT', true, true);
  const { meaning, action, kind } = CLIENT_CODES.CONNECTION_ERROR;
  const doubt = outcome.sent
    ? ' The request may or may not have been applied.'
    : ' The request was not sent.';
  return {
    ok: false,
    failure: {
      kind,
      code: 'CONNECTION_ERROR',
      message: `${meaning}${doubt} (${outcome.detail})`,
      action,
      inDoubt: outcome.sent,
      retryable: true,
    },
  };
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

function httpFailure(
  statusCode: number,
  tracerId: string | undefined,
  retryAfter: string | undefined,
): AttemptOutcome {
  const server = statusCode >= 500;
  // 408 and 429 say the request was not processed and may be sent again.
  const retryable = server || statusCode === 408 || statusCode === 429;
  const info = server ? CLIENT_CODES.HTTP_5XX : CLIENT_CODES.HTTP_OTHER;
  const failure: AttemptFailure = {
    kind: info.kind,
    code: `HTTP_${statusCode}`,
    message: `${info.meaning} (HTTP ${statusCode})`,
    action: info.action,
    inDoubt: server,
    retryable,
    httpStatus: statusCode,
  };
  const after = retryAfterMs(retryAfter);
  if (after !== undefined) failure.retryAfterMs = after;
  if (tracerId !== undefined) failure.tracerId = tracerId;
  return { ok: false, failure };
}

interface ParsedBody {
  body: Record<string, unknown>;
  code: string;
  /** As sent; when missing, the catalog's status for a known code. */
  status: ResultStatus | undefined;
  message: string | undefined;
}

function parseBody(text: string): ParsedBody | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const raw = (record.result ?? record.resultInfo) as Record<string, unknown> | undefined;
  if (typeof raw !== 'object' || raw === null || typeof raw.resultCode !== 'string') return undefined;
  const sent = raw.resultStatus;
  const message = raw.resultMessage ?? raw.resultMsg;
  const known = knownResultCode(raw.resultCode);
  return {
    body: record,
    // Server text is shown to humans: strip anything that looks like key or signature material.
    code: known ? raw.resultCode : redactSecrets(raw.resultCode),
    status: sent === 'S' || sent === 'F' || sent === 'U' ? sent : known?.status,
    message: typeof message === 'string' ? redactSecrets(message) : undefined,
  };
}

export function interpretResponse(
  outcome: Extract<TransportOutcome, { type: 'response' }>,
  ctx: VerifyContext,
): AttemptOutcome {
  const { headers, text } = outcome;
  const tracer = headers.tracerId === undefined ? {} : { tracerId: headers.tracerId };
  if (outcome.statusCode !== 200)
    return httpFailure(outcome.statusCode, headers.tracerId, headers.retryAfter);

  if (ctx.publicKey !== undefined) {
    const signature = headers.signature === undefined ? undefined : parseSignatureHeader(headers.signature);
    if (signature?.signature === undefined || headers.responseTime === undefined) {
      // The gateway answers a request signature it rejects with an unsigned error: surface that, but
      // as what it is, an unverified claim: the request may still have been applied.
      const claimed = parseBody(text);
      if (claimed && isCredentialsCode(claimed.code)) {
        const c = classifyResult(claimed.code, 'F');
        const failure: AttemptFailure = {
          kind: 'credentials',
          code: claimed.code,
          message: `${c.meaning} (The response was unsigned, as the gateway answers requests whose signature it rejects, so this could not be verified; the request may or may not have been applied.)`,
          action: c.action,
          inDoubt: true,
          retryable: false,
          ...tracer,
        };
        if (claimed.message !== undefined) failure.resultMessage = claimed.message;
        return { ok: false, failure };
      }
      return clientFailure('RESPONSE_UNSIGNED', true, false, tracer);
    }
    const algorithmOk = signature.algorithm === undefined || signature.algorithm === SIGNATURE_ALGORITHM;
    const content = contentToSign(
      'POST',
      ctx.path,
      headers.clientId ?? ctx.clientId,
      headers.responseTime,
      text,
    );
    if (!algorithmOk || !verifyContent(content, signature.signature, ctx.publicKey)) {
      return clientFailure('RESPONSE_SIGNATURE_INVALID', true, false, tracer);
    }
    if (!plausibleResponseTime(headers.responseTime, ctx)) {
      return clientFailure('RESPONSE_OUT_OF_PLACE', true, true, tracer);
    }
  }

  const parsed = parseBody(text);
  if (!parsed || parsed.status === undefined) return clientFailure('RESPONSE_MALFORMED', true, false, tracer);
  const { body, code, status, message } = parsed;
  const c = classifyResult(code, status);
  if (c.kind === 'success') {
    const idField = REQUIRED_ID[ctx.endpoint];
    if (idField !== undefined && typeof body[idField] !== 'string') {
      return clientFailure('RESPONSE_MALFORMED', true, false, tracer);
    }
    if (ctx.endpoint === 'detail' && body.codeStandard === undefined && body.codeStandrad !== undefined) {
      body.codeStandard = body.codeStandrad;
    }
    // data is the endpoint's fields only; the envelope (with the server's raw text) stays out.
    delete body.result;
    delete body.resultInfo;
    const result: ResultInfo = { resultCode: code, resultStatus: status };
    if (message !== undefined) result.resultMessage = message;
    return { ok: true, data: body, result, tracerId: headers.tracerId };
  }
  const failure: AttemptFailure = {
    kind: c.kind,
    code,
    message: c.meaning,
    action: c.action,
    inDoubt: c.retryable,
    retryable: c.retryable,
    resultStatus: status,
    ...tracer,
  };
  if (message !== undefined) failure.resultMessage = message;
  return { ok: false, failure };
}
