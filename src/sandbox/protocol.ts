// The gateway checks every API request passes before its endpoint's rules run, in this order:
// method, path, media type, client, signature header, key version, Request-Time, signature, body, merchant.

import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ENDPOINT_PATHS, type EndpointName } from '../api/endpoints.js';
import { contentToSign, parseSignatureHeader, SIGNATURE_ALGORITHM, verifyContent } from '../api/signing.js';
import type { ResultCode } from './result-codes.js';
import { isObject, type JsonObject } from './rules/fields.js';

/** A client the sandbox knows: its merchant and its public key per keyVersion. */
export interface RegisteredClient {
  clientId: string;
  merchantId: string;
  keys: ReadonlyMap<string, KeyObject>;
  /** The keyVersion used when the Signature header names none ("the latest"). */
  latestKeyVersion: string;
}

export const ENDPOINT_BY_PATH: ReadonlyMap<string, EndpointName> = new Map(
  Object.entries(ENDPOINT_PATHS).map(([name, path]) => [path, name as EndpointName]),
);

export interface ApiRequest {
  method: string;
  /** Path and query exactly as received (signed as such). */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export type Checked =
  | { ok: true; endpoint: EndpointName; client: RegisteredClient; body: JsonObject }
  | { ok: false; endpoint: EndpointName | undefined; code: ResultCode; message: string; signed: boolean };

/** ISO-8601 date-time with seconds and an offset (Z or ±hh:mm). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** application/json, with no charset or UTF-8. */
function isJsonMediaType(value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'application/json; charset=utf-8' || lower === 'application/json') return true;
  const [media, ...params] = lower.split(';').map((s) => s.trim());
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8);
  return media === 'application/json' && (charset === undefined || charset === 'utf-8' || charset === 'utf8');
}

export function checkRequest(req: ApiRequest, clients: ReadonlyMap<string, RegisteredClient>): Checked {
  const endpoint = ENDPOINT_BY_PATH.get(req.url.split('?', 1)[0] ?? '');
  const reject = (code: ResultCode, message: string, signed = true): Checked => ({
    ok: false,
    endpoint,
    code,
    message,
    signed,
  });
  if (req.method !== 'POST')
    return reject('METHOD_NOT_SUPPORTED', `${req.method} is not supported; use POST`);
  if (!endpoint) return reject('INVALID_API', `no API at ${req.url}`);

  if (!isJsonMediaType(header(req.headers, 'content-type') ?? '')) {
    return reject('MEDIA_TYPE_NOT_ACCEPTABLE', 'Content-Type must be application/json; charset=UTF-8');
  }

  const clientId = header(req.headers, 'client-id') ?? '';
  const client = clients.get(clientId);
  if (!client)
    return reject(
      'INVALID_CLIENT',
      clientId === '' ? 'Client-Id is missing' : `unknown Client-Id ${clientId}`,
    );

  const signatureHeader = header(req.headers, 'signature');
  const parsed = signatureHeader === undefined ? {} : parseSignatureHeader(signatureHeader);
  if (parsed.algorithm !== SIGNATURE_ALGORITHM || !parsed.signature) {
    return reject(
      'INVALID_SIGNATURE',
      'Signature must be algorithm=RSA256,keyVersion=<n>,signature=<value>',
      false,
    );
  }
  const keyVersion = parsed.keyVersion ?? client.latestKeyVersion;
  const key = client.keys.get(keyVersion);
  if (!key) return reject('KEY_NOT_FOUND', `no key with keyVersion ${keyVersion} for ${clientId}`);

  const requestTime = header(req.headers, 'request-time');
  if (
    requestTime === undefined ||
    !ISO_WITH_OFFSET.test(requestTime) ||
    Number.isNaN(Date.parse(requestTime))
  ) {
    return reject('PARAM_ILLEGAL', 'Request-Time must be an ISO-8601 date-time with an offset');
  }
  const bodyText = req.rawBody.toString('utf8');
  const content = contentToSign(req.method, req.url, clientId, requestTime, bodyText);
  if (!verifyContent(content, parsed.signature, key)) {
    return reject('INVALID_SIGNATURE', 'the signature does not verify with the registered public key', false);
  }

  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return reject('PARAM_ILLEGAL', 'the body is not JSON');
  }
  if (!isObject(body)) return reject('PARAM_ILLEGAL', 'the body must be a JSON object');
  // switchStatus's newest revision renames merchantId to merchantAccountId; either is accepted.
  const merchants = [body.merchantId, body.merchantAccountId].filter((m) => m !== undefined && m !== null);
  if (merchants.length === 0) return reject('PARAM_ILLEGAL', 'merchantId is required');
  if (merchants.some((m) => m !== client.merchantId)) {
    return reject('ACCESS_DENIED', `client ${clientId} may not act for merchant ${String(merchants[0])}`);
  }
  return { ok: true, endpoint, client, body };
}
