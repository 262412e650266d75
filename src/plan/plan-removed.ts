// Templates in the state that no campaign file declares (pure). Only a `removed:` entry closes one;
// a template that simply disappeared (file deleted or emptied, key renamed) is a plan error that
// offers `moved:` (naming a template with the same content) or `removed:`.
import type { DesiredTemplate, RemovedEntry } from '../campaign/types.js';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { sortKeys, type TemplateState } from '../state/state-format.js';
import type { TemplateChange } from './plan-types.js';
import { supersededCloses, switchStatus } from './template-requests.js';

export interface PlanRemovedInput {
  /** State entries after moves, by address. */
  working: ReadonlyMap<string, TemplateState>;
  desired: readonly DesiredTemplate[];
  removed: readonly RemovedEntry[];
  /** Campaign files read (display paths). */
  files: readonly string[];
  /** `from` addresses of `moved:` entries: accounted for (a refused move is reported on its own). */
  movedFrom: ReadonlySet<string>;
}

export interface PlanRemovedResult {
  changes: TemplateChange[];
  diagnostics: Diagnostic[];
  /** New address → the missing address it looks like a rename of (same content). */
  renames: Map<string, string>;
}

const isOpen = (s: TemplateState): boolean => s.status !== 'closed' && s.status !== 'expired';

export function planRemoved(input: PlanRemovedInput): PlanRemovedResult {
  const { working } = input;
  const desired = new Set(input.desired.map((d) => d.address));
  const removed = new Map(input.removed.map((r) => [r.address, r]));
  const files = new Set(input.files);
  // Templates that would be created: a missing one with the same content is probably their old name.
  const fresh = input.desired.filter((d) => {
    const s = working.get(d.address);
    return s === undefined || !isOpen(s);
  });
  const result: PlanRemovedResult = { changes: [], diagnostics: [], renames: new Map() };

  for (const address of [...working.keys()].sort()) {
    const s = working.get(address);
    if (!s || desired.has(address) || input.movedFrom.has(address)) continue;
    const entry = removed.get(address);
    if (entry) {
      const change = closeRemoved(address, s, entry, result.diagnostics);
      if (change) result.changes.push(change);
      continue;
    }
    if (isOpen(s)) {
      const lookalikes = fresh.filter((d) => sameContent(d.body, s.spec)).map((d) => d.address);
      const first = lookalikes[0];
      if (first !== undefined && !result.renames.has(first)) result.renames.set(first, address);
      result.diagnostics.push(missing(address, s, lookalikes, files));
      continue;
    }
    // Closed already; only an earlier replace may have left its old template to close.
    const old = supersededCloses(s);
    if (old.requests.length > 0) {
      result.changes.push({
        address,
        action: 'close',
        irreversible: true,
        templateCode: s.templateCode,
        reasons: old.reasons,
        requests: old.requests,
      });
    }
  }

  for (const r of input.removed) {
    if (working.has(r.address) || desired.has(r.address)) continue;
    result.diagnostics.push({
      severity: 'warning',
      code: 'REMOVED_NOT_IN_STATE',
      message: `${r.address} is listed under \`removed:\`, but this environment's state has no template there: nothing to close.`,
      hint: 'Nothing to do here. Once every environment has applied the removal, the entry can be deleted.',
      position: r.source,
      path: '/removed',
    });
  }
  return result;
}

function closeRemoved(
  address: string,
  s: TemplateState,
  entry: RemovedEntry,
  diagnostics: Diagnostic[],
): TemplateChange | undefined {
  const old = supersededCloses(s);
  const open = isOpen(s);
  if (!open && old.requests.length === 0) return undefined;
  if (s.protect && open) {
    diagnostics.push({
      severity: 'error',
      code: 'TEMPLATE_PROTECTED',
      message: `${address} is listed under \`removed:\`, but it is protected, so it will not be closed.`,
      hint: 'Delete the `removed:` entry to keep it; or, to really close it, first put it back with `protect: false` and apply, then remove it again.',
      position: entry.source,
    });
  }
  const where = `${entry.source.file}:${entry.source.line}`;
  return {
    address,
    action: 'close',
    irreversible: true,
    templateCode: s.templateCode,
    reasons: [
      ...(open ? [{ path: 'address', note: `listed under \`removed:\` (${where}): closed for good` }] : []),
      ...old.reasons,
    ],
    requests: [...(open ? [switchStatus(s.templateCode, 'closed')] : []), ...old.requests],
    source: entry.source,
  };
}

function missing(
  address: string,
  s: TemplateState,
  lookalikes: readonly string[],
  files: ReadonlySet<string>,
): Diagnostic {
  const campaign = address.slice(0, address.indexOf('/'));
  const seen = s.file
    ? `it was last seen in ${s.file}`
    : `the state does not record its file (look for \`campaign: ${campaign}\` or a file named ${campaign}.yaml)`;
  const to = lookalikes[0];
  const moved =
    to === undefined
      ? `Renamed? Add \`moved: [{ from: ${address}, to: NEW-ADDRESS }]\` to its campaign file.`
      : `Renamed? ${lookalikes.join(', ')} ${lookalikes.length === 1 ? 'has' : 'have'} the same content: add \`moved: [{ from: ${address}, to: ${to} }]\` to keep the template and its passes.`;
  const position: SourcePosition | undefined =
    s.file && files.has(s.file) ? { file: s.file, line: 1, col: 1 } : undefined;
  return {
    severity: 'error',
    code: 'TEMPLATE_MISSING_FROM_FILES',
    message: `${address} (template ${s.templateCode}, ${s.status}) is in the state but in no campaign file; ${seen}. A template that disappears from the files is not closed, so nothing is sent.`,
    hint: `${moved} To close it for good (irreversible), add \`removed: [${address}]\` to a campaign file. Deleted by mistake? Put it back.`,
    ...(position ? { position } : {}),
  };
}

/** Same template content, whatever the stock (status and protect are not part of the spec). */
export function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const { stock: _a, ...restA } = a;
  const { stock: _b, ...restB } = b;
  return JSON.stringify(sortKeys(restA)) === JSON.stringify(sortKeys(restB));
}
