// The project root (the config's folder) is the boundary of what ipass reads: every path a config or
// campaign file names (campaign globs, recipients files, `file:` references, anything added later)
// must resolve, after following symbolic links, inside it, or it is refused and never opened. Only
// regular files are read: a FIFO, device or socket is refused before it is opened (and opened
// non-blocking, then checked again, in case one was swapped in), and a file over the size limit is
// refused before any of it is read.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { FileRefusal, OutsideProblem } from '../diagnostics/file-refusal.js';
import { excerpt } from '../diagnostics/terminal-text.js';

export type { FileRefusal, OutsideProblem } from '../diagnostics/file-refusal.js';
export { describeRefusal, mib, refusalCode } from '../diagnostics/file-refusal.js';

export type Inside = { ok: true; path: string } | { ok: false; problem: OutsideProblem };

/** Whether `path` (both real paths) is `root` or inside it. */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The real path of `path`; for a path that does not exist, its nearest existing folder's real path plus the rest. */
function realOrNearestSync(path: string): string {
  let head = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...rest.reverse());
    } catch (error) {
      const up = dirname(head);
      if (!missing(error) || up === head) throw error;
      rest.push(basename(head));
      head = up;
    }
  }
}

function outside(field: string, shown: string): OutsideProblem {
  return {
    code: 'PATH_OUTSIDE_PROJECT',
    message: `\`${field}\` names ${shown}, which is outside the project (the folder of the config file); ipass reads nothing outside it.`,
    hint: 'Put the file inside the project and name it with a path relative to the file that names it (symbolic links out of the project are refused too).',
  };
}

/**
 * `path` (absolute) resolved after its symbolic links, when that is inside `root`; otherwise the
 * PATH_OUTSIDE_PROJECT problem naming `field`. A path that does not exist is judged by where it
 * would be, so nothing outside the root is even told apart as existing or not.
 */
/** Longer than any path the system opens (PATH_MAX): judged by its letters alone, never looked up. */
const MAX_PATH = 4096;

export function resolveInsideProject(root: string, path: string, field: string, shown = path): Inside {
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    if (path.length > MAX_PATH) {
      // Looking such a path up component by component would cost its length squared; it cannot be
      // opened anyway, so it is inside only if it is so as written.
      return isInside(root, path) || isInside(realRoot, path)
        ? { ok: true, path }
        : { ok: false, problem: outside(field, excerpt(shown)) };
    }
    real = realOrNearestSync(path);
  } catch {
    return { ok: false, problem: outside(field, excerpt(shown)) };
  }
  return isInside(realRoot, real)
    ? { ok: true, path: real }
    : { ok: false, problem: outside(field, excerpt(shown)) };
}

function kindOf(s: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean }): string {
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a device';
  return 'a device or other special file';
}

function judge(
  s: {
    isFile(): boolean;
    isDirectory(): boolean;
    isFIFO(): boolean;
    isSocket(): boolean;
    isCharacterDevice(): boolean;
    size: number;
  },
  max: number,
): FileRefusal | undefined {
  if (s.isDirectory()) return { kind: 'folder' };
  if (!s.isFile()) return { kind: 'not-regular', what: kindOf(s) };
  if (s.size > max) return { kind: 'too-large', size: s.size, max };
  return undefined;
}

function refusalOf(error: unknown): FileRefusal {
  if (missing(error)) return { kind: 'missing' };
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'EISDIR') return { kind: 'folder' };
  return { kind: 'unreadable', code };
}

// O_NONBLOCK: opening a FIFO swapped in after the check cannot block; O_NOFOLLOW: nor can a link.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

export type Opened = { ok: true; handle: FileHandle; size: number } | { ok: false; refusal: FileRefusal };

/** Open a regular file of at most `max` bytes for reading; anything else is refused before it is read. */
export async function openRegularFile(path: string, max: number): Promise<Opened> {
  let handle: FileHandle | undefined;
  try {
    const before = judge(await stat(path), max);
    if (before) return { ok: false, refusal: before };
    handle = await open(path, READ_FLAGS);
    const s = await handle.stat();
    const after = judge(s, max);
    if (after) {
      await handle.close();
      return { ok: false, refusal: after };
    }
    return { ok: true, handle, size: s.size };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    return { ok: false, refusal: refusalOf(error) };
  }
}

/** The whole of a small regular file, read synchronously (config `file:` references). */
export function readRegularFileSync(
  path: string,
  max: number,
): { ok: true; bytes: Buffer } | { ok: false; refusal: FileRefusal } {
  let fd: number | undefined;
  try {
    const before = judge(statSync(path), max);
    if (before) return { ok: false, refusal: before };
    fd = openSync(path, READ_FLAGS);
    const s = fstatSync(fd);
    const after = judge(s, max);
    if (after) return { ok: false, refusal: after };
    const bytes = Buffer.alloc(s.size);
    let offset = 0;
    while (offset < s.size) {
      const n = readSync(fd, bytes, offset, s.size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return { ok: true, bytes: bytes.subarray(0, offset) };
  } catch (error) {
    return { ok: false, refusal: refusalOf(error) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
