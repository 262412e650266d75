// Read-only copies of what the sandbox holds, as the inspection routes and in-process tests see them,
// and the request counters behind /__sandbox/stats.
import type { EndpointName } from '../api/endpoints.js';
import type { FaultKind } from './faults.js';
import {
  effectiveStatus,
  type PassStatus,
  type SandboxStore,
  type StoredPass,
  type StoredStatus,
  type StoredTemplate,
  type TemplateContent,
  type TemplateStatus,
} from './store.js';

export interface TemplateView {
  templateCode: string;
  merchantId: string;
  /** The createTemplate requestId that made it. */
  requestId: string;
  /** As detail reports it (expired derived from endDate). */
  status: TemplateStatus;
  storedStatus: StoredStatus;
  type: string;
  product: string;
  codeType: string;
  codeStandard: string;
  stock: number;
  availableStock: number;
  issued: number;
  content: TemplateContent;
  createdAt: number;
  updatedAt: number;
}

export interface PassView {
  passId: string;
  templateCode: string;
  bizSerialId: string;
  userId?: string;
  openId?: string;
  status: PassStatus;
  startDate: number;
  endDate: number;
  /** Successful updatePass UPDATEs that changed what the pass shows. */
  updates: number;
  dataInfo?: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface SandboxStoreView {
  templates(): TemplateView[];
  template(templateCode: string): TemplateView | undefined;
  /** Passes of one template, or all. */
  passes(templateCode?: string): PassView[];
  pass(templateCode: string, bizSerialId: string): PassView | undefined;
  passCount(templateCode?: string): number;
}

export function templateView(t: StoredTemplate, now: number): TemplateView {
  return {
    templateCode: t.templateCode,
    merchantId: t.merchantId,
    requestId: t.requestId,
    status: effectiveStatus(t, now),
    storedStatus: t.storedStatus,
    type: t.type,
    product: t.product,
    codeType: t.codeType,
    codeStandard: t.codeStandard,
    stock: t.stock,
    availableStock: t.stock - t.issued,
    issued: t.issued,
    content: structuredClone(t.content),
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

export function passView(p: StoredPass): PassView {
  const view: PassView = {
    passId: p.passId,
    templateCode: p.templateCode,
    bizSerialId: p.bizSerialId,
    status: p.status,
    startDate: p.startDate,
    endDate: p.endDate,
    updates: p.updates,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
  if (p.dataInfo !== undefined) view.dataInfo = structuredClone(p.dataInfo);
  if (p.userId !== undefined) view.userId = p.userId;
  if (p.openId !== undefined) view.openId = p.openId;
  return view;
}

export function createStoreView(store: SandboxStore, now: () => number): SandboxStoreView {
  return {
    templates: () => [...store.templates()].map((t) => templateView(t, now())),
    template(code) {
      const t = store.template(code);
      return t && templateView(t, now());
    },
    passes: (code) => (code === undefined ? [...store.allPasses()] : store.passesOf(code)).map(passView),
    pass(code, bizSerialId) {
      const p = store.pass(code, bizSerialId);
      return p && passView(p);
    },
    passCount: (code) => (code === undefined ? store.size.passes : store.passesOf(code).length),
  };
}

export interface SandboxStats {
  /** API requests received, per endpoint (`other` for unknown paths). */
  requests: Record<string, number>;
  /** Result codes answered, over all endpoints. */
  results: Record<string, number>;
  /** Result codes answered, per endpoint. */
  byEndpoint: Record<string, Record<string, number>>;
  /** Faults injected, per kind. */
  faults: Record<FaultKind, number>;
}

export class StatsCounter {
  private readonly requests: Record<string, number> = {};
  private readonly results: Record<string, number> = {};
  private readonly byEndpoint: Record<string, Record<string, number>> = {};

  request(endpoint: EndpointName | undefined): void {
    const name = endpoint ?? 'other';
    this.requests[name] = (this.requests[name] ?? 0) + 1;
  }

  result(endpoint: EndpointName | undefined, code: string): void {
    const name = endpoint ?? 'other';
    this.results[code] = (this.results[code] ?? 0) + 1;
    const per = this.byEndpoint[name] ?? {};
    per[code] = (per[code] ?? 0) + 1;
    this.byEndpoint[name] = per;
  }

  snapshot(faults: Record<FaultKind, number>): SandboxStats {
    return structuredClone({
      requests: this.requests,
      results: this.results,
      byEndpoint: this.byEndpoint,
      faults,
    });
  }
}
