// The environment lock of the postgres backend: a session-level advisory lock held by the applying
// connection (released by PostgreSQL when that session ends, however it ends), and a row in `locks`
// naming the holder for whoever has to wait. A row whose advisory lock is free was left by a session
// that is gone: it is taken over, and that is said.
import { IpassError } from '../../diagnostics/errors.js';
import type { LockOptions } from '../backend.js';
import { asHolder, type LockHolder, lockHeldMessage, newHolder } from '../lock-holder.js';
import type { PgConnection } from './pg-connect.js';
import { advisoryKey } from './pg-schema.js';

export interface PgLock {
  holder: LockHolder;
  takenOverFrom: LockHolder | undefined;
  /** Delete the holder row and unlock; never throws. */
  release(): Promise<void>;
}

const POLL_MS = 250;
/** How long a refused taker waits for the holder it found to write its name (it does so at once). */
const NAMING_GRACE_MS = 2000;

export async function acquirePgLock(
  db: PgConnection,
  s: string,
  schema: string,
  environment: string,
  options: LockOptions,
): Promise<PgLock> {
  const key = advisoryKey('ipass-environment', schema, environment);
  const holder = newHolder(options.command, undefined);
  const deadline = Date.now() + options.timeoutMs;
  let waiting = false;
  let naming = Date.now() + NAMING_GRACE_MS;
  for (;;) {
    const got = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
    if (got.rows[0]?.ok) break;
    const current = await readLiveHolder(db, s, environment, key);
    // The holder writes its row right after taking the lock: give it a moment to name itself.
    if (!current && Date.now() < naming) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    naming = 0;
    if (Date.now() >= deadline) {
      const held = lockHeldMessage(current, 'another ipass run (it has not named itself yet)');
      throw new IpassError('LOCK_HELD', held.message, {
        reason: `Only one apply (or state change) may run per environment at a time; the lock is held by a session of ${db.where}. A runner that dies releases it with its session.`,
        hint: held.hint,
        details: held.details,
      });
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(current);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  // We hold the advisory lock: a row still there belongs to a session that has ended.
  const left = await readHolder(db, s, environment);
  await db.query(
    `INSERT INTO ${s}.locks (environment, holder, backend_pid) VALUES ($1, $2, pg_backend_pid())
     ON CONFLICT (environment) DO UPDATE SET holder = excluded.holder, backend_pid = excluded.backend_pid, acquired_at = now()`,
    [environment, JSON.stringify(holder)],
  );
  let released = false;
  return {
    holder,
    takenOverFrom: left,
    async release() {
      if (released || db.lost) return;
      released = true;
      await db
        .query(`DELETE FROM ${s}.locks WHERE environment = $1 AND holder->>'token' = $2`, [
          environment,
          holder.token,
        ])
        .catch(() => undefined);
      await db.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    },
  };
}

/** The holder row, only if its session really holds the advisory lock now (not a row left behind). */
async function readLiveHolder(
  db: PgConnection,
  s: string,
  environment: string,
  key: string,
): Promise<LockHolder | undefined> {
  const { rows } = await db.query<{ holder: unknown }>(
    `SELECT l.holder FROM ${s}.locks l
     JOIN pg_locks k ON k.pid = l.backend_pid AND k.locktype = 'advisory' AND k.granted
      AND k.classid = (($2::bigint >> 32) & 4294967295)::oid AND k.objid = ($2::bigint & 4294967295)::oid
     WHERE l.environment = $1`,
    [environment, key],
  );
  return asHolder(rows[0]?.holder);
}

async function readHolder(db: PgConnection, s: string, environment: string): Promise<LockHolder | undefined> {
  const { rows } = await db.query<{ holder: unknown }>(
    `SELECT holder FROM ${s}.locks WHERE environment = $1`,
    [environment],
  );
  return asHolder(rows[0]?.holder);
}
