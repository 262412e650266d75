// An exclusive lock on a sandbox data folder: a `lock` file created with O_EXCL holding the owner's
// pid. A lock whose pid is dead is stale and taken over; a live one is refused with a clear error.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { IpassError } from '../diagnostics/errors.js';

export interface DataLock {
  readonly path: string;
  release(): void;
}

interface Holder {
  pid: number;
  token: string;
  startedAt: string;
}

function readHolder(path: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock file that cannot be read yet may be one being written this instant. */
function isYoung(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 2_000;
  } catch {
    return false;
  }
}

export function lockDataDir(dir: string): DataLock {
  const path = join(dir, 'lock');
  const holder: Holder = {
    pid: process.pid,
    token: randomBytes(8).toString('hex'),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(holder)}\n`);
      } finally {
        closeSync(fd);
      }
      return ownLock(path, holder.token);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = readHolder(path);
    if (current ? isProcessAlive(current.pid) : isYoung(path)) {
      throw new IpassError('SANDBOX_DATA_LOCKED', `The sandbox data folder ${dir} is in use.`, {
        reason: current
          ? `Process ${current.pid} (started ${current.startedAt}) holds ${path}.`
          : `${path} is being written.`,
        hint: 'Stop the other sandbox (an `ipass sandbox` server, or a plan/apply using the embedded one), or use another folder with --data.',
        details: { path, pid: current?.pid },
      });
    }
    rmSync(path, { force: true });
  }
  throw new IpassError('SANDBOX_DATA_LOCKED', `The sandbox data folder ${dir} could not be locked.`, {
    hint: 'Another sandbox keeps taking the lock; stop it and try again.',
  });
}

function ownLock(path: string, token: string): DataLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    if (readHolder(path)?.token === token) rmSync(path, { force: true });
  };
  // A normal exit without close() must not leave a lock that a reused pid could keep alive.
  process.on('exit', release);
  return { path, release };
}
