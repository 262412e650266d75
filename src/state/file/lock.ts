// One writer per environment: a lock file created exclusively ('wx') that names its holder (pid,
// host, command, start time). A lock whose holder process is gone (same host) is taken over; the
// take-over itself is serialized by a short-lived mkdir mutex so two newcomers cannot both win.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { IpassError } from '../../diagnostics/errors.js';
import { asHolder, describeHolder, type LockHolder, newHolder } from '../lock-holder.js';

export type { LockHolder } from '../lock-holder.js';

export interface Lock {
  path: string;
  holder: LockHolder;
  /** Set when a lock left by a dead process was taken over. */
  takenOverFrom: LockHolder | undefined;
  release(): void;
}

export interface AcquireLockOptions {
  command: string;
  /** How long to wait for a live holder to finish; 0 = fail at once. */
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once, when a live holder makes this call wait (not when it fails at once). */
  onWait?: (holder: LockHolder | undefined) => void;
}

const POLL_MS = 100;
const MUTEX_STALE_MS = 10_000;
const UNREADABLE_STALE_MS = 5_000;

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name in field 2 may contain spaces, so count after ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when we can tell the holder is gone: same host, and its pid is dead or now another process. */
export function holderIsDead(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (!pidAlive(holder.pid)) return true;
  if (holder.procStart !== undefined) {
    const now = processStartTime(holder.pid);
    return now !== undefined && now !== holder.procStart;
  }
  return false;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return asHolder(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function tryCreate(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Remove a dead holder's lock, unless someone else replaced it meanwhile. */
function takeOver(path: string, dead: LockHolder | undefined): boolean {
  const mutex = `${path}.takeover`;
  try {
    mkdirSync(mutex);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (ageMs(mutex) > MUTEX_STALE_MS) {
      try {
        rmdirSync(mutex);
      } catch {}
    }
    return false;
  }
  try {
    const current = readHolder(path);
    if ((current?.token ?? undefined) !== (dead?.token ?? undefined)) return false;
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return true;
  } finally {
    rmdirSync(mutex);
  }
}

export async function acquireLock(path: string, options: AcquireLockOptions): Promise<Lock> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const holder = newHolder(options.command, processStartTime(process.pid));
  const deadline = Date.now() + options.timeoutMs;
  let takenOverFrom: LockHolder | undefined;
  let waiting = false;
  for (;;) {
    if (tryCreate(path, holder)) break;
    const current = readHolder(path);
    const stale = current ? holderIsDead(current) : ageMs(path) > UNREADABLE_STALE_MS;
    if (stale) {
      if (takeOver(path, current)) takenOverFrom = current;
      continue;
    }
    if (Date.now() >= deadline) {
      const who = current ? describeHolder(current) : 'a process whose lock file cannot be read';
      throw new IpassError('LOCK_HELD', `Another ipass run holds the lock for this environment: ${who}.`, {
        reason: `Only one apply (or state change) may run per environment at a time; the lock is ${path}.`,
        hint: current
          ? `Wait for it to finish (or pass --lock-timeout 5m to wait). If that process is truly gone on another machine, delete ${path}.`
          : `If no ipass is running, delete ${path}.`,
        details: current ? { holder: { ...current, token: undefined } } : {},
      });
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(current);
    }
    await sleep(POLL_MS);
  }

  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    if (readHolder(path)?.token === holder.token) {
      try {
        unlinkSync(path);
      } catch {}
    }
  };
  process.on('exit', release);
  return { path, holder, takenOverFrom, release };
}
