// One request to the emulator: /__sandbox/ routes to inspection; an API request goes through the
// gateway checks, the faults, the endpoint's rule and the journal write (before answering), and is
// answered signed, as the API does.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EndpointName } from '../api/endpoints.js';
import { handleConsole, isConsolePath } from './console.js';
import type { FaultInjector, FaultKind } from './faults.js';
import { handleInspection, type InspectionContext, isInspectionPath } from './inspect.js';
import type { Persistence } from './persistence.js';
import { checkRequest, ENDPOINT_BY_PATH, type RegisteredClient } from './protocol.js';
import { type Responder, sendJson, type WrittenReply } from './respond.js';
import { resultInfo } from './result-codes.js';
import type { JsonObject } from './rules/fields.js';
import { HANDLERS, type Outcome, RESULT_KEY } from './rules/index.js';
import type { SandboxStore } from './store.js';
import type { StatsCounter } from './view.js';

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

export interface HandlerParts {
  store: SandboxStore;
  persistence: Persistence | undefined;
  clients: ReadonlyMap<string, RegisteredClient>;
  faults: FaultInjector;
  stats: StatsCounter;
  responder: Responder;
  inspection: InspectionContext;
  now: () => number;
  /** The registered client's merchant, owner of templates made through the console route. */
  merchantId: string;
}

/** What answers one request: the reply it gets, signed (or not) as the API would. */
type Reply = (endpoint: EndpointName | undefined, outcome: Outcome, signed?: boolean) => Promise<void>;

export class SandboxHandler {
  /** Requests held by the timeout fault: never answered; close() ends them. */
  readonly held = new Set<ServerResponse>();
  /** The last signed success of each endpoint, as written: what the replay fault sends again. */
  private readonly lastSuccess = new Map<EndpointName, WrittenReply>();
  private readonly tracerPrefix = randomBytes(6).toString('hex');
  private tracer = 0;

  constructor(private readonly parts: HandlerParts) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { faults, stats, inspection } = this.parts;
    this.tracer += 1;
    res.setHeader('Tracer-Id', `${this.tracerPrefix}${String(this.tracer).padStart(12, '0')}`);
    const read = await readBody(req);
    if (read === 'aborted') return;
    const rawBody = read === 'too-large' ? undefined : read;
    const reqUrl = req.url ?? '/';
    if (isConsolePath(reqUrl.split('?', 1)[0] ?? '')) {
      if (rawBody === undefined) return sendJson(res, 413, { error: 'the body is larger than 4 MiB' });
      return handleConsole(req.method ?? 'GET', rawBody, res, this.parts);
    }
    if (isInspectionPath(reqUrl.split('?', 1)[0] ?? '')) {
      return handleInspection(req, res, rawBody ?? Buffer.alloc(0), inspection);
    }
    const reply = this.replier(req, res);
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (rawBody === undefined) {
      const endpoint = ENDPOINT_BY_PATH.get(reqUrl.split('?', 1)[0] ?? '');
      stats.request(endpoint);
      return reply(endpoint, { code: 'PARAM_ILLEGAL', message: 'the body is larger than 4 MiB' });
    }
    const method = req.method ?? 'GET';
    const checked = checkRequest({ method, url: reqUrl, headers: req.headers, rawBody }, this.parts.clients);
    stats.request(checked.endpoint);
    if (!checked.ok) {
      return reply(checked.endpoint, { code: checked.code, message: checked.message }, checked.signed);
    }
    const { endpoint } = checked;
    const fault = faults.decide(endpoint);
    if (this.faultFirst(fault, endpoint, res)) return;
    if (fault === 'unknown') return reply(endpoint, { code: 'UNKNOWN_EXCEPTION' });
    const outcome = this.carryOut(endpoint, checked.body, checked.client.merchantId);
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

  /** The reply function of one request: records the result and signs the answer. */
  private replier(req: IncomingMessage, res: ServerResponse): Reply {
    const clientHeader = req.headers['client-id'];
    const clientId = (Array.isArray(clientHeader) ? clientHeader[0] : clientHeader) ?? '';
    const url = req.url ?? '/';
    return async (endpoint, outcome, signed = true) => {
      this.parts.stats.result(endpoint, outcome.code);
      const key = endpoint ? RESULT_KEY[endpoint] : 'resultInfo';
      const payload = outcome.fields ?? {};
      payload[key] = resultInfo(outcome.code, outcome.message);
      // Signed as protocol.md verifies it: "POST <path>", whatever the request's method was.
      const written = await this.parts.responder.send(res, {
        method: 'POST',
        url,
        clientId,
        payload,
        signed,
      });
      if (endpoint && signed && outcome.code === 'SUCCESS') this.lastSuccess.set(endpoint, written);
    };
  }

  /** A fault that answers instead of the rules (nothing applied): true when it did. */
  private faultFirst(fault: FaultKind | undefined, endpoint: EndpointName, res: ServerResponse): boolean {
    if (fault === 'timeout') {
      // Never answered and never applied; the client gives up (or close() ends it).
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return true;
    }
    if (fault === 'http500') {
      this.parts.stats.result(endpoint, 'HTTP_500');
      res
        .writeHead(500, { 'Content-Type': 'text/plain' })
        .end('Internal Server Error (injected by the sandbox)');
      return true;
    }
    const replay = fault === 'replay-success' ? this.lastSuccess.get(endpoint) : undefined;
    if (replay) {
      // An earlier signed answer, byte for byte (its Response-Time too); nothing is applied.
      this.parts.stats.result(endpoint, 'REPLAYED');
      res.writeHead(200, replay.headers).end(replay.body);
      return true;
    }
    return false;
  }

  /** The endpoint's rule, and its change journaled before it is applied. */
  private carryOut(endpoint: EndpointName, body: JsonObject, merchantId: string): Outcome {
    const { store, persistence, now } = this.parts;
    const outcome = HANDLERS[endpoint]({ body, merchantId, now: now(), store });
    if (!outcome.event) return outcome;
    try {
      persistence?.append(outcome.event);
      store.apply(outcome.event);
      return outcome;
    } catch (error) {
      return { code: 'SYSTEM_ERROR', message: `the sandbox could not record the change: ${String(error)}` };
    }
  }
}
