// The data folder: an append-only JSON-lines journal of every state change, replayed on start and
// appended synchronously before a response leaves (so a seen response survives kill -9), under a lock.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { IpassError } from '../diagnostics/errors.js';
import { type DataLock, lockDataDir } from './lock.js';
import type { SandboxEvent } from './store.js';

export const JOURNAL_FILE = 'journal.jsonl';

export interface Persistence {
  readonly dataDir: string;
  /** Events loaded from the journal at open. */
  readonly loaded: number;
  append(event: SandboxEvent): void;
  close(): void;
}

/** Lock `dataDir`, replay its journal through `apply`, and open it for appending. */
export function openPersistence(dataDir: string, apply: (event: SandboxEvent) => void): Persistence {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  try {
    const path = join(dataDir, JOURNAL_FILE);
    const loaded = existsSync(path) ? replay(path, apply) : 0;
    return journalWriter(dataDir, path, loaded, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

function replay(path: string, apply: (event: SandboxEvent) => void): number {
  const data = readFileSync(path);
  let start = 0;
  let count = 0;
  while (start < data.length) {
    const end = data.indexOf(0x0a, start);
    if (end === -1) {
      // A line cut short by a crash mid-write: it was never answered, so drop it.
      truncateSync(path, start);
      break;
    }
    const line = data.subarray(start, end).toString('utf8');
    if (line.trim() !== '') {
      let event: SandboxEvent;
      try {
        event = JSON.parse(line) as SandboxEvent;
      } catch (error) {
        throw new IpassError(
          'SANDBOX_JOURNAL_CORRUPT',
          `The sandbox journal ${path} is damaged at byte ${start}.`,
          {
            hint: 'Move the data folder aside to start with an empty sandbox, or repair the line by hand.',
            cause: error,
          },
        );
      }
      apply(event);
      count += 1;
    }
    start = end + 1;
  }
  return count;
}

function journalWriter(dataDir: string, path: string, loaded: number, lock: DataLock): Persistence {
  let fd: number | undefined = openSync(path, 'a', 0o644);
  return {
    dataDir,
    loaded,
    append(event) {
      if (fd === undefined) throw new Error('sandbox journal is closed');
      const line = Buffer.from(`${JSON.stringify(event)}\n`, 'utf8');
      let written = 0;
      while (written < line.length) written += writeSync(fd, line, written);
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      lock.release();
    },
  };
}
