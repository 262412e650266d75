// One writer per environment: a lock file created exclusively ('wx') that names its holder (pid,
// host, command, start time). A lock whose holder process is gone (same host) is taken over; the
// take-over itself is serialized by a short-lived mkdir mutex so two newcomers cannot both win.
import {
  closeSync,
  fstatSync,
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
import { asHolder, type LockHolder, lockHeldMessage, newHolder } from '../lock-holder.js';

export type { LockHolder } from '../lock-holder.js';

export interface Lock {
  path: string;
  holder: LockHolder;
  /** Set when a lock left by a dead process was taken over. */
  takenOverFrom: LockHolder | undefined;
  /** Throws LOCK_LOST when the lock file is no longer this holder's (removed by `state unlock --force`). */
  check(): void;
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

/** Whether the holder runs (a paused process does), and how that was told; undefined: cannot tell. */
export function holderLiveness(holder: LockHolder): { alive: boolean | undefined; because: string } {
  if (holder.host !== hostname())
    return { alive: undefined, because: `it runs on another host (${holder.host}); this one cannot tell` };
  if (!pidAlive(holder.pid)) return { alive: false, because: `no process ${holder.pid} runs on this host` };
  const now = holder.procStart === undefined ? undefined : processStartTime(holder.pid);
  if (now !== undefined && now !== holder.procStart)
    return { alive: false, because: `process ${holder.pid} is another program now (it started later)` };
  return { alive: true, because: `process ${holder.pid} runs on this host` };
}

/** True when we can tell the holder is gone: same host, and its pid is dead or now another process. */
export function holderIsDead(holder: LockHolder): boolean {
  return holderLiveness(holder).alive === false;
}

export function readHolder(path: string): LockHolder | undefined {
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

/** The lock file, created and named; its descriptor stays open so the holder can tell it lost it. */
function tryCreate(path: string, holder: LockHolder): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** Remove the lock of `dead` (a holder that is gone, or one forcibly unlocked), unless it was replaced meanwhile. */
export function takeOver(path: string, dead: LockHolder | undefined): boolean {
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
  let fd: number | undefined;
  for (;;) {
    fd = tryCreate(path, holder);
    if (fd !== undefined) break;
    const current = readHolder(path);
    const stale = current ? holderIsDead(current) : ageMs(path) > UNREADABLE_STALE_MS;
    if (stale) {
      if (takeOver(path, current)) takenOverFrom = current;
      continue;
    }
    if (Date.now() >= deadline) {
      const held = lockHeldMessage(current, 'a process whose lock file cannot be read');
      throw new IpassError('LOCK_HELD', held.message, {
        reason: `Only one apply (or state change) may run per environment at a time; the lock is ${path}.`,
        hint: current ? held.hint : `If no ipass is running, delete ${path}.`,
        details: held.details,
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
    closeSync(fd);
    if (readHolder(path)?.token === holder.token) {
      try {
        unlinkSync(path);
      } catch {}
    }
  };
  process.on('exit', release);
  // The lock file this process created is gone from its folder once someone removed it.
  const check = (): void => {
    if (!released && fstatSync(fd).nlink > 0) return;
    throw lockLost(path);
  };
  return { path, holder, takenOverFrom, check, release };
}

function lockLost(path: string): IpassError {
  return new IpassError(
    'LOCK_LOST',
    `This run no longer holds the lock ${path}: it was removed while the run went on.`,
    {
      reason:
        'Someone ran `ipass state unlock --force` (or deleted the lock file) while this process was paused or slow; another run may hold the lock now, so nothing more is written or sent.',
      hint: 'Run `ipass apply` again once the lock is free: it finishes what this run left in doubt, with the same ids.',
    },
  );
}
