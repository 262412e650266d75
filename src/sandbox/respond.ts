// Writing responses: JSON with Client-Id, Response-Time (+08:00) and, unless told otherwise, a
// Signature made with the sandbox's key on libuv's thread pool. Tracer-Id is set by the server.
import type { KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { contentToSign, formatSignatureHeader, signContentAsync } from '../api/signing.js';

let last = { second: Number.NaN, text: '' };

/** ISO-8601 in Hong Kong time, e.g. 2027-05-22T06:42:21+08:00; made once per second. */
export function responseTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== last.second) {
    last = { second, text: `${new Date(second * 1000 + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00` };
  }
  return last.text;
}

export interface SignedReply {
  method: string;
  /** The request path (and query) the response answers; part of the signed content. */
  url: string;
  clientId: string;
  payload: unknown;
  signed: boolean;
}

export class Responder {
  constructor(
    private readonly key: KeyObject,
    private readonly keyVersion: number,
    private readonly now: () => number,
  ) {}

  /** Write the reply; returns what was written, so it can be sent again as it was (a replay). */
  async send(res: ServerResponse, reply: SignedReply): Promise<WrittenReply> {
    const body = JSON.stringify(reply.payload);
    const time = responseTime(this.now());
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=UTF-8',
      'Client-Id': reply.clientId,
      'Response-Time': time,
    };
    if (reply.signed) {
      const content = contentToSign(reply.method, reply.url, reply.clientId, time, body);
      headers.Signature = formatSignatureHeader(this.keyVersion, await signContentAsync(content, this.key));
    }
    headers['Content-Length'] = String(Buffer.byteLength(body));
    if (!res.destroyed) res.writeHead(200, headers).end(body);
    return { headers, body };
  }
}

export interface WrittenReply {
  headers: Record<string, string>;
  body: string;
}

export function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res
    .writeHead(status, {
      'Content-Type': 'application/json; charset=UTF-8',
      'Content-Length': Buffer.byteLength(body),
    })
    .end(body);
}
