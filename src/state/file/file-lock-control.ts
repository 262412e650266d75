// `state lock` and `state unlock` on the file backend: who the lock file names and whether that
// process runs (same host: pid and kernel start time; a paused process runs), and removing the lock
// of the holding an id names. A holder that runs keeps its lock unless `evenIfAlive` is given.
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { IpassError } from '../../diagnostics/errors.js';
import type { LockStatus, UnlockOptions, UnlockResult } from '../backend.js';
import { describeHolder, isLockId, unlockWrongId } from '../lock-holder.js';
import { holderLiveness, readHolder, takeOver } from './lock.js';

export function fileLockStatus(path: string, shown: string): LockStatus {
  if (!existsSync(path))
    return { state: 'free', holder: undefined, alive: undefined, because: 'no lock file', where: shown };
  const holder = readHolder(path);
  if (!holder)
    return {
      state: 'held',
      holder: undefined,
      alive: undefined,
      because: 'the lock file names no holder (it is being written, or it is damaged)',
      where: shown,
    };
  const { alive, because } = holderLiveness(holder);
  return { state: alive === false ? 'stale' : 'held', holder, alive, because, where: shown };
}

export async function fileUnlock(path: string, shown: string, options: UnlockOptions): Promise<UnlockResult> {
  const status = fileLockStatus(path, shown);
  const holder = status.holder;
  if (!holder || !isLockId(holder, options.id)) throw unlockWrongId(options.id, status);
  if (status.alive !== false && !options.evenIfAlive) {
    throw new IpassError(
      'UNLOCK_HOLDER_ALIVE',
      `The lock ${shown} is held by ${describeHolder(holder)}, and ${status.because}.`,
      {
        reason:
          'Removing the lock of a run that goes on lets a second run start beside it. The first then stops at its next write (LOCK_LOST), and requests it had in flight are repeated with the same ids, so nothing is issued twice; but a write it was already making when the lock went can still land after the second run read the state.',
        hint:
          status.alive === true
            ? `Stop it first (kill ${holder.pid}; a killed holder's lock is taken over by the next apply), or add --even-if-alive to remove the lock regardless.`
            : 'Make sure it no longer runs there, then add --even-if-alive to remove the lock.',
      },
    );
  }
  // takeOver refuses while another process is taking the lock over; that lasts moments.
  let removed = takeOver(path, holder);
  for (let i = 0; i < 20 && !removed && readHolder(path)?.token === holder.token; i++) {
    await sleep(50);
    removed = takeOver(path, holder);
  }
  // Replaced meanwhile: say who holds it now.
  if (!removed) throw unlockWrongId(options.id, fileLockStatus(path, shown));
  const done = `removed the lock file ${shown}`;
  if (status.alive === false) return { released: holder, wasAlive: false, done };
  return {
    released: holder,
    wasAlive: status.alive,
    done,
    note: `Process ${holder.pid} may still run: it stops at its next write (LOCK_LOST) and sends nothing more. Run \`ipass apply\` to finish what it left in doubt.`,
  };
}
