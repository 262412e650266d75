// One POST over an undici dispatcher: the body string goes out as is and the response body comes
// back as raw text (verification needs the exact bytes). Timeouts and socket errors are values.
// A minimal dispatch handler instead of request(): no body stream, no AbortSignal, and the deadline
// of the whole exchange (headers and body) kept by the caller's DeadlineQueue, not a timer each.
import type { Dispatcher } from 'undici';
import { IpassError, redactSecrets } from '../diagnostics/errors.js';
import type { Deadline, DeadlineQueue } from './deadlines.js';

export interface ResponseHeaders {
  clientId: string | undefined;
  responseTime: string | undefined;
  signature: string | undefined;
  tracerId: string | undefined;
  retryAfter: string | undefined;
}

export type TransportOutcome =
  | { type: 'response'; statusCode: number; headers: ResponseHeaders; text: string }
  | { type: 'timeout' }
  /** `sent: false` only when the connection was never made, so the server cannot have seen it. */
  | { type: 'connection-error'; sent: boolean; detail: string };

export interface PostOptions {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** undici's own header and body limits are set to this, so they never cut an exchange shorter. */
  timeoutMs: number;
  /** Bounds the whole exchange; its timeout is `timeoutMs`. */
  deadlines: DeadlineQueue;
}

const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A non-200 body is read up to this size, then the connection is dropped (as undici's dump()). */
const DISCARD_LIMIT = 128 * 1024;

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** UTF-8 text of the body, a leading byte-order mark skipped (as undici's body.text() does). */
function decode(chunks: Buffer[], size: number): string {
  if (size === 0) return '';
  const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
  const bom = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString('utf8', bom ? 3 : 0);
}

class TimedOut extends Error {
  override name = 'TimedOut';
}

/** Receives one exchange from undici and settles its promise exactly once. */
class Exchange implements Dispatcher.DispatchHandler {
  readonly #resolve: (outcome: TransportOutcome) => void;
  readonly #reject: (error: unknown) => void;
  readonly #deadline: Deadline;
  #controller: Dispatcher.DispatchController | undefined;
  #settled = false;
  #statusCode = 0;
  #headers: ResponseHeaders | undefined;
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(
    deadlines: DeadlineQueue,
    resolve: (outcome: TransportOutcome) => void,
    reject: (error: unknown) => void,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#deadline = deadlines.add(this.#expire);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Timed out while waiting for a connection: abort as soon as undici lets us.
    if (this.#settled) controller.abort(new TimedOut('the exchange timed out'));
    else this.#controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) return; // 1xx: informational, the response follows
    this.#statusCode = statusCode;
    this.#headers = {
      clientId: first(headers['client-id']),
      responseTime: first(headers['response-time']),
      signature: first(headers.signature),
      tracerId: first(headers['tracer-id']),
      retryAfter: first(headers['retry-after']),
    };
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#size += chunk.length;
    if (this.#statusCode === 200) this.#chunks.push(chunk);
    else if (this.#size > DISCARD_LIMIT) {
      this.#respond('');
      controller.abort(new Error('response body discarded'));
    }
  }

  onResponseEnd(): void {
    this.#respond(this.#statusCode === 200 ? decode(this.#chunks, this.#size) : '');
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.#settled) return;
    const code = errorCode(error);
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      this.#settle({ type: 'timeout' });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'UND_ERR_INVALID_ARG') {
      // A header or option undici refuses (e.g. a clientId with a line break): retrying cannot help.
      this.#settled = true;
      this.#deadline.cancel();
      this.#reject(
        new IpassError('API_REQUEST_INVALID', `The HTTP request could not be built: ${message}`, {
          hint: 'Check `clientId` and `endpoint` of this environment for stray characters.',
        }),
      );
      return;
    }
    this.#settle({
      type: 'connection-error',
      sent: code === undefined || !NOT_CONNECTED.has(code),
      detail: redactSecrets(code ? `${code}: ${message}` : message),
    });
  }

  readonly #expire = (): void => {
    if (this.#settled) return;
    this.#settled = true;
    this.#chunks = [];
    this.#resolve({ type: 'timeout' });
    this.#controller?.abort(new TimedOut('the exchange timed out'));
  };

  #respond(text: string): void {
    if (this.#settled || this.#headers === undefined) return;
    this.#settle({ type: 'response', statusCode: this.#statusCode, headers: this.#headers, text });
  }

  #settle(outcome: TransportOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#deadline.cancel();
    this.#chunks = [];
    this.#resolve(outcome);
  }
}

/** POST with a deadline covering the whole exchange (headers and body). Never rejects for I/O. */
export function post(dispatcher: Dispatcher, o: PostOptions): Promise<TransportOutcome> {
  return new Promise((resolve, reject) => {
    const exchange = new Exchange(o.deadlines, resolve, reject);
    try {
      dispatcher.dispatch(
        {
          origin: o.origin,
          path: o.path,
          method: 'POST',
          headers: o.headers,
          body: o.body,
          // undici's own limits (300 s by default) must not cut a longer timeoutMs short.
          headersTimeout: o.timeoutMs,
          bodyTimeout: o.timeoutMs,
        },
        exchange,
      );
    } catch (error) {
      exchange.onResponseError(undefined, error instanceof Error ? error : new Error(String(error)));
    }
  });
}
