// Which campaign files to read: explicit paths (files or folders, relative to the working directory)
// or the config's `campaigns` patterns (folders or globs, relative to the config folder).
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface FindCampaignFilesOptions {
  cwd: string;
  rootDir: string;
  patterns: readonly string[];
  paths?: readonly string[] | undefined;
}

const YAML_IN_FOLDER = '**/*.{yaml,yml}';
const IGNORE = ['**/node_modules/**', '**/.git/**'];

/** Absolute paths of the files found (unique, sorted), and problems with the paths themselves. */
export async function findCampaignFiles(
  o: FindCampaignFilesOptions,
): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const explicit = o.paths !== undefined && o.paths.length > 0;
  const entries = explicit ? (o.paths ?? []) : o.patterns;
  const base = explicit ? o.cwd : o.rootDir;
  for (const entry of entries) {
    if (!explicit && isDynamicPattern(entry)) {
      for (const f of await glob(entry, { cwd: base, absolute: true, ignore: IGNORE })) found.add(resolve(f));
      continue;
    }
    const abs = resolve(base, entry);
    const kind = await stat(abs).then(
      (s) => (s.isDirectory() ? 'folder' : 'file'),
      () => 'missing' as const,
    );
    if (kind === 'folder') {
      const inside = await glob(YAML_IN_FOLDER, { cwd: abs, absolute: true, ignore: IGNORE });
      for (const f of inside) found.add(resolve(f));
    } else if (kind === 'file') {
      found.add(abs);
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
  return { files: [...found].sort(), diagnostics };
}
