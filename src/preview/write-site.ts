// Writes preview pages (a campaign site, or a plan's page) into a folder: creates it, replaces the pages of an earlier preview there
// (a campaign page no longer made is removed), and turns file-system failures into coded errors.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpassError } from '../diagnostics/errors.js';
import type { Plan } from '../plan/plan-types.js';
import type { StateFile } from '../state/state-format.js';
import { INDEX_FILE, type SitePage } from './build-site.js';
import { planPreviewPage } from './plan-page.js';

/** Pages an earlier preview may have left in the folder. */
const OWN_PAGE = /^(campaign-[a-z0-9-]+|index)\.html$/;

export function writeSite(outDir: string, pages: readonly SitePage[]): void {
  try {
    mkdirSync(outDir, { recursive: true });
    const keep = new Set(pages.map((p) => p.file));
    for (const name of readdirSync(outDir)) {
      if (OWN_PAGE.test(name) && !keep.has(name)) rmSync(join(outDir, name), { force: true });
    }
    for (const p of pages) writeFileSync(join(outDir, p.file), p.html);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why: Record<string, string> = {
      ENOTDIR: 'a file is in the way (the path, or a folder above it, is a file)',
      EEXIST: 'a file is in the way (the path, or a folder above it, is a file)',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      ENOSPC: 'the disk is full',
      EROFS: 'the file system is read-only',
    };
    throw new IpassError('PREVIEW_WRITE_FAILED', `Could not write the preview to ${outDir}.`, {
      reason: why[code] ?? code,
      hint: 'Choose another folder with --out DIR (one you may write to), or free the place it names.',
      cause: error,
    });
  }
}

/** `plan --preview DIR`: the plan's page as DIR/index.html; returns that file's path. */
export function writePlanPreview(outDir: string, plan: Plan, state: StateFile): string {
  writeSite(outDir, [{ file: INDEX_FILE, html: planPreviewPage(plan, state) }]);
  return join(outDir, INDEX_FILE);
}
