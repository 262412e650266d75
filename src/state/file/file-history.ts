// The file backend's run history: <stateDir>/<env>.history.jsonl, append-only, one JSON object per
// line, each append one write(2) then fsync. A torn last line (a crash mid-write) is ignored on
// reading, and the next append starts a new line after it. Reading creates nothing.
import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { fileSystemError } from '../../shared/fs-errors.js';
import type { RunHistory } from '../backend.js';
import { asRunRecord, type RunRecord } from '../run-record.js';

/** Every whole, well-formed record of a history file's text, oldest first. */
export function parseHistory(text: string): RunRecord[] {
  const lines = text.split('\n');
  // What follows the last newline was never finished.
  lines.pop();
  const runs: RunRecord[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // A line torn by a crash, which a later append followed with a newline of its own.
      continue;
    }
    const run = asRunRecord(value);
    if (run) runs.push(run);
  }
  return runs;
}

export class FileRunHistory implements RunHistory {
  constructor(readonly path: string) {}

  /** Every run, oldest first, with its changes (what `state migrate` copies). */
  all(): RunRecord[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw fileSystemError(error, this.path, 'read the run history');
    }
    return parseHistory(text);
  }

  /** Without their changes, as every backend lists them (`get` has them). */
  async list(limit: number): Promise<RunRecord[]> {
    return this.all()
      .reverse()
      .slice(0, Math.max(0, limit))
      .map((r) => ({ ...r, changes: [] }));
  }

  async get(id: string): Promise<RunRecord | undefined> {
    return this.all().find((r) => r.id === id);
  }

  async append(run: RunRecord): Promise<void> {
    let fd: number | undefined;
    try {
      fd = openSync(this.path, 'a+', 0o644);
      const line = `${endsTorn(fd) ? '\n' : ''}${JSON.stringify(run)}\n`;
      const buffer = Buffer.from(line, 'utf8');
      let offset = 0;
      while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
      fsyncSync(fd);
    } catch (error) {
      throw fileSystemError(error, this.path, 'append to the run history');
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** Whether the file's last byte is not a newline (a torn line to finish before appending). */
function endsTorn(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}
