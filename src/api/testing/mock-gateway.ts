// A fake AlipayHK gateway on undici's MockAgent for unit tests: records every request exactly as sent
// and answers with responses signed (or deliberately mis-signed) like AlipayHK's. Pass `agent` as dispatcher.
import type { KeyObject } from 'node:crypto';
import { MockAgent } from 'undici';
import type { ClientEvent } from '../api-result.js';
import { IpassClient, type IpassClientOptions } from '../client.js';
import { ENDPOINT_PATHS, type EndpointName } from '../endpoints.js';
import { formatRequestTime } from '../request-time.js';
import { contentToSign, formatSignatureHeader, signContent } from '../signing.js';

export interface CapturedRequest {
  endpoint: EndpointName;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface MockAnswer {
  /** An object is serialized compactly; a string is sent as is. */
  body?: unknown;
  status?: number;
  /** ok (default) · none: no Signature/Response-Time · garbage · other-body: signed over different text · other-key. */
  signing?: 'ok' | 'none' | 'garbage' | 'other-body' | 'other-key';
  headers?: Record<string, string>;
  /** Answer after this many ms (a client timeout shorter than this aborts first). */
  delayMs?: number;
}

export interface MockGatewayOptions {
  /** AlipayHK's private key (the client verifies with its public half). */
  signingKey: KeyObject;
  /** Used for `signing: 'other-key'`. */
  otherKey?: KeyObject;
  origin?: string;
  responseTime?: string;
  /** Called for every request as it arrives (e.g. to count requests in flight). */
  onRequest?: (request: CapturedRequest) => void;
}

export const MOCK_ORIGIN = 'https://open.alipay.hk';

export class MockGateway {
  readonly agent = new MockAgent();
  readonly requests: CapturedRequest[] = [];
  readonly origin: string;
  readonly #o: MockGatewayOptions;

  constructor(o: MockGatewayOptions) {
    this.#o = o;
    this.origin = o.origin ?? MOCK_ORIGIN;
    this.agent.disableNetConnect();
  }

  /** The next request to `endpoint` gets this answer (answers are used in the order given). */
  answer(
    endpoint: EndpointName,
    answer: MockAnswer | ((request: CapturedRequest) => MockAnswer),
    times = 1,
  ): this {
    const path = ENDPOINT_PATHS[endpoint];
    const scope = this.agent
      .get(this.origin)
      .intercept({ path, method: 'POST' })
      .reply((opts) => {
        const request = this.#capture(endpoint, path, opts.headers, opts.body);
        const a = typeof answer === 'function' ? answer(request) : answer;
        return this.#respond(path, request, a);
      })
      .times(times);
    const delayMs = typeof answer === 'function' ? undefined : answer.delayMs;
    if (delayMs !== undefined) scope.delay(delayMs);
    return this;
  }

  /** The next request to `endpoint` fails at the socket with this error. */
  fail(endpoint: EndpointName, error: Error, times = 1): this {
    this.agent
      .get(this.origin)
      .intercept({ path: ENDPOINT_PATHS[endpoint], method: 'POST' })
      .replyWithError(error)
      .times(times);
    return this;
  }

  /**
   * A signed reply of `body` as AlipayHK would send it, at `at` (default: the pinned time, else now;
   * a real gateway answers moments after the request, so replies to a request use its Request-Time).
   */
  signedHeaders(
    path: string,
    clientId: string,
    text: string,
    key = this.#o.signingKey,
    at?: string,
  ): Record<string, string> {
    const time = this.#o.responseTime ?? at ?? formatRequestTime(new Date());
    const signature = signContent(contentToSign('POST', path, clientId, time, text), key);
    return { 'Client-Id': clientId, 'Response-Time': time, Signature: formatSignatureHeader(1, signature) };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  #capture(endpoint: EndpointName, path: string, rawHeaders: unknown, rawBody: unknown): CapturedRequest {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((rawHeaders ?? {}) as Record<string, unknown>))
      headers[k] = String(v);
    const request = {
      endpoint,
      path,
      headers,
      body: typeof rawBody === 'string' ? rawBody : String(rawBody),
    };
    this.requests.push(request);
    this.#o.onRequest?.(request);
    return request;
  }

  #respond(path: string, request: CapturedRequest, a: MockAnswer) {
    const text = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    const clientId = request.headers['Client-Id'] ?? '';
    const signing = a.signing ?? 'ok';
    let headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=UTF-8',
      'Tracer-Id': 'tracer-1',
    };
    const at = request.headers['Request-Time'];
    const key = this.#o.signingKey;
    if (signing === 'ok') headers = { ...headers, ...this.signedHeaders(path, clientId, text, key, at) };
    if (signing === 'other-body')
      headers = { ...headers, ...this.signedHeaders(path, clientId, `${text} `, key, at) };
    if (signing === 'other-key') {
      if (!this.#o.otherKey) throw new Error('MockGateway: other-key signing needs otherKey');
      headers = { ...headers, ...this.signedHeaders(path, clientId, text, this.#o.otherKey, at) };
    }
    if (signing === 'garbage') {
      headers = {
        ...headers,
        ...this.signedHeaders(path, clientId, text),
        Signature: 'algorithm=RSA256,keyVersion=1,signature=AAAA',
      };
    }
    return {
      statusCode: a.status ?? 200,
      data: text,
      responseOptions: { headers: { ...headers, ...a.headers } },
    };
  }
}

export interface GatewayClient {
  client: IpassClient;
  events: ClientEvent[];
  /** Back-off delays the client asked for (it never really sleeps). */
  delays: number[];
}

/** A client wired to `gateway` for tests: jitter fixed at one half, events and delays recorded. */
export function gatewayClient(
  gateway: MockGateway,
  keys: { privateKey: KeyObject; alipayPublicKey: KeyObject | undefined },
  overrides: Partial<IpassClientOptions> = {},
): GatewayClient {
  const events: ClientEvent[] = [];
  const delays: number[] = [];
  const client = new IpassClient({
    baseUrl: gateway.origin,
    clientId: 'CLIENT_1',
    merchantId: '2160120041113167',
    keyVersion: 1,
    timeoutMs: 5_000,
    maxRetries: 3,
    concurrency: 4,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    dispatcher: gateway.agent,
    retryBaseMs: 100,
    retryMaxMs: 1_000,
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onEvent: (e) => events.push(e),
    ...keys,
    ...overrides,
  });
  return { client, events, delays };
}
