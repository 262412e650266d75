// Who holds an environment's lock: process, host, command, start time and, on a CI runner, the run.
// Shared by the file and postgres locks, and by the messages of whoever waits for them.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ciRunUrl } from '../shared/ci.js';

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

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} ("${h.command}", since ${h.startedAt}${h.ciRun ? `, CI run ${h.ciRun}` : ''})`;
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
