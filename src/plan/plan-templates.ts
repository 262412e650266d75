// Templates: (desired, state[, remote]) → one change per address with the SPEC's actions.
// Pure: the clock comes in as `now`, the remote view as data.
import type { DesiredTemplate, RemovedEntry, TemplateBody } from '../campaign/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { createRequestId, type StateFile, type TemplateState } from '../state/state-format.js';
import { diffValues, rootField } from './diff.js';
import { applyRemote } from './drift.js';
import { planRemoved } from './plan-removed.js';
import type { DriftItem, PlannedRequest, Reason, RemoteTemplate, TemplateChange } from './plan-types.js';
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

export interface PlanTemplatesInput {
  templates: readonly DesiredTemplate[];
  moved: readonly { from: string; to: string; source: Diagnostic['position'] }[];
  state: StateFile;
  now: number;
  /** By address; only with --refresh. */
  remote?: ReadonlyMap<string, RemoteTemplate>;
  /** `removed:` entries: the only way a template in the state but in no file is closed. */
  removed?: readonly RemovedEntry[];
  /** Campaign files read (display paths). */
  files?: readonly string[];
}

export interface PlanTemplatesResult {
  changes: TemplateChange[];
  diagnostics: Diagnostic[];
  drift: DriftItem[];
  /** State entries after moves (and refresh), by address: what pass batches see. */
  working: Map<string, TemplateState>;
  /** New address → a missing address it looks like a rename of. */
  renames: Map<string, string>;
}

export function planTemplates(input: PlanTemplatesInput): PlanTemplatesResult {
  const { state, now } = input;
  const diagnostics: Diagnostic[] = [];
  const drift: DriftItem[] = [];
  const working = new Map<string, TemplateState>();
  for (const [address, t] of Object.entries(state.templates)) if (t) working.set(address, t);

  const movedFrom = new Map<string, string>();
  for (const m of input.moved) {
    const from = working.get(m.from);
    if (!from) continue; // already moved, or never created: nothing to do
    if (working.has(m.to)) {
      diagnostics.push({
        severity: 'error',
        code: 'MOVE_TARGET_EXISTS',
        message: `Cannot move ${m.from} to ${m.to}: both addresses already have a template.`,
        hint: `Remove this moved entry, or remove ${m.to} from the state first (\`ipass state rm ${m.to}\`).`,
        ...(m.source ? { position: m.source } : {}),
      });
      continue;
    }
    working.set(m.to, from);
    working.delete(m.from);
    movedFrom.set(m.to, m.from);
  }

  for (const p of state.pending) {
    if (p.endpoint !== 'createTemplate' || working.has(p.address)) continue;
    // An in-doubt create from an earlier apply is re-sent verbatim first; plan as if it succeeded.
    const spec = (p.spec ?? p.body) as TemplateBody;
    working.set(p.address, {
      templateCode: '(pending)',
      status: p.status ?? 'valid',
      stock: spec.stock,
      protect: p.protect ?? false,
      generation: p.generation ?? 1,
      requestId: String(p.body.requestId ?? ''),
      spec,
      superseded: p.supersedes ? [{ templateCode: p.supersedes, closed: false }] : [],
    });
  }

  if (input.remote) {
    for (const [address, remote] of input.remote) {
      const s = working.get(address);
      if (s) working.set(address, applyRemote(address, s, remote, drift));
    }
  }

  const changes: TemplateChange[] = [];
  const desiredAddresses = new Set<string>();
  for (const d of [...input.templates].sort((a, b) => (a.address < b.address ? -1 : 1))) {
    desiredAddresses.add(d.address);
    const change = planOne(d, working.get(d.address), input, diagnostics);
    const from = movedFrom.get(d.address);
    if (from) {
      change.movedFrom = from;
      change.reasons.unshift({ path: 'address', before: from, after: d.address });
      if (change.action === 'noop') change.action = 'move';
    }
    changes.push(change);
  }

  const removed = planRemoved({
    working,
    desired: input.templates,
    removed: input.removed ?? [],
    files: input.files ?? [],
    movedFrom: new Set(input.moved.map((m) => m.from)),
  });
  changes.push(...removed.changes);
  diagnostics.push(...removed.diagnostics);
  return { changes, diagnostics, drift, working, renames: removed.renames };

  function planOne(
    d: DesiredTemplate,
    s: TemplateState | undefined,
    _ctx: PlanTemplatesInput,
    diags: Diagnostic[],
  ): TemplateChange {
    const base = {
      address: d.address,
      source: d.source,
      record: { spec: d.body, status: d.status, protect: d.protect },
    };
    if (!s || s.status === 'closed') {
      if (d.status === 'closed') {
        return {
          ...base,
          action: 'noop',
          irreversible: false,
          reasons: [
            { path: 'status', note: s ? 'already closed' : 'not created, because its status is closed' },
          ],
          requests: [],
          ...(s ? { templateCode: s.templateCode } : {}),
        };
      }
      const generation = nextGeneration(d.address, s);
      checkStart(d, diags, 'create');
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
        requests: [createRequest(d, generation), ...statusAfterCreate(d.status)],
      };
    }

    const reasons = diffValues(s.spec, d.body).filter((r) => rootField(r.path) !== 'stock');
    const immutable = reasons.filter((r) => IMMUTABLE_FIELDS.includes(rootField(r.path)));
    const content = reasons.filter((r) => !NOT_CONTENT.has(rootField(r.path)));
    const stockChanged = s.stock !== d.body.stock;
    const statusChanged = s.status !== d.status;
    const code = s.templateCode;
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

    if (d.status === 'closed') {
      if (!TRANSITIONS[s.status]?.includes('closed')) {
        const note = `it is ${s.status}, which cannot be closed`;
        return withOld({
          ...base,
          templateCode: code,
          action: 'noop',
          irreversible: false,
          reasons: [{ path: 'status', note }],
          requests: [],
        });
      }
      if (d.protect) diags.push(protectedError(d, 'close'));
      return withOld({
        ...base,
        templateCode: code,
        action: 'status',
        irreversible: true,
        reasons: [{ path: 'status', before: s.status, after: 'closed', note: 'closing is permanent' }],
        requests: [switchStatus(code, 'closed')],
      });
    }

    if (immutable.length > 0) {
      if (d.protect) diags.push(protectedError(d, 'replace'));
      checkStart(d, diags, 'replace');
      const generation = nextGeneration(d.address, s);
      return withOld({
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
          createRequest(d, generation),
          ...statusAfterCreate(d.status),
          switchStatus(code, 'closed'),
        ],
      });
    }

    const requests: PlannedRequest[] = [];
    const all: Reason[] = [...content];
    if (content.length > 0) requests.push(updateRequest(code, d.body));
    if (stockChanged) {
      all.push({ path: 'stock', before: s.stock, after: d.body.stock });
      requests.push(...stockRequests(code, d.body.stock));
    }
    if (statusChanged) {
      all.push({ path: 'status', before: s.status, after: d.status });
      if (!TRANSITIONS[s.status]?.includes(d.status)) diags.push(transitionError(d, s.status));
      requests.push(switchStatus(code, d.status));
    }
    if (s.protect !== d.protect) all.push({ path: 'protect', before: s.protect, after: d.protect });
    const action = content.length > 0 ? 'update' : stockChanged ? 'stock' : statusChanged ? 'status' : 'noop';
    return withOld({ ...base, templateCode: code, action, irreversible: false, reasons: all, requests });
  }

  function nextGeneration(address: string, s: TemplateState | undefined): number {
    return Math.max(state.createAttempts[address] ?? 0, s?.generation ?? 0) + 1;
  }

  function createRequest(d: DesiredTemplate, generation: number): PlannedRequest {
    return {
      endpoint: 'createTemplate',
      body: { requestId: createRequestId(state.lineage, d.address, generation), ...d.body },
    };
  }

  function checkStart(d: DesiredTemplate, diags: Diagnostic[], what: 'create' | 'replace'): void {
    if (d.body.startDate >= now) return;
    diags.push({
      severity: 'error',
      code: 'TEMPLATE_START_IN_PAST',
      message: `${d.address} would be ${what === 'create' ? 'created' : 'created anew (replace)'} with a startDate in the past; the API refuses that.`,
      hint: 'Move startDate to a time after now (ISO-8601 with offset, e.g. 2027-06-01T00:00:00+08:00).',
      position: d.fields.startDate ?? d.source,
    });
  }
}
