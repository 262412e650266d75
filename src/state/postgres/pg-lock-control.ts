// `state lock` and `state unlock` on the postgres backend. The lock is the session advisory lock
// (pg_locks, readable by every role) and the `locks` row naming its holder; reading them needs only
// SELECT. Unlocking ends the holding session with pg_terminate_backend, in a statement that checks
// the session still holds our lock, then waits for the lock to go and removes the row.
import { setTimeout as sleep } from 'node:timers/promises';
import { IpassError, isIpassError } from '../../diagnostics/errors.js';
import type { LockStatus, UnlockOptions, UnlockResult } from '../backend.js';
import { asHolder, describeHolder, isLockId, type LockHolder, unlockWrongId } from '../lock-holder.js';
import type { Sql } from './pg-connect.js';
import { quoteIdent } from './pg-schema.js';

export interface PgLockPlace {
  /** The quoted schema. */
  s: string;
  environment: string;
  /** advisoryKey('ipass-environment', schema, environment). */
  key: string;
  /** The database, for messages. */
  where: string;
  /** Whether the state tables exist (no tables: nobody has ever held the lock). */
  tables: boolean;
}

const HOLDS = `locktype = 'advisory' AND granted
  AND classid = (($1::bigint >> 32) & 4294967295)::oid AND objid = ($1::bigint & 4294967295)::oid AND objsubid = 1`;
const GONE_WAIT_MS = 10_000;

async function holdingSession(db: Sql, key: string): Promise<number | undefined> {
  const { rows } = await db.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE ${HOLDS}`, [key]);
  return rows[0]?.pid;
}

export async function pgLockStatus(db: Sql, place: PgLockPlace): Promise<LockStatus> {
  const pid = await holdingSession(db, place.key);
  const { rows } = place.tables
    ? await db.query<{ holder: unknown; backend_pid: number }>(
        `SELECT holder, backend_pid FROM ${place.s}.locks WHERE environment = $1`,
        [place.environment],
      )
    : { rows: [] };
  const row = rows[0];
  const holder = asHolder(row?.holder);
  if (pid === undefined) {
    if (!holder)
      return {
        state: 'free',
        holder: undefined,
        alive: undefined,
        because: 'no session holds it',
        where: place.where,
      };
    return {
      state: 'stale',
      holder,
      alive: false,
      because: `its database session ${row?.backend_pid} has ended (the next run takes the lock over)`,
      where: place.where,
    };
  }
  const session = `database session ${pid} of ${place.where}`;
  const { rows: activity } = await db.query<{ state: string | null }>(
    'SELECT state FROM pg_stat_activity WHERE pid = $1',
    [pid],
  );
  const state = activity[0]?.state ? ` (${activity[0].state})` : '';
  if (holder && row?.backend_pid === pid)
    return {
      state: 'held',
      holder,
      alive: true,
      because: `its ${session} holds the lock${state}`,
      where: session,
    };
  return {
    state: 'held',
    holder: undefined,
    alive: true,
    because: `${session} holds the lock${state} and has not named itself yet`,
    where: session,
  };
}

/** End the session of the holding `options.id` names; a coded error when that is not the holder now. */
export async function pgUnlock(db: Sql, place: PgLockPlace, options: UnlockOptions): Promise<UnlockResult> {
  const status = await pgLockStatus(db, place);
  const holder = status.holder;
  if (!holder || !isLockId(holder, options.id)) throw unlockWrongId(options.id, status);
  let done = 'its session had already ended';
  if (status.state === 'held') {
    const ended = await terminate(db, place, holder);
    if (ended !== undefined) {
      await waitUntilGone(db, place.key, ended);
      done = `ended database session ${ended}`;
    }
  }
  // The row of a session that ended is taken over by the next run anyway; a reader may not delete it.
  const removed = await db
    .query(`DELETE FROM ${place.s}.locks WHERE environment = $1 AND holder->>'token' = $2`, [
      place.environment,
      holder.token,
    ])
    .then(
      (r) => (r.rowCount ?? 0) > 0,
      () => false,
    );
  if (removed) done += ' and removed the row naming it';
  return { released: holder, wasAlive: status.alive, done };
}

/**
 * pg_terminate_backend on the holder's session, only while that session holds our lock and the row
 * still names this holder (never another holding); its pid, or undefined when it no longer does.
 */
async function terminate(db: Sql, place: PgLockPlace, holder: LockHolder): Promise<number | undefined> {
  try {
    const { rows } = await db.query<{ pid: number }>(
      `SELECT k.pid, pg_terminate_backend(k.pid) AS ok FROM pg_locks k
       JOIN ${place.s}.locks l ON l.backend_pid = k.pid AND l.environment = $2 AND l.holder->>'token' = $3
       WHERE ${HOLDS}`,
      [place.key, place.environment, holder.token],
    );
    return rows[0]?.pid;
  } catch (error) {
    const cause = isIpassError(error) ? (error.cause as { code?: string } | undefined) : undefined;
    if (cause?.code !== '42501') throw error;
    throw await notPermitted(db, place, describeHolder(holder));
  }
}

async function notPermitted(db: Sql, place: PgLockPlace, who: string): Promise<IpassError> {
  const pid = await holdingSession(db, place.key);
  const { rows } = await db.query<{ me: string; holder_role: string | null; superuser: boolean | null }>(
    `SELECT current_user AS me, a.usename AS holder_role, r.rolsuper AS superuser
     FROM (SELECT 1) one LEFT JOIN pg_stat_activity a ON a.pid = $1 LEFT JOIN pg_roles r ON r.rolname = a.usename`,
    [pid ?? 0],
  );
  const me = rows[0]?.me ?? 'this role';
  const role = rows[0]?.holder_role ?? 'another role';
  return new IpassError(
    'UNLOCK_NOT_PERMITTED',
    `The role ${me} may not end database session ${pid ?? '?'} of ${place.where}, which holds the lock: ${who}.`,
    {
      reason:
        "Ending another role's session takes membership in pg_signal_backend (or that role); a superuser's session only a superuser may end. Nothing was released.",
      hint: rows[0]?.superuser
        ? `The session runs as ${role}, a superuser: a superuser must end it (SELECT pg_terminate_backend(${pid ?? 'PID'});), or run \`ipass state unlock\` as ${role}.`
        : `As an administrator, run: GRANT pg_signal_backend TO ${quoteIdent(me)}; then repeat the unlock (or run it as ${role}, the holder's role).`,
    },
  );
}

/** The advisory lock goes with the session, moments after the signal: wait for it (bounded). */
async function waitUntilGone(db: Sql, key: string, pid: number): Promise<void> {
  const until = Date.now() + GONE_WAIT_MS;
  while (Date.now() < until) {
    if ((await holdingSession(db, key)) !== pid) return;
    await sleep(50);
  }
  throw new IpassError(
    'STATE_DB_ERROR',
    `Database session ${pid} was told to end but still holds the lock.`,
    {
      hint: 'Run `ipass state lock` in a moment to see whether it ended.',
    },
  );
}
