// Lock control, the same contract on every backend: `lockStatus` says free, held (alive, even when
// the holder is paused with SIGSTOP) or stale (holder gone), and names the lock id; `unlock` releases
// only the holding its id names (a wrong id releases nothing), and a holder whose lock was released
// can write nothing more (postgres: its session is ended; files: LOCK_LOST at its next write).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { IpassError } from '../src/diagnostics/errors.js';
import type { LockStatus, StateBackend } from '../src/state/backend.js';
import { isLockId, lockId } from '../src/state/lock-holder.js';
import { type BackendKind, fileKind, postgresKind } from './helpers/backends.js';
import { describePostgres } from './helpers/postgres.js';

const HOLD_LOCK = fileURLToPath(new URL('./helpers/hold-lock.mjs', import.meta.url));
const codeOf = (e: unknown): string | undefined => (e as IpassError | undefined)?.code;
function idOf(status: LockStatus): string {
  if (!status.holder) throw new Error(`no holder named: ${status.state}, ${status.because}`);
  return lockId(status.holder);
}

function contract(kind: BackendKind): void {
  const opened: StateBackend[] = [];
  const children: ChildProcess[] = [];
  const open = (place: string): StateBackend => {
    const b = kind.open(place, 'dev');
    opened.push(b);
    return b;
  };
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  afterAll(async () => {
    for (const b of opened) await b.close();
    await kind.cleanup();
  });

  async function holder(place: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, [HOLD_LOCK, ...kind.holdLockArgs(place, 'dev')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      child.on('exit', (code) => reject(new Error(`hold-lock exited with ${code}`)));
    });
    return child;
  }
  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.on('exit', resolve));

  it('is free before anything was locked, and reading it creates nothing', async () => {
    const place = kind.newPlace();
    const status = await open(place).lockStatus();
    expect(status).toMatchObject({ state: 'free', holder: undefined });
    // Still nothing there: a fresh read says there is no state.
    expect((await open(place).read()).exists).toBe(false);
    const refused = await open(place)
      .unlock({ id: 'abcdef012345', evenIfAlive: true })
      .catch((e: unknown) => e);
    expect(codeOf(refused)).toBe('UNLOCK_WRONG_ID');
    expect((refused as Error).message).toContain('the lock is free');
  });

  it('reports a paused holder as alive with its id; a wrong id releases nothing; the right one does', async () => {
    const place = kind.newPlace();
    await (await open(place).lock({ command: 'setup', timeoutMs: 0 })).release();
    const child = await holder(place);
    child.kill('SIGSTOP');
    const status = await open(place).lockStatus();
    expect(status).toMatchObject({ state: 'held', alive: true, holder: { pid: child.pid } });
    const id = idOf(status);
    expect(id).toMatch(/^[0-9a-f]{12}$/);

    const held = await open(place)
      .lock({ command: 'test', timeoutMs: 0 })
      .catch((e: unknown) => e);
    expect(codeOf(held)).toBe('LOCK_HELD');
    expect((held as Error).message).toContain(`lock id ${id}`);
    expect((held as IpassError).hint).toContain(`ipass state unlock --force ${id}`);

    const wrong = await open(place)
      .unlock({ id: '000000000000', evenIfAlive: true })
      .catch((e: unknown) => e);
    expect(codeOf(wrong)).toBe('UNLOCK_WRONG_ID');
    expect((wrong as Error).message).toContain(`lock id ${id}`);
    expect((await open(place).lockStatus()).state).toBe('held');

    if (kind.name === 'file') {
      // A holder that runs keeps its lock file unless the second flag says otherwise.
      const alive = await open(place)
        .unlock({ id, evenIfAlive: false })
        .catch((e: unknown) => e);
      expect(codeOf(alive)).toBe('UNLOCK_HOLDER_ALIVE');
      expect((await open(place).lockStatus()).state).toBe('held');
    }
    const result = await open(place).unlock({ id, evenIfAlive: true });
    expect(result.released.pid).toBe(child.pid);
    expect(result.wasAlive).toBe(true);
    expect(result.done).toMatch(
      kind.name === 'file' ? /removed the lock file/ : /ended database session \d+/,
    );
    expect((await open(place).lockStatus()).state).toBe('free');
    const next = await open(place).lock({ command: 'next', timeoutMs: 0 });
    await next.release();
    child.kill('SIGKILL');
    await exited(child);
  });

  it('says a lock left by a holder killed with SIGKILL is stale, and unlocks it by its id', async () => {
    const place = kind.newPlace();
    await (await open(place).lock({ command: 'setup', timeoutMs: 0 })).release();
    const child = await holder(place);
    const id = idOf(await open(place).lockStatus());
    child.kill('SIGKILL');
    await exited(child);
    // The database notices the closed session at once; give it a moment, never more than a few seconds.
    let status = await open(place).lockStatus();
    for (let i = 0; i < 100 && status.state === 'held'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await open(place).lockStatus();
    }
    expect(status).toMatchObject({ state: 'stale', alive: false, holder: { pid: child.pid } });
    const result = await open(place).unlock({ id, evenIfAlive: false });
    expect(result.wasAlive).toBe(false);
    expect((await open(place).lockStatus()).state).toBe('free');
  });

  it('stops a holder whose lock was released at its next write', async () => {
    const place = kind.newPlace();
    const store = await open(place).lock({ command: 'first', timeoutMs: 0 });
    const journal = await store.openJournal();
    const status = await open(place).lockStatus();
    const id = idOf(status);
    if (kind.name === 'postgres') {
      // This process is the holder: its own session is ended, as another's would be.
      await open(place).unlock({ id, evenIfAlive: false });
    } else {
      await open(place).unlock({ id, evenIfAlive: true });
    }
    const second = await open(place).lock({ command: 'second', timeoutMs: 5000 });
    const write = await journal
      .append({ t: 'begin', lineage: store.state.lineage, serial: 0, pid: 1, at: 'now' })
      .catch((e: unknown) => e);
    expect(codeOf(write)).toBe(kind.name === 'file' ? 'LOCK_LOST' : 'STATE_DB_LOST');
    const save = await store.save(store.state).catch((e: unknown) => e);
    expect(codeOf(save)).toBe(kind.name === 'file' ? 'LOCK_LOST' : 'STATE_DB_LOST');
    await store.release();
    // The released holder's release leaves the new holder's lock alone.
    expect((await open(place).lockStatus()).holder?.command).toBe('second');
    await second.release();
  });
}

describe('lock ids', () => {
  const holder = {
    pid: 1,
    host: 'h',
    command: 'c',
    startedAt: 's',
    token: '3F2A9C1B-7D4E-4A5B-9C6D-0E1F2A3B4C5D',
  };
  it('are the first 12 hex digits of the token, and match it whole or short, in any case', () => {
    expect(lockId(holder)).toBe('3f2a9c1b7d4e');
    expect(isLockId(holder, '3f2a9c1b7d4e')).toBe(true);
    expect(isLockId(holder, ' 3F2A9C1B7D4E ')).toBe(true);
    expect(isLockId(holder, holder.token.toLowerCase())).toBe(true);
    expect(isLockId(holder, '3f2a9c1b7d4')).toBe(false);
    expect(isLockId(holder, '')).toBe(false);
    // A token of another shape (an older or hand-written lock) is its own id.
    expect(lockId({ ...holder, token: 'held-by-test' })).toBe('held-by-test');
  });
});

describe('lock control: file', () => contract(fileKind()));
await describePostgres('lock control: postgres', () => contract(postgresKind()));
