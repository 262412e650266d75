// The client against a real HTTP server on 127.0.0.1 that verifies requests and signs its responses
// like AlipayHK (with the fixture key pair), using the client's own default undici Agent.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IpassClient, type IpassClientOptions } from './client.js';
import {
  contentToSign,
  formatSignatureHeader,
  parseSignatureHeader,
  signContent,
  verifyContent,
} from './signing.js';
import { pass, clientKey as privateKey, clientPublic as publicKey } from './testing/client-fixtures.js';

interface Seen {
  path: string;
  rawHeaderNames: string[];
  body: string;
  requestSignatureValid: boolean;
}

type Behaviour = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

const servers: Server[] = [];
const clients: IpassClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

const answerSigned: Behaviour = (req, res, seen) => {
  const text = JSON.stringify({
    result: { resultCode: 'SUCCESS', resultStatus: 'S' },
    passId: `P-${seen.body.length}`,
  });
  // Answered at once: at the request's own time.
  const time = String(req.headers['request-time']);
  const signature = signContent(contentToSign('POST', seen.path, 'CLIENT_1', time, text), privateKey);
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Client-Id': 'CLIENT_1',
    'Response-Time': time,
    Signature: formatSignatureHeader(1, signature),
    'Tracer-Id': 'tr-http',
  });
  res.end(text);
};

async function serve(behaviours: Behaviour[], seen: Seen[] = []) {
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const h = (name: string) => String(req.headers[name] ?? '');
      const value = parseSignatureHeader(h('signature')).signature ?? '';
      const content = contentToSign('POST', req.url ?? '', h('client-id'), h('request-time'), body);
      const s: Seen = {
        path: req.url ?? '',
        rawHeaderNames: req.rawHeaders.filter((_, i) => i % 2 === 0),
        body,
        requestSignatureValid: verifyContent(content, value, publicKey),
      };
      seen.push(s);
      const behave = behaviours[Math.min(n++, behaviours.length - 1)] as Behaviour;
      behave(req, res, s);
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, seen };
}

function client(baseUrl: string, overrides: Partial<IpassClientOptions> = {}) {
  const c = new IpassClient({
    baseUrl,
    clientId: 'CLIENT_1',
    merchantId: 'M1',
    privateKey,
    keyVersion: 1,
    alipayPublicKey: publicKey,
    timeoutMs: 5_000,
    maxRetries: 2,
    concurrency: 4,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    sleep: async () => {},
    ...overrides,
  });
  clients.push(c);
  return c;
}

describe('over real HTTP', () => {
  it('sends signed requests with the documented header names and verifies signed responses', async () => {
    const { port, seen } = await serve([answerSigned]);
    const r = await client(`http://127.0.0.1:${port}`).createPass(pass);
    expect(r).toMatchObject({
      ok: true,
      tracerId: 'tr-http',
      data: { passId: expect.stringMatching(/^P-/) },
    });
    const [s] = seen;
    expect(s?.path).toBe('/api/open/alipay/v1/ipass/pass/manage/createPass');
    expect(s?.requestSignatureValid).toBe(true);
    expect(s?.rawHeaderNames).toEqual(
      expect.arrayContaining(['Content-Type', 'Client-Id', 'Request-Time', 'Signature']),
    );
  });

  it('signs and verifies over the full path when the base URL has a path prefix', async () => {
    const { port, seen } = await serve([answerSigned]);
    const r = await client(`http://127.0.0.1:${port}/gateway/`).createPass(pass);
    expect(r.ok).toBe(true);
    expect(seen[0]?.path).toBe('/gateway/api/open/alipay/v1/ipass/pass/manage/createPass');
    expect(seen[0]?.requestSignatureValid).toBe(true);
  });

  it('keeps at most `concurrency` requests open at the server', async () => {
    let open = 0;
    let peak = 0;
    const slow: Behaviour = (req, res, s) => {
      open++;
      peak = Math.max(peak, open);
      setTimeout(() => {
        open--;
        answerSigned(req, res, s);
      }, 5);
    };
    const { port } = await serve([slow]);
    const c = client(`http://127.0.0.1:${port}`, { concurrency: 3 });
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => c.createPass({ ...pass, bizSerialId: `b/${i}` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('times out a server that never answers, in doubt', async () => {
    const { port } = await serve([() => {}]);
    const r = await client(`http://127.0.0.1:${port}`, { timeoutMs: 100, maxRetries: 1 }).createPass(pass);
    expect(r).toMatchObject({ ok: false, attempts: 2, failure: { code: 'TIMEOUT', inDoubt: true } });
  });

  it('retries after the server drops the connection mid-request', async () => {
    const drop: Behaviour = (req) => req.socket.destroy();
    const { port, seen } = await serve([drop, answerSigned]);
    const r = await client(`http://127.0.0.1:${port}`).createPass(pass);
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    expect(seen[0]?.body).toBe(seen[1]?.body);
  });

  it('a refused connection is a connection error that is not in doubt', async () => {
    const { port } = await serve([answerSigned]);
    const s = servers.pop() as Server;
    s.close();
    await once(s, 'close');
    const r = await client(`http://127.0.0.1:${port}`, { maxRetries: 1 }).createPass(pass);
    expect(r).toMatchObject({
      ok: false,
      attempts: 2,
      failure: { code: 'CONNECTION_ERROR', inDoubt: false },
    });
  });
});
