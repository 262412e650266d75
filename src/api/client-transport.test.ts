// The request path's edges: the timeout bounds the whole exchange (a body that keeps trickling in, a
// request still waiting for its connection), and an error answer with a large body is not read whole.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { IpassClient, type IpassClientOptions } from './client.js';
import { contentToSign, formatSignatureHeader, signContent } from './signing.js';
import { pass, clientKey as privateKey, clientPublic as publicKey } from './testing/client-fixtures.js';

const servers: Server[] = [];
const clients: IpassClient[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(behaviours: Behaviour[]): Promise<string> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => (behaviours[Math.min(n++, behaviours.length - 1)] as Behaviour)(req, res));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(overrides: Partial<IpassClientOptions>): IpassClient {
  const c = new IpassClient({
    baseUrl: 'http://127.0.0.1:1',
    clientId: 'CLIENT_1',
    merchantId: 'M1',
    privateKey,
    keyVersion: 1,
    alipayPublicKey: publicKey,
    timeoutMs: 5_000,
    maxRetries: 0,
    concurrency: 4,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    sleep: async () => {},
    ...overrides,
  });
  clients.push(c);
  return c;
}

const answerSigned: Behaviour = (req, res) => {
  const text = JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, passId: 'P-1' });
  // Answered at once: at the request's own time.
  const time = String(req.headers['request-time']);
  const signature = signContent(contentToSign('POST', req.url ?? '', 'CLIENT_1', time, text), privateKey);
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Client-Id': 'CLIENT_1',
    'Response-Time': time,
    Signature: formatSignatureHeader(1, signature),
  });
  res.end(text);
};

describe('the timeout bounds the whole exchange', () => {
  it('a body that keeps arriving, a byte at a time, still times out in doubt', async () => {
    // Each byte comes well within undici's idle body timeout, so only the whole-exchange deadline ends it.
    const trickle: Behaviour = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100000' });
      res.write('{"result":');
      const timer = setInterval(() => res.write(' '), 10);
      timers.push(timer);
      res.on('close', () => clearInterval(timer));
    };
    const baseUrl = await serve([trickle]);
    const r = await client({ baseUrl, timeoutMs: 300 }).createPass(pass);
    expect(r).toMatchObject({ ok: false, attempts: 1, failure: { code: 'TIMEOUT', inDoubt: true } });
  });

  it('a request still waiting for its connection times out, and is aborted once it starts', async () => {
    const held: Dispatcher.DispatchHandler[] = [];
    class Held extends Dispatcher {
      override dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        held.push(handler);
        return true;
      }
    }
    const r = await client({ dispatcher: new Held(), timeoutMs: 50 }).createPass(pass);
    expect(r).toMatchObject({ ok: false, failure: { code: 'TIMEOUT', inDoubt: true } });
    const aborted: Error[] = [];
    const controller = {
      aborted: false,
      paused: false,
      reason: null,
      abort: (reason: Error) => aborted.push(reason),
      pause: () => {},
      resume: () => {},
    };
    held[0]?.onRequestStart?.(controller, {});
    expect(aborted).toHaveLength(1);
  });
});

describe('error answers', () => {
  it('an HTTP 503 with a large body is not read whole, and the retry succeeds', async () => {
    let written = 0;
    const huge: Behaviour = (_req, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      // 64 MiB would take a while to read; the client stops after a little.
      const more = (): void => {
        while (written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => {});
      more();
    };
    const baseUrl = await serve([huge, answerSigned]);
    const r = await client({ baseUrl, maxRetries: 1 }).createPass(pass);
    expect(r).toMatchObject({ ok: true, attempts: 2, data: { passId: 'P-1' } });
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});
