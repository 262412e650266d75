// Which campaign files to read: explicit paths (files or folders, relative to the working directory)
// or the config's `campaigns` patterns (folders or globs, relative to the config folder). Every file
// must be inside the project root once its symbolic links are followed (see config/project-root.ts);
// the search never walks through a symbolic link to a folder, so a link to `/` cannot make it read the
// whole disk.
import { lstat, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { resolveInsideProject } from '../config/project-root.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { displayPath } from '../diagnostics/display-path.js';

export interface FindCampaignFilesOptions {
  cwd: string;
  rootDir: string;
  patterns: readonly string[];
  paths?: readonly string[] | undefined;
}

const YAML_IN_FOLDER = '**/*.{yaml,yml}';
const IGNORE = ['**/node_modules/**', '**/.git/**'];
const GLOB = { absolute: true, ignore: IGNORE, followSymbolicLinks: false } as const;

export interface FoundCampaignFiles {
  /** Absolute paths of the files found (unique, sorted), as written or found. */
  files: string[];
  /** The real path (links followed, inside the project) to read each file at. */
  real: Map<string, string>;
  /** Problems with the paths themselves. */
  diagnostics: Diagnostic[];
}

export async function findCampaignFiles(o: FindCampaignFilesOptions): Promise<FoundCampaignFiles> {
  const found = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const explicit = o.paths !== undefined && o.paths.length > 0;
  const entries = explicit ? (o.paths ?? []) : o.patterns;
  const base = explicit ? o.cwd : o.rootDir;
  const add = async (abs: string): Promise<void> => {
    const shown = displayPath(o.cwd, abs);
    const inside = resolveInsideProject(o.rootDir, abs, 'campaign file', shown);
    if (!inside.ok) {
      diagnostics.push({ severity: 'error', ...inside.problem, position: { file: shown, line: 1, col: 1 } });
      return;
    }
    // A link inside the project to a folder is not a campaign file (the search does not follow it).
    const kind = await stat(inside.path).then(
      (s) => (s.isDirectory() ? 'folder' : 'file'),
      () => 'file',
    );
    if (kind === 'file') found.set(resolve(abs), inside.path);
  };
  for (const entry of entries) {
    if (!explicit && isDynamicPattern(entry)) {
      for (const f of await glob(entry, { cwd: base, ...GLOB })) await add(f);
      continue;
    }
    const abs = resolve(base, entry);
    const inside = resolveInsideProject(o.rootDir, abs, explicit ? 'path' : 'campaigns', entry);
    if (!inside.ok) {
      diagnostics.push({ severity: 'error', ...inside.problem });
      continue;
    }
    const kind = await lstat(abs).then(
      async (s) =>
        s.isDirectory() || (s.isSymbolicLink() && (await stat(abs)).isDirectory()) ? 'folder' : 'file',
      () => 'missing' as const,
    );
    if (kind === 'folder') {
      for (const f of await glob(YAML_IN_FOLDER, { cwd: inside.path, ...GLOB })) await add(f);
    } else if (kind === 'file') {
      await add(abs);
    } else {
      diagnostics.push({
        severity: 'error',
        code: explicit ? 'PATH_NOT_FOUND' : 'CAMPAIGNS_NOT_FOUND',
        message: explicit
          ? `${entry} does not exist.`
          : `The campaigns folder ${entry} (from the config's \`campaigns\`) does not exist.`,
        hint: explicit
          ? 'Give a campaign file or a folder of them, relative to the current folder.'
          : 'Create the folder (`ipass init` writes an example), or point `campaigns:` in ipass.config.yaml at your campaign files.',
      });
    }
  }
  if (found.size === 0 && diagnostics.length === 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'NO_CAMPAIGN_FILES',
      message: `No campaign files (*.yaml, *.yml) were found in ${entries.join(', ') || '(nothing)'}.`,
      hint: 'Add a campaign file (see docs/campaign-format.md), or check the paths.',
    });
  }
  return { files: [...found.keys()].sort(), real: found, diagnostics };
}
