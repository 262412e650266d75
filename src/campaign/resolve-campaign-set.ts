// Every parsed file together → the CampaignSet the planner reads, plus the checks that need all files:
// unique addresses, start dates against `now` and the state, renames, pass batches. Pure.
import { closest } from '../diagnostics/closest.js';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { nextHongKongMidnight, startTooFarDiagnostic } from './date-rules.js';
import { formatHongKongTime } from './dates.js';
import { combineInputHash, type HashedInput } from './input-hash.js';
import type { ParsedTemplate } from './normalize-template.js';
import type { MovedDraft, ParsedCampaignFile, RemovedDraft } from './parse-campaign-file.js';
import type { RecipientsInfo } from './recipients-header.js';
import { resolveImports } from './resolve-imports.js';
import { resolvePassBatch } from './resolve-pass-batches.js';
import type { CampaignSet, DesiredPassBatch, DesiredTemplate, MovedEntry, RemovedEntry } from './types.js';

export interface ResolveOptions {
  /** Epoch ms: start dates before it are in the past. */
  now: number;
  /** Addresses already in state (start-in-past is then only a warning). */
  existing: ReadonlySet<string>;
  /** By absolute path, for every recipients file a pass batch names. */
  recipients: ReadonlyMap<string, RecipientsInfo>;
  /** sha256 of each campaign file's bytes, by display path. */
  fileDigests: ReadonlyMap<string, string>;
  /**
   * Campaigns (some of) whose files could not be read: a reference into one of them is not
   * reported as missing, since the file may well define it once it is fixed.
   */
  unreadable?: ReadonlySet<string>;
}

export function resolveCampaignSet(
  files: readonly ParsedCampaignFile[],
  o: ResolveOptions,
): { set: CampaignSet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byAddress = new Map<string, SourcePosition>();
  const unique = (item: Claim, kind: string): boolean => claim(byAddress, item, kind, diagnostics);

  const templates = new Map<string, ParsedTemplate>();
  const desiredTemplates: DesiredTemplate[] = [];
  for (const file of files) {
    for (const t of file.templates) {
      if (!unique(t, 'templates')) continue;
      templates.set(t.address, t);
      if (t.desired) desiredTemplates.push(t.desired);
    }
  }

  const unknowable = (address: string): boolean => o.unreadable?.has(address.split('/')[0] ?? '') ?? false;
  const moved = resolveMoved(
    files.flatMap((f) => f.moved),
    templates,
    diagnostics,
    unknowable,
  );
  const imports = resolveImports(
    files.flatMap((f) => f.imports),
    templates,
    diagnostics,
    unknowable,
  );
  // A renamed template that exists under its old address is not created again, nor an adopted one.
  const existing = new Set(o.existing);
  for (const m of moved) if (o.existing.has(m.from)) existing.add(m.to);
  for (const i of imports) existing.add(i.to);
  diagnostics.push(...startProblems(templates.values(), existing, o.now));

  const passes: DesiredPassBatch[] = [];
  const recipientsUsed = new Map<string, HashedInput>();
  for (const file of files) {
    for (const batch of file.passes) {
      if (!unique(batch, 'passes')) continue;
      const resolved = resolvePassBatch(batch, templates, o.recipients, unknowable);
      for (const d of resolved.diagnostics) diagnostics.push(d);
      if (resolved.desired) passes.push(resolved.desired);
      if (batch.recipients !== undefined) {
        const info = o.recipients.get(batch.recipients);
        const digest = info && 'digest' in info ? info.digest : undefined;
        recipientsUsed.set(batch.recipients, { display: batch.recipientsDisplay, digest });
      }
    }
  }

  const removed = resolveRemoved(
    files.flatMap((f) => f.removed),
    byAddress,
    moved,
    diagnostics,
  );

  const fileNames = files.map((f) => f.file).sort();
  const set: CampaignSet = {
    templates: desiredTemplates.sort(byAddressOrder),
    passes: passes.sort(byAddressOrder),
    moved,
    removed,
    imports,
    files: fileNames,
    inputHash: combineInputHash(
      fileNames.map((display) => ({ display, digest: o.fileDigests.get(display) })),
      [...recipientsUsed.values()],
    ),
  };
  return { set, diagnostics };
}

interface Claim {
  address: string;
  key: string;
  source: SourcePosition;
}

/** The first template or pass batch at an address has it; another is DUPLICATE_ADDRESS. */
function claim(
  byAddress: Map<string, SourcePosition>,
  item: Claim,
  kind: string,
  diagnostics: Diagnostic[],
): boolean {
  const first = byAddress.get(item.address);
  if (!first) {
    byAddress.set(item.address, item.source);
    return true;
  }
  diagnostics.push({
    severity: 'error',
    code: 'DUPLICATE_ADDRESS',
    message: `The address ${item.address} is already used at ${first.file}:${first.line}:${first.col}.`,
    hint: 'Give one of them another key (templates and pass batches share addresses), or set a different `campaign:` in one file.',
    position: item.source,
    path: `/${kind}/${item.key}`,
  });
  return false;
}

const byAddressOrder = (a: { address: string }, b: { address: string }): number =>
  a.address < b.address ? -1 : a.address > b.address ? 1 : 0;

/**
 * Start dates of templates to be created: not in the past, not too far ahead. A template that exists
 * keeps its start unless the file changes it; `plan` (which has the state) checks a changed start
 * (see src/plan/preflight-rules.ts).
 */
function startProblems(
  templates: Iterable<ParsedTemplate>,
  existing: ReadonlySet<string>,
  now: number,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of templates) {
    if (!t.start || existing.has(t.address)) continue;
    const path = `/templates/${t.key}/startDate`;
    if (t.start.ms < now) out.push(startInPast(t, t.start, now));
    else {
      const far = startTooFarDiagnostic(t.key, t.start.ms, now, t.start.position, path);
      if (far) out.push(far);
    }
  }
  return out;
}

function startInPast(
  t: ParsedTemplate,
  start: { ms: number; position: SourcePosition },
  now: number,
): Diagnostic {
  return {
    severity: 'error',
    code: 'TEMPLATE_START_IN_PAST',
    message: `Template ${t.key} starts ${formatHongKongTime(start.ms)}, which is before now (${formatHongKongTime(now)}); AlipayHK refuses to create it (PASS_TEMPLATE_START_TIME_LESS_CURRENT).`,
    hint: `Move startDate to a moment in the future, e.g. ${formatHongKongTime(nextHongKongMidnight(now))}.`,
    position: start.position,
    path: `/templates/${t.key}/startDate`,
  };
}

function resolveMoved(
  entries: readonly MovedDraft[],
  templates: ReadonlyMap<string, ParsedTemplate>,
  diagnostics: Diagnostic[],
  unknowable: (address: string) => boolean,
): MovedEntry[] {
  const out: MovedEntry[] = [];
  const froms = new Set<string>();
  const tos = new Set<string>();
  for (const m of entries) {
    const before = diagnostics.length;
    // A target in a file that could not be read is not reported, nor used.
    const unknown = !templates.has(m.to) && unknowable(m.to);
    if (!templates.has(m.to) && !unknown) {
      const guess = closest(m.to, [...templates.keys()]);
      diagnostics.push({
        severity: 'error',
        code: 'MOVED_TARGET_NOT_FOUND',
        message: `The rename to ${m.to} names no template in the campaign files.`,
        hint: guess ? `Did you mean ${guess}?` : '`to` must be the new address "campaign/key" of a template.',
        position: m.toPosition,
        path: `/moved/${m.index}/to`,
      });
    }
    if (templates.has(m.from)) {
      diagnostics.push({
        severity: 'error',
        code: 'MOVED_SOURCE_STILL_DESIRED',
        message: `The rename from ${m.from} names a template that still exists in the campaign files.`,
        hint: 'Remove or rename the old template, or drop this `moved` entry.',
        position: m.fromPosition,
        path: `/moved/${m.index}/from`,
      });
    }
    for (const [seen, address, position, side] of [
      [froms, m.from, m.fromPosition, 'from'],
      [tos, m.to, m.toPosition, 'to'],
    ] as const) {
      if (seen.has(address)) {
        diagnostics.push({
          severity: 'error',
          code: 'MOVED_DUPLICATE',
          message: `${address} appears as \`${side}\` in more than one rename.`,
          hint: 'One old address moves to one new address; keep a single entry.',
          position,
          path: `/moved/${m.index}/${side}`,
        });
      }
      seen.add(address);
    }
    if (diagnostics.length === before && !unknown) out.push({ from: m.from, to: m.to, source: m.source });
  }
  return out;
}

/** `removed:` entries: each address once, not declared in any file, not renamed at the same time. */
function resolveRemoved(
  entries: readonly RemovedDraft[],
  declared: ReadonlyMap<string, SourcePosition>,
  moved: readonly MovedEntry[],
  diagnostics: Diagnostic[],
): RemovedEntry[] {
  const out = new Map<string, RemovedEntry>();
  const renamed = new Set(moved.map((m) => m.from));
  for (const r of entries) {
    const path = `/removed/${r.index}`;
    const first = out.get(r.address);
    if (first) {
      diagnostics.push({
        severity: 'warning',
        code: 'REMOVED_DUPLICATE',
        message: `${r.address} is already listed under \`removed:\` at ${first.source.file}:${first.source.line}:${first.source.col}.`,
        hint: 'Keep one entry.',
        position: r.source,
        path,
      });
      continue;
    }
    const at = declared.get(r.address);
    if (at) {
      diagnostics.push({
        severity: 'error',
        code: 'REMOVED_STILL_DECLARED',
        message: `${r.address} is listed under \`removed:\`, but ${at.file}:${at.line}:${at.col} still declares it.`,
        hint: 'To close it for good, delete it from that file and keep this entry; to keep it, delete this entry.',
        position: r.source,
        path,
      });
      continue;
    }
    if (renamed.has(r.address)) {
      diagnostics.push({
        severity: 'error',
        code: 'REMOVED_ALSO_MOVED',
        message: `${r.address} is listed under \`removed:\` and renamed by a \`moved:\` entry at the same time.`,
        hint: 'A renamed template lives on under its new address: delete this `removed:` entry, or the `moved:` entry if it is really to be closed.',
        position: r.source,
        path,
      });
      continue;
    }
    out.set(r.address, { address: r.address, source: r.source });
  }
  return [...out.values()].sort((a, b) => (a.address < b.address ? -1 : 1));
}
