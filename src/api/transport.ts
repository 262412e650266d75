// One POST over an undici dispatcher: the body string goes out as is and the response body comes
// back as raw text (verification needs the exact bytes). Timeouts and socket errors are values.
import type { Dispatcher } from 'undici';
import { IpassError, redactSecrets } from '../diagnostics/errors.js';

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
  timeoutMs: number;
}

const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** POST with a deadline covering the whole exchange (headers and body). Never throws for I/O. */
export async function post(dispatcher: Dispatcher, o: PostOptions): Promise<TransportOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), o.timeoutMs);
  try {
    const res = await dispatcher.request({
      origin: o.origin,
      path: o.path,
      method: 'POST',
      headers: o.headers,
      body: o.body,
      signal: controller.signal,
      // undici's own limits (300 s by default) must not cut a longer timeoutMs short.
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
    });
    const h = res.headers;
    const headers: ResponseHeaders = {
      clientId: first(h['client-id']),
      responseTime: first(h['response-time']),
      signature: first(h.signature),
      tracerId: first(h['tracer-id']),
      retryAfter: first(h['retry-after']),
    };
    if (res.statusCode !== 200) {
      await res.body.dump();
      return { type: 'response', statusCode: res.statusCode, headers, text: '' };
    }
    return { type: 'response', statusCode: 200, headers, text: await res.body.text() };
  } catch (error) {
    const code = errorCode(error);
    if (controller.signal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return { type: 'timeout' };
    }
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'UND_ERR_INVALID_ARG') {
      // A header or option undici refuses (e.g. a clientId with a line break): retrying cannot help.
      throw new IpassError('API_REQUEST_INVALID', `The HTTP request could not be built: ${message}`, {
        hint: 'Check `clientId` and `endpoint` of this environment for stray characters.',
      });
    }
    return {
      type: 'connection-error',
      sent: code === undefined || !NOT_CONNECTED.has(code),
      detail: redactSecrets(code ? `${code}: ${message}` : message),
    };
  } finally {
    clearTimeout(timer);
  }
}
