// Writes preview pages (a campaign site, or a plan's page) into a folder: creates it, replaces the
// pages of an earlier preview there (a campaign page no longer made is removed), and turns file-system
// failures into coded errors. Nothing is written through a symbolic link: a link where the folder
// should be is replaced by a folder, a link (or anything else) where a page goes is replaced by the
// page (written to a new file, then renamed over it), and a link among the folders between the working
// folder and the output folder is refused.
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { IpassError } from '../diagnostics/errors.js';
import type { Plan } from '../plan/plan-types.js';
import type { StateFile } from '../state/state-format.js';
import { INDEX_FILE, type SitePage } from './build-site.js';
import { planPreviewPages } from './plan-page.js';

/** Pages an earlier preview may have left in the folder. */
const OWN_PAGE = /^(campaign-[a-z0-9-]+|index)(\.images)?\.html$/;

function kind(path: string): 'missing' | 'link' | 'folder' | 'other' {
  try {
    const s = lstatSync(path);
    return s.isSymbolicLink() ? 'link' : s.isDirectory() ? 'folder' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

class LinkInTheWay extends Error {
  constructor(readonly path: string) {
    super(`${path} is a symbolic link`);
  }
}

/** The output folder as a real folder: folders between `base` and it must not be links; it may be replaced. */
function prepareFolder(outDir: string, base: string): void {
  const rel = relative(base, outDir);
  if (rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..') {
    let at = base;
    for (const part of dirname(rel)
      .split(sep)
      .filter((p) => p !== '' && p !== '.')) {
      at = join(at, part);
      const k = kind(at);
      if (k === 'link') throw new LinkInTheWay(at);
      if (k === 'missing') break;
    }
  }
  const k = kind(outDir);
  if (k === 'link') unlinkSync(outDir);
  if (k === 'link' || k === 'missing') mkdirSync(outDir, { recursive: true });
}

/** `html` as `dir/name`, replacing whatever is there (a link is replaced, never followed). */
function writePage(dir: string, name: string, html: string): void {
  const target = join(dir, name);
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  rmSync(temporary, { force: true });
  writeFileSync(temporary, html, { flag: 'wx', mode: 0o644 });
  if (kind(target) === 'folder') rmSync(target, { recursive: true, force: true });
  renameSync(temporary, target);
}

export function writeSite(outDir: string, pages: readonly SitePage[], base = process.cwd()): void {
  try {
    prepareFolder(resolve(outDir), resolve(base));
    const keep = new Set(pages.map((p) => p.file));
    for (const name of readdirSync(outDir)) {
      if (OWN_PAGE.test(name) && !keep.has(name))
        rmSync(join(outDir, name), { recursive: true, force: true });
    }
    for (const p of pages) writePage(outDir, p.file, p.html);
  } catch (error) {
    if (error instanceof LinkInTheWay) {
      throw new IpassError('PREVIEW_WRITE_FAILED', `Could not write the preview to ${outDir}.`, {
        reason: `${error.path} is a symbolic link, and ipass writes nothing through one`,
        hint: 'Choose an output folder with no symbolic link on the way (--out DIR), or replace the link with a folder.',
      });
    }
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

/** `plan --preview DIR`: the plan's page as DIR/index.html (and its copy with images); returns that file's path. */
export function writePlanPreview(outDir: string, plan: Plan, state: StateFile, base?: string): string {
  writeSite(outDir, planPreviewPages(plan, state, INDEX_FILE), base);
  return join(outDir, INDEX_FILE);
}
