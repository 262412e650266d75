// Templates: (desired, state[, remote]) → one change per address with the SPEC's actions.
// Pure: the clock comes in as `now`, the remote view as data.
import type { DesiredTemplate, ImportEntry, RemovedEntry } from '../campaign/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { StateFile, TemplateState } from '../state/state-format.js';
import { applyRemote } from './drift.js';
import { importChange, importTargets } from './plan-import.js';
import { planRemoved } from './plan-removed.js';
import type { DriftItem, RemoteTemplate, TemplateChange } from './plan-types.js';
import { templateChange } from './template-change.js';

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
  /** `import:` entries: existing templates to adopt. */
  imports?: readonly ImportEntry[];
  /** By address of an import, from `detail` (--refresh); null: the API knows no such template. */
  importRemote?: ReadonlyMap<string, RemoteTemplate | null>;
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
  const movedFrom = applyMoves(working, input.moved, diagnostics);
  addPending(working, state.pending);
  if (input.remote) {
    for (const [address, remote] of input.remote) {
      const s = working.get(address);
      if (s) working.set(address, applyRemote(address, s, remote, drift));
    }
  }

  const ctx = { state, now, diagnostics };
  const adopt = importTargets(input.imports ?? [], working, diagnostics);
  const changes: TemplateChange[] = [];
  for (const d of [...input.templates].sort((a, b) => (a.address < b.address ? -1 : 1))) {
    const entry = adopt.get(d.address);
    const change = entry
      ? importChange(ctx, d, entry, input.importRemote?.get(d.address))
      : templateChange(ctx, d, working.get(d.address));
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
}

/** Renames carried out on the working state; returns new address → old address. */
function applyMoves(
  working: Map<string, TemplateState>,
  moved: PlanTemplatesInput['moved'],
  diagnostics: Diagnostic[],
): Map<string, string> {
  const movedFrom = new Map<string, string>();
  for (const m of moved) {
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
  return movedFrom;
}

/** An in-doubt create from an earlier apply is re-sent verbatim first; plan as if it succeeded. */
function addPending(working: Map<string, TemplateState>, pending: StateFile['pending']): void {
  for (const p of pending) {
    if (p.endpoint !== 'createTemplate' || working.has(p.address)) continue;
    const spec = p.spec ?? p.body;
    working.set(p.address, {
      templateCode: '(pending)',
      status: p.status ?? 'valid',
      stock: typeof spec.stock === 'number' ? spec.stock : 0,
      protect: p.protect ?? false,
      generation: p.generation ?? 1,
      requestId: String(p.body.requestId ?? ''),
      spec,
      superseded: p.supersedes ? [{ templateCode: p.supersedes, closed: false }] : [],
    });
  }
}
