// The iPass emulator as a node:http server: gateway checks, faults, the endpoint's rules, the journal
// write (before answering) and the signed response; /__sandbox/ routes for inspection.

import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EndpointName } from '../api/endpoints.js';
import { IpassError } from '../diagnostics/errors.js';
import { type FaultConfig, FaultInjector } from './faults.js';
import { handleInspection, type InspectionContext, isInspectionPath } from './inspect.js';
import { openPersistence, type Persistence } from './persistence.js';
import { checkRequest, ENDPOINT_BY_PATH, type RegisteredClient } from './protocol.js';
import { Responder, type WrittenReply } from './respond.js';
import { resultInfo } from './result-codes.js';
import { HANDLERS, type Outcome, RESULT_KEY } from './rules/index.js';
import { SandboxStore } from './store.js';
import { createStoreView, type SandboxStoreView, StatsCounter } from './view.js';

/** What the server needs of an identity: the registered client and the sandbox's own key. */
export interface SandboxRegistration {
  clientId: string;
  merchantId: string;
  keyVersion: number;
  clientPublicKey: KeyObject;
  sandboxPrivateKey: KeyObject;
}

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Journal folder; undefined keeps everything in memory. */
  dataDir?: string;
  identity: SandboxRegistration;
  faults?: FaultConfig;
  /** The sandbox clock (ms since the epoch), for date rules and Response-Time. */
  now?: () => number;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
  setFaults(faults: FaultConfig): void;
  store: SandboxStoreView;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The request body; 'too-large' past MAX_BODY_BYTES, 'aborted' when the client went away. */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', () => resolve('aborted'));
  });
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const now = options.now ?? Date.now;
  const { identity } = options;
  const store = new SandboxStore();
  const persistence: Persistence | undefined =
    options.dataDir === undefined
      ? undefined
      : openPersistence(options.dataDir, (event) => store.apply(event));
  const clients = new Map<string, RegisteredClient>([
    [
      identity.clientId,
      {
        clientId: identity.clientId,
        merchantId: identity.merchantId,
        keys: new Map([[String(identity.keyVersion), identity.clientPublicKey]]),
        latestKeyVersion: String(identity.keyVersion),
      },
    ],
  ]);
  const faults = new FaultInjector(options.faults);
  /** The last signed success of each endpoint, as written: what the replay fault sends again. */
  const lastSuccess = new Map<EndpointName, WrittenReply>();
  const stats = new StatsCounter();
  const view = createStoreView(store, now);
  const responder = new Responder(identity.sandboxPrivateKey, identity.keyVersion, now);
  const held = new Set<ServerResponse>();
  const tracerPrefix = randomBytes(6).toString('hex');
  let tracer = 0;
  let url = '';

  const inspection: InspectionContext = {
    view,
    faults,
    stats,
    setFaults: (config) => faults.set(config),
    info: () => ({
      url,
      clientId: identity.clientId,
      merchantId: identity.merchantId,
      keyVersion: identity.keyVersion,
      dataDir: options.dataDir ?? null,
      ...store.size,
    }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    tracer += 1;
    res.setHeader('Tracer-Id', `${tracerPrefix}${String(tracer).padStart(12, '0')}`);
    const read = await readBody(req);
    if (read === 'aborted') return;
    const rawBody = read === 'too-large' ? undefined : read;
    const reqUrl = req.url ?? '/';
    if (isInspectionPath(reqUrl.split('?', 1)[0] ?? '')) {
      return handleInspection(req, res, rawBody ?? Buffer.alloc(0), inspection);
    }
    const method = req.method ?? 'GET';
    const clientHeader = req.headers['client-id'];
    const clientId = (Array.isArray(clientHeader) ? clientHeader[0] : clientHeader) ?? '';
    const reply = async (
      endpoint: EndpointName | undefined,
      outcome: Outcome,
      signed = true,
    ): Promise<void> => {
      stats.result(endpoint, outcome.code);
      const key = endpoint ? RESULT_KEY[endpoint] : 'resultInfo';
      const payload = outcome.fields ?? {};
      payload[key] = resultInfo(outcome.code, outcome.message);
      // Signed as protocol.md verifies it: "POST <path>", whatever the request's method was.
      const written = await responder.send(res, { method: 'POST', url: reqUrl, clientId, payload, signed });
      if (endpoint && signed && outcome.code === 'SUCCESS') lastSuccess.set(endpoint, written);
    };

    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (rawBody === undefined) {
      const endpoint = ENDPOINT_BY_PATH.get(reqUrl.split('?', 1)[0] ?? '');
      stats.request(endpoint);
      return reply(endpoint, { code: 'PARAM_ILLEGAL', message: 'the body is larger than 4 MiB' });
    }
    const checked = checkRequest({ method, url: reqUrl, headers: req.headers, rawBody }, clients);
    stats.request(checked.endpoint);
    if (!checked.ok) {
      return reply(checked.endpoint, { code: checked.code, message: checked.message }, checked.signed);
    }
    const { endpoint } = checked;

    const fault = faults.decide(endpoint);
    if (fault === 'timeout') {
      // Never answered and never applied; the client gives up (or close() ends it).
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    if (fault === 'http500') {
      stats.result(endpoint, 'HTTP_500');
      res
        .writeHead(500, { 'Content-Type': 'text/plain' })
        .end('Internal Server Error (injected by the sandbox)');
      return;
    }
    if (fault === 'unknown') return reply(endpoint, { code: 'UNKNOWN_EXCEPTION' });
    const replay = fault === 'replay-success' ? lastSuccess.get(endpoint) : undefined;
    if (replay) {
      // An earlier signed answer, byte for byte (its Response-Time too); nothing is applied.
      stats.result(endpoint, 'REPLAYED');
      res.writeHead(200, replay.headers).end(replay.body);
      return;
    }

    let outcome = HANDLERS[endpoint]({
      body: checked.body,
      merchantId: checked.client.merchantId,
      now: now(),
      store,
    });
    if (outcome.event) {
      try {
        persistence?.append(outcome.event);
        store.apply(outcome.event);
      } catch (error) {
        outcome = {
          code: 'SYSTEM_ERROR',
          message: `the sandbox could not record the change: ${String(error)}`,
        };
      }
    }
    if (fault === 'drop-after-commit') {
      stats.result(endpoint, outcome.code);
      req.socket.destroy();
      return;
    }
    if (fault === 'unsigned-after-commit') {
      stats.result(endpoint, outcome.code);
      return reply(
        endpoint,
        { code: 'ACCESS_DENIED', message: 'injected by the sandbox after commit' },
        false,
      );
    }
    return reply(endpoint, outcome);
  }

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(
        `ipass sandbox: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
    });
  });

  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    persistence?.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new IpassError(
      'SANDBOX_LISTEN_FAILED',
      `The sandbox could not listen on ${host}:${options.port ?? 0}.`,
      {
        reason: code === 'EADDRINUSE' ? 'The port is already in use.' : String(error),
        hint: 'Pick another port with --port, or --port 0 for any free one.',
        cause: error,
      },
    );
  }
  const port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store: view,
    setFaults: (config) => faults.set(config),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const res of held) res.destroy();
        server.closeAllConnections();
      }).finally(() => persistence?.close());
      return closing;
    },
  };
}
