// The sandbox's own routes under /__sandbox/: read-only, unsigned JSON views of what it holds, plus
// POST /__sandbox/faults to change fault injection at runtime and POST /__sandbox/passes/use. Never subject to faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIpassError } from '../diagnostics/errors.js';
import { type FaultConfig, type FaultInjector, parseFaultConfig } from './faults.js';
import { sendJson } from './respond.js';
import type { SandboxStoreView, StatsCounter } from './view.js';

export const INSPECTION_PREFIX = '/__sandbox';

export interface InspectionContext {
  view: SandboxStoreView;
  faults: FaultInjector;
  stats: StatsCounter;
  info: () => Record<string, unknown>;
  setFaults(config: FaultConfig): void;
  /** POST /__sandbox/passes/use (see use-passes.ts): status and answer. */
  usePasses(rawBody: Buffer): [number, unknown];
}

export function isInspectionPath(pathname: string): boolean {
  return pathname === INSPECTION_PREFIX || pathname.startsWith(`${INSPECTION_PREFIX}/`);
}

export function handleInspection(
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: Buffer,
  ctx: InspectionContext,
): void {
  const [status, payload] = route(req, rawBody, ctx);
  sendJson(res, status, payload);
}

function route(req: IncomingMessage, rawBody: Buffer, ctx: InspectionContext): [number, unknown] {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const path = url.pathname.slice(INSPECTION_PREFIX.length).replace(/\/+$/, '') || '/';
  if (path === '/faults' && req.method === 'POST') return postFaults(rawBody, ctx);
  if (path === '/passes/use' && req.method === 'POST') return ctx.usePasses(rawBody);
  if (req.method !== 'GET') return [405, { error: `${req.method} is not allowed on ${url.pathname}` }];

  if (path === '/' || path === '/info') return [200, ctx.info()];
  if (path === '/templates') return [200, { templates: ctx.view.templates() }];
  if (path.startsWith('/templates/')) {
    const template = ctx.view.template(decodeURIComponent(path.slice('/templates/'.length)));
    return template ? [200, template] : [404, { error: 'no such template' }];
  }
  if (path === '/passes') return [200, passes(url.searchParams, ctx.view)];
  if (path === '/stats') return [200, ctx.stats.snapshot(ctx.faults.injected)];
  if (path === '/faults') return [200, ctx.faults.current()];
  return [404, { error: `no sandbox route ${url.pathname}` }];
}

/** `?templateCode=` filters, `?bizSerialId=` picks one, `?count=1` answers the count only, `offset`/`limit` page. */
function passes(query: URLSearchParams, view: SandboxStoreView): Record<string, unknown> {
  const templateCode = query.get('templateCode') ?? undefined;
  const bizSerialId = query.get('bizSerialId');
  if (templateCode !== undefined && bizSerialId !== null) {
    const pass = view.pass(templateCode, bizSerialId);
    return { count: pass ? 1 : 0, passes: pass ? [pass] : [] };
  }
  const count = view.passCount(templateCode);
  if (query.get('count') === '1' || query.get('count') === 'true') return { count };
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const limit = query.has('limit') ? Math.max(0, Number(query.get('limit')) || 0) : Number.POSITIVE_INFINITY;
  const all = view.passes(templateCode);
  return { count, passes: all.slice(offset, offset + limit) };
}

function postFaults(rawBody: Buffer, ctx: InspectionContext): [number, unknown] {
  try {
    ctx.setFaults(parseFaultConfig(JSON.parse(rawBody.toString('utf8') || '{}')));
    return [200, ctx.faults.current()];
  } catch (error) {
    return [400, { error: isIpassError(error) ? error.message : 'the body is not JSON' }];
  }
}
