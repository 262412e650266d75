// The campaign loader's I/O shell: find and read the campaign files and the recipients headers, then
// hand the bytes to the pure parsing, validation and normalization. Returns what loaded, plus diagnostics.
import { dirname } from 'node:path';
import pLimit from 'p-limit';
import { capPerFile, type Diagnostic, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { displayPath } from '../diagnostics/display-path.js';
import { findCampaignFiles } from './find-campaign-files.js';
import { type ParsedCampaignFile, parseCampaignFile, unreadableCampaigns } from './parse-campaign-file.js';
import { readCampaignText } from './read-campaign-text.js';
import { type RecipientsInfo, readRecipientsInfo } from './recipients-header.js';
import { resolveCampaignSet } from './resolve-campaign-set.js';
import type { CampaignSet } from './types.js';

export interface LoadCampaignsOptions {
  /** Working directory: explicit `paths` are relative to it. */
  cwd: string;
  /** Project root (the config's folder): `patterns` and display paths are relative to it. */
  rootDir: string;
  /** config.campaigns: folders (→ all **\/*.yaml|yml inside) or globs. */
  patterns: string[];
  /** Explicit files/folders (relative to cwd); replace `patterns` when given. */
  paths?: string[];
  /** Epoch ms, for the start-date rule. */
  now: number;
  /**
   * Addresses already in state: start-in-past is only a warning for these. A function is called
   * once the files are parsed, so a large state is read after the files' parsing garbage is gone.
   */
  existing?: ReadonlySet<string> | (() => ReadonlySet<string> | Promise<ReadonlySet<string>>);
}

export interface LoadCampaignsResult {
  set: CampaignSet;
  /** Sorted by file, line, column. The planner must not be called when any is an error. */
  diagnostics: Diagnostic[];
  /** What was declared, valid or not: files read, templates, pass batches. */
  counts: { files: number; templates: number; passes: number };
}

const READ_CONCURRENCY = 32;

export async function loadCampaigns(o: LoadCampaignsOptions): Promise<LoadCampaignsResult> {
  const found = await findCampaignFiles({
    cwd: o.cwd,
    rootDir: o.rootDir,
    patterns: o.patterns,
    paths: o.paths,
  });
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const limit = pLimit(READ_CONCURRENCY);
  const fileDigests = new Map<string, string>();
  // Campaigns of files that could not be read: other files' references to them are not reported.
  const unreadable = new Set<string>();
  // Each file is parsed as soon as it is read, so only one file's YAML tree is alive at a time.
  const parsed = await Promise.all(
    found.files.map((abs) =>
      limit(async (): Promise<ParsedCampaignFile | undefined> => {
        const file = displayPath(o.rootDir, abs);
        const read = await readCampaignText(found.real.get(abs) ?? abs, file);
        if (!read.ok) {
          diagnostics.push(read.diagnostic);
          for (const name of unreadableCampaigns(file)) unreadable.add(name);
          return undefined;
        }
        fileDigests.set(file, read.digest);
        return parseCampaignFile(read.text, { file, dir: dirname(abs), cwd: o.rootDir });
      }),
    ),
  );
  const files = parsed.filter((f): f is ParsedCampaignFile => f !== undefined);
  for (const f of files) {
    for (const d of f.diagnostics) diagnostics.push(d);
    for (const name of f.unreadable ?? []) unreadable.add(name);
  }

  const recipientPaths = new Map<string, string>();
  for (const f of files)
    for (const b of f.passes) {
      if (b.recipients !== undefined) recipientPaths.set(b.recipients, b.recipientsDisplay);
      if (b.revoked && 'path' in b.revoked) recipientPaths.set(b.revoked.path, b.revoked.display);
    }
  const recipients = new Map<string, RecipientsInfo>();
  await Promise.all(
    [...recipientPaths].map(([path, shown]) =>
      limit(async () => {
        recipients.set(path, await readRecipientsInfo(o.rootDir, path, shown));
      }),
    ),
  );

  const existing = (typeof o.existing === 'function' ? await o.existing() : o.existing) ?? new Set();
  const resolved = resolveCampaignSet(files, {
    now: o.now,
    existing,
    recipients,
    fileDigests,
    unreadable,
  });
  for (const d of resolved.diagnostics) diagnostics.push(d);
  return {
    set: resolved.set,
    diagnostics: capPerFile(sortDiagnostics(diagnostics), 'CAMPAIGN_MORE_PROBLEMS'),
    counts: {
      files: files.length,
      templates: files.reduce((n, f) => n + f.templates.length, 0),
      passes: files.reduce((n, f) => n + f.passes.length, 0),
    },
  };
}
