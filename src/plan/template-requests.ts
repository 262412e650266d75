// The requests and reasons a template change is made of: createTemplate, updateTemplate (content
// fields only), switchStatus, closing superseded templates. Pure.
import type { UpdateTemplateRequest } from '../api/endpoints.js';
import type { DesiredTemplate, TemplateBody, TemplateStatus } from '../campaign/types.js';
import type { TemplateState } from '../state/state-format.js';
import type { PlannedRequest, Reason } from './plan-types.js';

/** Fields updateTemplate cannot change: a change means a new template (replace). */
export const IMMUTABLE_FIELDS: readonly string[] = ['type', 'product', 'codeType', 'codeStandard'];
/** Fields not sent with updateTemplate: the immutable ones, and stock (updateBudget). */
export const NOT_CONTENT: ReadonlySet<string> = new Set([...IMMUTABLE_FIELDS, 'stock']);

export function supersededCloses(s: TemplateState): { reasons: Reason[]; requests: PlannedRequest[] } {
  const open = s.superseded.filter((x) => !x.closed);
  return {
    reasons: open.map((x) => ({
      path: 'templateCode',
      note: `finish an earlier replace: close the old template ${x.templateCode}`,
    })),
    requests: open.map((x) => switchStatus(x.templateCode, 'closed')),
  };
}

export function switchStatus(templateCode: string, status: TemplateStatus): PlannedRequest {
  return { endpoint: 'switchStatus', body: { templateCode, status } };
}

/**
 * A stock change: read the template's stock at the API, then updateBudget by the difference to
 * `target` (worked out at apply time from that read).
 */
export function stockRequests(templateCode: string, target: number): PlannedRequest[] {
  return [
    { endpoint: 'detail', body: { templateCode } },
    { endpoint: 'updateBudget', body: { templateCode }, stockTarget: target },
  ];
}

export function statusAfterCreate(status: TemplateStatus): PlannedRequest[] {
  return status === 'paused'
    ? [{ endpoint: 'switchStatus', body: { status: 'paused' }, templateCodeFrom: 'created' }]
    : [];
}

/** updateTemplate carries the content fields only (not type/product/codes, not stock). */
export function updateRequest(templateCode: string, body: TemplateBody): PlannedRequest {
  const content: Record<string, unknown> = { templateCode };
  for (const [k, v] of Object.entries(body)) if (!NOT_CONTENT.has(k)) content[k] = v;
  // The dates again by name, for the type: they are already in `content`, so the key order stays.
  const request: UpdateTemplateRequest = {
    ...content,
    templateCode,
    startDate: body.startDate,
    endDate: body.endDate,
  };
  return { endpoint: 'updateTemplate', body: request };
}

export function createReasons(d: DesiredTemplate): Reason[] {
  const b = d.body;
  const names = Object.entries((b.localeInfo ?? {}) as Record<string, { name?: unknown }>)
    .map(([locale, info]) => `${locale} "${String(info?.name ?? '')}"`)
    .join(', ');
  const reasons: Reason[] = [
    { path: 'type', note: `${b.type} / ${b.product}, code ${b.codeType} (${b.codeStandard})` },
    ...(names ? [{ path: 'name', note: names }] : []),
    ...(['currentAmountCent', 'originalAmountCent'] as const)
      .filter((field) => b[field] !== undefined)
      .map((field) => ({ path: field, after: b[field] })),
    { path: 'stock', after: b.stock },
    { path: 'startDate', after: b.startDate },
    { path: 'endDate', after: b.endDate },
  ];
  if (d.status !== 'valid') reasons.push({ path: 'status', note: `${d.status} (set right after creating)` });
  return reasons;
}
