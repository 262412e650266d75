// One template's change (pure): from its desired form and its entry in the (working) state to create,
// update, stock, status, replace, close or noop, with the reasons and the exact requests; an earlier
// replace's old template still open is closed along with it.
import type { DesiredTemplate } from '../campaign/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { createRequestId, type StateFile, type TemplateState } from '../state/state-format.js';
import { diffValues, rootField } from './diff.js';
import { heldAsIs } from './held-status.js';
import type { PlannedRequest, Reason, TemplateChange } from './plan-types.js';
import { protectedError, TRANSITIONS, transitionError } from './template-diagnostics.js';
import {
  createReasons,
  IMMUTABLE_FIELDS,
  NOT_CONTENT,
  statusAfterCreate,
  stockRequests,
  supersededCloses,
  switchStatus,
  updateRequest,
} from './template-requests.js';

export interface ChangeContext {
  state: StateFile;
  now: number;
  /** Where problems found while planning go. */
  diagnostics: Diagnostic[];
}

type Base = Pick<TemplateChange, 'address' | 'source'> & { record: NonNullable<TemplateChange['record']> };

export function templateChange(
  ctx: ChangeContext,
  d: DesiredTemplate,
  s: TemplateState | undefined,
): TemplateChange {
  const base: Base = {
    address: d.address,
    source: d.source,
    record: { spec: d.body, status: d.status, protect: d.protect },
  };
  if (!s || s.status === 'closed') return created(ctx, d, s, base);
  const closeOld = supersededCloses(s);
  const withOld = (c: TemplateChange): TemplateChange => {
    if (closeOld.requests.length === 0) return c;
    return {
      ...c,
      action: c.action === 'noop' ? 'close' : c.action,
      irreversible: true,
      reasons: [...c.reasons, ...closeOld.reasons],
      requests: [...c.requests, ...closeOld.requests],
    };
  };
  if (d.status === 'closed') return withOld(closed(ctx, d, s, base));
  const reasons = diffValues(s.spec, d.body).filter((r) => rootField(r.path) !== 'stock');
  const immutable = reasons.filter((r) => IMMUTABLE_FIELDS.includes(rootField(r.path)));
  if (immutable.length > 0) return withOld(replaced(ctx, d, s, base, reasons, immutable));
  return withOld(updated(ctx, d, s, base, reasons));
}

/** No template yet (or only a closed one, which cannot be reopened): create one. */
function created(
  ctx: ChangeContext,
  d: DesiredTemplate,
  s: TemplateState | undefined,
  base: Base,
): TemplateChange {
  if (d.status === 'closed') {
    return {
      ...base,
      action: 'noop',
      irreversible: false,
      reasons: [{ path: 'status', note: s ? 'already closed' : 'not created, because its status is closed' }],
      requests: [],
      ...(s ? { templateCode: s.templateCode } : {}),
    };
  }
  const generation = nextGeneration(ctx.state, d.address, s);
  checkStart(ctx, d, 'create');
  const reasons: Reason[] = createReasons(d);
  if (s)
    reasons.unshift({
      path: 'templateCode',
      note: `the previous template ${s.templateCode} is closed and cannot be reopened; a new one is created`,
    });
  return {
    ...base,
    record: { ...base.record, generation },
    action: 'create',
    irreversible: false,
    reasons,
    requests: [createRequest(ctx.state, d, generation), ...statusAfterCreate(d.status)],
  };
}

function closed(ctx: ChangeContext, d: DesiredTemplate, s: TemplateState, base: Base): TemplateChange {
  const code = s.templateCode;
  if (!TRANSITIONS[s.status]?.includes('closed')) {
    const note = `it is ${s.status}, which cannot be closed`;
    return {
      ...base,
      templateCode: code,
      action: 'noop',
      irreversible: false,
      reasons: [{ path: 'status', note }],
      requests: [],
    };
  }
  if (d.protect) ctx.diagnostics.push(protectedError(d, 'close'));
  return {
    ...base,
    templateCode: code,
    action: 'status',
    irreversible: true,
    reasons: [{ path: 'status', before: s.status, after: 'closed', note: 'closing is permanent' }],
    requests: [switchStatus(code, 'closed')],
  };
}

/** A field updateTemplate cannot change: a new template, and the old one closed. */
function replaced(
  ctx: ChangeContext,
  d: DesiredTemplate,
  s: TemplateState,
  base: Base,
  reasons: readonly Reason[],
  immutable: readonly Reason[],
): TemplateChange {
  const code = s.templateCode;
  if (d.protect) ctx.diagnostics.push(protectedError(d, 'replace'));
  checkStart(ctx, d, 'replace');
  const generation = nextGeneration(ctx.state, d.address, s);
  const stockChanged = s.stock !== d.body.stock;
  return {
    ...base,
    record: { ...base.record, generation },
    templateCode: code,
    action: 'replace',
    irreversible: true,
    reasons: [
      ...reasons,
      ...(stockChanged ? [{ path: 'stock', before: s.stock, after: d.body.stock }] : []),
      {
        path: 'templateCode',
        note: `${immutable.map((r) => r.path).join(', ')} cannot be updated: a new template is created and ${code} is closed`,
      },
    ],
    requests: [
      createRequest(ctx.state, d, generation),
      ...statusAfterCreate(d.status),
      switchStatus(code, 'closed'),
    ],
  };
}

/** Content, stock and status changed in place (or nothing at all). */
function updated(
  ctx: ChangeContext,
  d: DesiredTemplate,
  s: TemplateState,
  base: Base,
  reasons: readonly Reason[],
): TemplateChange {
  const code = s.templateCode;
  const content = reasons.filter((r) => !NOT_CONTENT.has(rootField(r.path)));
  const stockChanged = s.stock !== d.body.stock;
  // An adopted template AlipayHK reports expired or frozen is left in that status (see plan-import.ts).
  const statusChanged = s.status !== d.status && !heldAsIs(s, d.status);
  const requests: PlannedRequest[] = [];
  const all: Reason[] = [...content];
  if (content.length > 0) requests.push(updateRequest(code, d.body));
  if (stockChanged) {
    all.push({ path: 'stock', before: s.stock, after: d.body.stock });
    requests.push(...stockRequests(code, d.body.stock));
  }
  if (statusChanged) {
    all.push({ path: 'status', before: s.status, after: d.status });
    if (!TRANSITIONS[s.status]?.includes(d.status)) ctx.diagnostics.push(transitionError(d, s.status));
    requests.push(switchStatus(code, d.status));
  }
  if (s.protect !== d.protect) all.push({ path: 'protect', before: s.protect, after: d.protect });
  const action = content.length > 0 ? 'update' : stockChanged ? 'stock' : statusChanged ? 'status' : 'noop';
  return { ...base, templateCode: code, action, irreversible: false, reasons: all, requests };
}

function nextGeneration(state: StateFile, address: string, s: TemplateState | undefined): number {
  return Math.max(state.createAttempts[address] ?? 0, s?.generation ?? 0) + 1;
}

function createRequest(state: StateFile, d: DesiredTemplate, generation: number): PlannedRequest {
  return {
    endpoint: 'createTemplate',
    body: { requestId: createRequestId(state.lineage, d.address, generation), ...d.body },
  };
}

function checkStart(ctx: ChangeContext, d: DesiredTemplate, what: 'create' | 'replace'): void {
  if (d.body.startDate >= ctx.now) return;
  ctx.diagnostics.push({
    severity: 'error',
    code: 'TEMPLATE_START_IN_PAST',
    message: `${d.address} would be ${what === 'create' ? 'created' : 'created anew (replace)'} with a startDate in the past; the API refuses that.`,
    hint: 'Move startDate to a time after now (ISO-8601 with offset, e.g. 2027-06-01T00:00:00+08:00).',
    position: d.fields.startDate ?? d.source,
  });
}
