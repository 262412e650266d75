// Who holds an environment's lock: process, host, command, start time and, on a CI runner, the run.
// Shared by the file and postgres locks, and by the messages of whoever waits for them.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { IpassError } from '../diagnostics/errors.js';
import { ciRunUrl } from '../shared/ci.js';
import type { LockStatus } from './backend.js';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  token: string;
  /** Kernel start time of the holder process (Linux), to tell a reused pid from the holder. */
  procStart?: string;
  /** The CI run, when the usual CI variables name one (a URL where the CI has them). */
  ciRun?: string;
}

export function newHolder(
  command: string,
  procStart: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): LockHolder {
  const run = ciRunUrl(env);
  return {
    pid: process.pid,
    host: hostname(),
    command,
    startedAt: new Date().toISOString(),
    token: randomUUID(),
    ...(procStart === undefined ? {} : { procStart }),
    ...(run === undefined ? {} : { ciRun: run }),
  };
}

/**
 * The id of one holding, as `state lock` and LOCK_HELD print it and `state unlock --force` takes it:
 * the first 12 hex digits of the holder's random token (a token of another shape is shown whole).
 */
export function lockId(h: LockHolder): string {
  const hex = h.token.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{12,}$/.test(hex) ? hex.slice(0, 12) : h.token;
}

/** Whether `id` (as printed by lockId, or the whole token) names this holding. */
export function isLockId(h: LockHolder, id: string): boolean {
  const given = id.trim().toLowerCase();
  return given !== '' && (given === lockId(h).toLowerCase() || given === h.token.toLowerCase());
}

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} ("${h.command}", since ${h.startedAt}${h.ciRun ? `, CI run ${h.ciRun}` : ''})`;
}

/** The LOCK_HELD error of either backend: who holds the lock, its id, and how to see or release it. */
export function lockHeldMessage(
  holder: LockHolder | undefined,
  unnamed: string,
): {
  message: string;
  hint: string;
  details: Record<string, unknown>;
} {
  const who = holder ? `${describeHolder(holder)}, lock id ${lockId(holder)}` : unnamed;
  return {
    message: `Another ipass run holds the lock for this environment: ${who}.`,
    hint: holder
      ? `Wait for it to finish (or pass --lock-timeout 5m to wait). \`ipass state lock\` shows whether it is alive; if it hangs, \`ipass state unlock --force ${lockId(holder)}\` releases it.`
      : 'Wait for it to finish (or pass --lock-timeout 5m to wait); `ipass state lock` shows who holds it.',
    details: holder ? { holder: { ...holder, token: undefined }, lockId: lockId(holder) } : {},
  };
}

/** A LockHolder read back from storage, or undefined when it is not one. */
export function asHolder(value: unknown): LockHolder | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const h = value as Record<string, unknown>;
  if (typeof h.pid !== 'number' || typeof h.token !== 'string') return undefined;
  return {
    pid: h.pid,
    host: typeof h.host === 'string' ? h.host : '?',
    command: typeof h.command === 'string' ? h.command : '?',
    startedAt: typeof h.startedAt === 'string' ? h.startedAt : '?',
    token: h.token,
    ...(typeof h.procStart === 'string' ? { procStart: h.procStart } : {}),
    ...(typeof h.ciRun === 'string' ? { ciRun: h.ciRun } : {}),
  };
}

/** `state unlock` named an id that is not the current holder's: say that the lock is free, or who holds it now. */
export function unlockWrongId(id: string, now: LockStatus): IpassError {
  const current = now.holder;
  const state =
    now.state === 'free'
      ? 'the lock is free'
      : current
        ? `the lock is held by ${describeHolder(current)}, lock id ${lockId(current)}`
        : `the lock is held by ${now.where}, which has not named itself`;
  return new IpassError('UNLOCK_WRONG_ID', `Lock id ${id} is not the current holder's: ${state}.`, {
    reason: 'Only the holding the id names is ever released, so nothing was released.',
    hint:
      now.state === 'free'
        ? 'There is nothing to unlock.'
        : 'Run `ipass state lock` to see the holder and its id now, and pass that id if it is the one to release.',
  });
}
