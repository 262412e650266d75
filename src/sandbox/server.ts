// The iPass emulator as a node:http server on 127.0.0.1: its store (journaled when it has a data
// folder), its registered client, faults; each request is handled as request-handler.ts says.

import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IpassError } from '../diagnostics/errors.js';
import { type FaultConfig, FaultInjector } from './faults.js';
import type { InspectionContext } from './inspect.js';
import { openPersistence, type Persistence } from './persistence.js';
import type { RegisteredClient } from './protocol.js';
import { allowedHosts, refuseRequest } from './request-guard.js';
import { SandboxHandler } from './request-handler.js';
import { Responder, sendJson } from './respond.js';
import { SandboxStore } from './store.js';
import { usePasses } from './use-passes.js';
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

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const now = options.now ?? Date.now;
  const { identity } = options;
  const store = new SandboxStore();
  const persistence: Persistence | undefined =
    options.dataDir === undefined
      ? undefined
      : openPersistence(options.dataDir, (event) => store.apply(event));
  const clients = registeredClients(identity);
  const faults = new FaultInjector(options.faults);
  const stats = new StatsCounter();
  const view = createStoreView(store, now);
  let url = '';
  const inspection: InspectionContext = {
    view,
    faults,
    stats,
    setFaults: (config) => faults.set(config),
    usePasses: (rawBody) => usePasses(rawBody, store, persistence, now()),
    info: () => ({
      url,
      clientId: identity.clientId,
      merchantId: identity.merchantId,
      keyVersion: identity.keyVersion,
      dataDir: options.dataDir ?? null,
      ...store.size,
    }),
  };
  const responder = new Responder(identity.sandboxPrivateKey, identity.keyVersion, now);
  const handler = new SandboxHandler({
    store,
    persistence,
    clients,
    faults,
    stats,
    responder,
    inspection,
    now,
  });

  let hosts: ReadonlySet<string> = new Set();
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    if (refused(req, res, hosts)) return;
    handler.handle(req, res).catch((error: unknown) => {
      process.stderr.write(
        `ipass sandbox: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
    });
  });

  const host = options.host ?? '127.0.0.1';
  await listen(server, host, options.port ?? 0).catch((error: unknown) => {
    persistence?.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  hosts = allowedHosts(host, port);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store: view,
    setFaults: (config) => faults.set(config),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const res of handler.held) res.destroy();
        server.closeAllConnections();
      }).finally(() => persistence?.close());
      return closing;
    },
  };
}

/** A web page on the same machine may neither reach the sandbox under another name nor change it. */
function refused(req: IncomingMessage, res: ServerResponse, hosts: ReadonlySet<string>): boolean {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '';
  const refusal = refuseRequest(req.method ?? 'GET', path, req.headers, hosts);
  if (!refusal) return false;
  req.resume();
  sendJson(res, refusal.status, { error: refusal.error });
  return true;
}

function registeredClients(identity: SandboxRegistration): Map<string, RegisteredClient> {
  const client: RegisteredClient = {
    clientId: identity.clientId,
    merchantId: identity.merchantId,
    keys: new Map([[String(identity.keyVersion), identity.clientPublicKey]]),
    latestKeyVersion: String(identity.keyVersion),
  };
  return new Map([[identity.clientId, client]]);
}

/** Listen on host:port; a port in use (or any other refusal) is SANDBOX_LISTEN_FAILED. */
async function listen(server: Server, host: string, port: number): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IpassError('SANDBOX_LISTEN_FAILED', `The sandbox could not listen on ${host}:${port}.`, {
      reason: code === 'EADDRINUSE' ? 'The port is already in use.' : String(error),
      hint: 'Pick another port with --port, or --port 0 for any free one.',
      cause: error,
    });
  }
}
