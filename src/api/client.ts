// The iPass API client: one typed function per endpoint. A call serializes its body once; every
// attempt gets a fresh Request-Time and signature under the client's concurrency and rate limits, and
// every response is verified before it is read. Only U, timeouts, socket errors and HTTP 5xx retry.
import type { KeyObject } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { Agent, type Dispatcher } from 'undici';
import { IpassError, redactSecrets } from '../diagnostics/errors.js';
import type { ApiFailure, ApiResult, ClientEvent } from './api-result.js';
import { DeadlineQueue } from './deadlines.js';
import { ENDPOINT_PATHS, type EndpointName, type EndpointTypes } from './endpoints.js';
import { defaultBurst, TokenBucket } from './rate-limit.js';
import { formatRequestTime } from './request-time.js';
import { type AttemptFailure, type AttemptOutcome, interpretResponse, transportFailure } from './response.js';
import { backoffDelay } from './retry.js';
import { contentToSign, formatSignatureHeader, signContentAsync } from './signing.js';
import { post, type TransportOutcome } from './transport.js';

export interface IpassClientOptions {
  /** e.g. https://open.alipay.hk or http://127.0.0.1:4010; the endpoint paths are appended. */
  baseUrl: string;
  clientId: string;
  /** Added to every request body; callers leave it out. */
  merchantId: string;
  privateKey: KeyObject;
  keyVersion: number;
  /** Verifies every response; undefined only with insecureSkipResponseVerification. */
  alipayPublicKey: KeyObject | undefined;
  insecureSkipResponseVerification?: boolean;
  /** Per attempt, covering the whole exchange. */
  timeoutMs: number;
  /** Retries after the first attempt, for retryable outcomes only. */
  maxRetries: number;
  /** Requests in flight at once, shared by all calls of this client. */
  concurrency: number;
  /** Infinity = unbounded. Retries count too. */
  requestsPerSecond: number;
  /** Default: an undici Agent with `concurrency` keep-alive connections, closed by close(). */
  dispatcher?: Dispatcher;
  retryBaseMs?: number;
  retryMaxMs?: number;
  now?: () => Date;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onEvent?: (event: ClientEvent) => void;
}

type Request<E extends EndpointName> = EndpointTypes[E]['request'];
type Result<E extends EndpointName> = Promise<ApiResult<EndpointTypes[E]['response']>>;

function invalid(message: string): IpassError {
  return new IpassError('CLIENT_OPTIONS_INVALID', message, {
    hint: 'Check the environment settings in the config (endpoint, concurrency, requestsPerSecond, timeoutMs, maxRetries).',
  });
}

export class IpassClient {
  readonly #o: IpassClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #origin: string;
  readonly #paths: Record<EndpointName, string>;
  readonly #limit: LimitFunction;
  readonly #bucket: TokenBucket | undefined;
  readonly #publicKey: KeyObject | undefined;
  readonly #now: () => Date;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #backoff: { baseMs: number; maxMs: number; random: () => number };
  /** One timer bounds every exchange of this client (all have the same timeout). */
  readonly #deadlines: DeadlineQueue;
  #closed = false;

  constructor(o: IpassClientOptions) {
    let url: URL;
    try {
      url = new URL(o.baseUrl);
    } catch {
      throw invalid(`The API endpoint "${o.baseUrl}" is not a URL.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw invalid(`The API endpoint "${o.baseUrl}" is not http(s).`);
    if (!Number.isInteger(o.concurrency) || o.concurrency < 1)
      throw invalid('concurrency must be a whole number ≥ 1.');
    if (!(o.requestsPerSecond > 0)) throw invalid('requestsPerSecond must be > 0.');
    if (!(o.timeoutMs > 0)) throw invalid('timeoutMs must be > 0.');
    if (!Number.isInteger(o.maxRetries) || o.maxRetries < 0)
      throw invalid('maxRetries must be a whole number ≥ 0.');
    if (o.privateKey.type !== 'private' || o.privateKey.asymmetricKeyType !== 'rsa') {
      throw invalid('privateKey must be an RSA private key.');
    }
    if (o.alipayPublicKey === undefined && !o.insecureSkipResponseVerification) {
      throw new IpassError('CLIENT_NO_RESPONSE_KEY', 'No AlipayHK public key to verify responses with.', {
        hint: 'Set `alipayPublicKey` for this environment (or, for a throw-away experiment only, `insecureSkipResponseVerification: true`).',
      });
    }
    this.#o = o;
    this.#origin = url.origin;
    const prefix = url.pathname.replace(/\/+$/, '');
    this.#paths = Object.fromEntries(
      Object.entries(ENDPOINT_PATHS).map(([name, path]) => [name, prefix + path]),
    ) as Record<EndpointName, string>;
    this.#ownsDispatcher = o.dispatcher === undefined;
    this.#dispatcher = o.dispatcher ?? new Agent({ connections: o.concurrency, pipelining: 1 });
    this.#limit = pLimit(o.concurrency);
    this.#now = o.now ?? (() => new Date());
    this.#sleep = o.sleep ?? ((ms) => delay(ms));
    this.#bucket = Number.isFinite(o.requestsPerSecond)
      ? new TokenBucket(o.requestsPerSecond, defaultBurst(o.requestsPerSecond), {
          now: () => this.#now().getTime(),
          sleep: this.#sleep,
        })
      : undefined;
    this.#publicKey = o.insecureSkipResponseVerification ? undefined : o.alipayPublicKey;
    this.#deadlines = new DeadlineQueue(o.timeoutMs);
    this.#backoff = {
      baseMs: o.retryBaseMs ?? 250,
      maxMs: o.retryMaxMs ?? 10_000,
      random: o.random ?? Math.random,
    };
  }

  createTemplate(body: Request<'createTemplate'>): Result<'createTemplate'> {
    return this.call('createTemplate', body);
  }
  updateTemplate(body: Request<'updateTemplate'>): Result<'updateTemplate'> {
    return this.call('updateTemplate', body);
  }
  switchStatus(body: Request<'switchStatus'>): Result<'switchStatus'> {
    return this.call('switchStatus', body);
  }
  /** Query template. */
  detail(body: Request<'detail'>): Result<'detail'> {
    return this.call('detail', body);
  }
  updateBudget(body: Request<'updateBudget'>): Result<'updateBudget'> {
    return this.call('updateBudget', body);
  }
  createPass(body: Request<'createPass'>): Result<'createPass'> {
    return this.call('createPass', body);
  }
  updatePass(body: Request<'updatePass'>): Result<'updatePass'> {
    return this.call('updatePass', body);
  }

  /** Any endpoint by name. Resolves with a result for every API or network outcome; throws only for bugs. */
  async call<E extends EndpointName>(endpoint: E, body: Request<E>): Result<E> {
    if (this.#closed)
      throw new IpassError('CLIENT_CLOSED', `${endpoint} was called after the API client was closed.`, {
        hint: 'This is a bug in ipass; please report it with the command you ran.',
      });
    const path = this.#paths[endpoint];
    // merchantId first, then the caller's fields in their order; this one string is signed and sent.
    const payload: Record<string, unknown> = { merchantId: this.#o.merchantId, ...body };
    payload.merchantId = this.#o.merchantId;
    const text = JSON.stringify(payload);
    let priorInDoubt = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#limit(() => this.#attempt(endpoint, path, text, attempt));
      if (outcome.ok) {
        const data = outcome.data as EndpointTypes[E]['response'];
        return { ok: true, data, result: outcome.result, tracerId: outcome.tracerId, attempts: attempt };
      }
      const f = outcome.failure;
      if (f.retryable && attempt <= this.#o.maxRetries) {
        priorInDoubt ||= f.inDoubt;
        const delayMs = backoffDelay(attempt, this.#backoff, f.retryAfterMs);
        this.#o.onEvent?.({ type: 'retry', endpoint, attempt, code: f.code, delayMs });
        await this.#sleep(delayMs);
        continue;
      }
      return { ok: false, failure: finalFailure(endpoint, f, priorInDoubt, attempt), attempts: attempt };
    }
  }

  async #attempt(
    endpoint: EndpointName,
    path: string,
    body: string,
    attempt: number,
  ): Promise<AttemptOutcome> {
    const wait = this.#bucket?.take();
    if (wait) await wait;
    const o = this.#o;
    const sentAt = this.#now();
    const requestTime = formatRequestTime(sentAt);
    let signature: string;
    try {
      signature = await signContentAsync(
        contentToSign('POST', path, o.clientId, requestTime, body),
        o.privateKey,
      );
    } catch (error) {
      return notSent(
        'SIGNING_FAILED',
        `The request could not be signed with the configured private key (${redactSecrets(error instanceof Error ? error.message : String(error))}).`,
        'Check `privateKey` of this environment: an RSA-2048 private key (PKCS#8 or PKCS#1).',
      );
    }
    o.onEvent?.({ type: 'attempt', endpoint, attempt, requestTime });
    const started = performance.now();
    let response: TransportOutcome;
    try {
      response = await post(this.#dispatcher, {
        origin: this.#origin,
        path,
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          'Client-Id': o.clientId,
          'Request-Time': requestTime,
          Signature: formatSignatureHeader(o.keyVersion, signature),
        },
        body,
        timeoutMs: o.timeoutMs,
        deadlines: this.#deadlines,
      });
    } catch (error) {
      // The request could not even be built (say, a line break in clientId): it never left.
      if (!(error instanceof IpassError)) throw error;
      return notSent(error.code, error.message, error.hint ?? 'Check the settings of this environment.');
    }
    const outcome =
      response.type === 'response'
        ? interpretResponse(response, {
            endpoint,
            path,
            clientId: o.clientId,
            publicKey: this.#publicKey,
            sentAt: sentAt.getTime(),
            timeoutMs: o.timeoutMs,
          })
        : transportFailure(response);
    if (o.onEvent) {
      const failure = outcome.ok ? undefined : outcome.failure;
      o.onEvent({
        type: 'response',
        endpoint,
        attempt,
        code: outcome.ok ? outcome.result.resultCode : (failure as AttemptFailure).code,
        resultStatus: outcome.ok ? outcome.result.resultStatus : failure?.resultStatus,
        httpStatus: response.type === 'response' ? response.statusCode : undefined,
        tracerId: outcome.ok ? outcome.tracerId : failure?.tracerId,
        durationMs: performance.now() - started,
      });
    }
    return outcome;
  }

  /** Closes the connections of the default dispatcher; an injected dispatcher is the caller's to close. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}

/**
 * A request that never left this machine, for a reason every further request shares (the
 * environment's settings): definitely not applied, and the run stops as on a credentials failure.
 */
function notSent(code: string, message: string, action: string): AttemptOutcome {
  return {
    ok: false,
    failure: { kind: 'credentials', code, message, action, inDoubt: false, retryable: false },
  };
}

function finalFailure(
  endpoint: EndpointName,
  f: AttemptFailure,
  priorInDoubt: boolean,
  attempts: number,
): ApiFailure {
  const failure: ApiFailure = {
    kind: f.kind,
    code: f.code,
    message: f.retryable && attempts > 1 ? `${f.message} Gave up after ${attempts} attempts.` : f.message,
    action: f.action,
    inDoubt: f.inDoubt || priorInDoubt,
    priorAttemptInDoubt: priorInDoubt,
    endpoint,
  };
  if (f.resultMessage !== undefined) failure.resultMessage = f.resultMessage;
  if (f.tracerId !== undefined) failure.tracerId = f.tracerId;
  if (f.httpStatus !== undefined) failure.httpStatus = f.httpStatus;
  return failure;
}
