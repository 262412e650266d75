// A minimal signed iPass client for tests of the sandbox (and of anything run against it): signs with
// signing.ts, sends with undici, verifies the response signature. Not the product's API client.
import type { KeyObject } from 'node:crypto';
import { request } from 'undici';
import { ENDPOINT_PATHS, type EndpointName, type ResultInfo } from '../../api/endpoints.js';
import {
  contentToSign,
  formatSignatureHeader,
  parseSignatureHeader,
  signContent,
  verifyContent,
} from '../../api/signing.js';
import type { FaultConfig } from '../faults.js';

export interface SignedClientOptions {
  url: string;
  clientId: string;
  merchantId: string;
  privateKey: KeyObject;
  /** Verifies response signatures when given. */
  sandboxPublicKey?: KeyObject;
  keyVersion?: number;
}

export interface SendOverrides {
  method?: string;
  /** Sent and signed instead of the endpoint's path. */
  path?: string;
  /** Headers to add or replace (undefined removes one). */
  headers?: Record<string, string | undefined>;
  /** Send these bytes instead of JSON.stringify(body) (signed as sent). */
  rawBody?: string;
  /** Do not add merchantId to the body. */
  noMerchant?: boolean;
  requestTime?: string;
  /** Rewrite the signature value before sending (e.g. to lower-case its percent-escapes). */
  mapSignature?: (value: string) => string;
  /** Abort after this many ms (the caller sees an error). */
  timeoutMs?: number;
}

export interface SandboxReply {
  statusCode: number;
  headers: Record<string, string | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response fields
  json: any;
  /** `result` or `resultInfo`, whichever the body has. */
  result: ResultInfo | undefined;
  /** The Signature header is present. */
  signed: boolean;
  /** It verifies with sandboxPublicKey (undefined when no key was given or it is unsigned). */
  verified: boolean | undefined;
}

export class SignedClient {
  constructor(readonly options: SignedClientOptions) {}

  call(
    endpoint: EndpointName,
    body: Record<string, unknown>,
    overrides: SendOverrides = {},
  ): Promise<SandboxReply> {
    const full =
      overrides.noMerchant || 'merchantId' in body ? body : { merchantId: this.options.merchantId, ...body };
    return this.send(
      overrides.path ?? ENDPOINT_PATHS[endpoint],
      overrides.rawBody ?? JSON.stringify(full),
      overrides,
    );
  }

  async send(path: string, bodyText: string, overrides: SendOverrides = {}): Promise<SandboxReply> {
    const { clientId, privateKey, keyVersion = 1 } = this.options;
    const time = overrides.requestTime ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const method = overrides.method ?? 'POST';
    let signature = signContent(contentToSign(method, path, clientId, time, bodyText), privateKey);
    if (overrides.mapSignature) signature = overrides.mapSignature(signature);
    const headers: Record<string, string> = {};
    const base: Record<string, string | undefined> = {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': clientId,
      'request-time': time,
      signature: formatSignatureHeader(keyVersion, signature),
      ...overrides.headers,
    };
    for (const [k, v] of Object.entries(base)) if (v !== undefined) headers[k] = v;
    const response = await request(`${this.options.url}${path}`, {
      method: method as 'POST',
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: bodyText }),
      ...(overrides.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(overrides.timeoutMs) }),
    });
    const text = await response.body.text();
    return this.reply(path, response.statusCode, response.headers, text);
  }

  private reply(
    path: string,
    statusCode: number,
    raw: Record<string, string | string[] | undefined>,
    text: string,
  ): SandboxReply {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(raw)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const body = (json ?? {}) as { result?: ResultInfo; resultInfo?: ResultInfo };
    const signature = headers.signature;
    let verified: boolean | undefined;
    if (signature && this.options.sandboxPublicKey) {
      const value = parseSignatureHeader(signature).signature ?? '';
      const content = contentToSign(
        'POST',
        path,
        headers['client-id'] ?? '',
        headers['response-time'] ?? '',
        text,
      );
      verified = verifyContent(content, value, this.options.sandboxPublicKey);
    }
    return {
      statusCode,
      headers,
      text,
      json,
      result: body.result ?? body.resultInfo,
      signed: !!signature,
      verified,
    };
  }

  /** GET a /__sandbox/ route. */
  async inspect<T = unknown>(route: string): Promise<T> {
    const response = await request(`${this.options.url}/__sandbox/${route.replace(/^\/+/, '')}`);
    return (await response.body.json()) as T;
  }

  async setFaults(config: FaultConfig): Promise<unknown> {
    const response = await request(`${this.options.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config),
    });
    return response.body.json();
  }
}
