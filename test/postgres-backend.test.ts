// What only the postgres backend does: tables created once and versioned, tables of a newer ipass
// refused, saves that are compare-and-swap on the serial read (a state is never overwritten by an
// older one or forked), the previous snapshot kept, and the lock row naming its holder.
import { spawnSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import type { IpassError } from '../src/diagnostics/errors.js';
import { PostgresBackend } from '../src/state/postgres/pg-backend.js';
import { PG_SCHEMA_VERSION } from '../src/state/postgres/pg-schema.js';
import { describePostgres, dropSchema, freshSchema, sql, TEST_DATABASE_URL } from './helpers/postgres.js';
import { sampleRun } from './helpers/runs.js';

await describePostgres('postgres backend', () => {
  const schemas: string[] = [];
  const backends: PostgresBackend[] = [];
  const open = (schema: string, env = 'dev') => {
    const b = new PostgresBackend(
      { url: TEST_DATABASE_URL, schema },
      env,
      `test database (schema ${schema})`,
    );
    backends.push(b);
    return b;
  };
  const fresh = () => {
    const s = freshSchema('ipass_pg');
    schemas.push(s);
    return s;
  };
  afterAll(async () => {
    for (const b of backends) await b.close();
    for (const s of schemas) await dropSchema(s);
  });

  it('creates its tables once, records the schema version, and refuses tables of a newer ipass', async () => {
    const schema = fresh();
    // Reading creates nothing (a reader role may only SELECT): no tables, no state.
    expect((await open(schema).read()).exists).toBe(false);
    expect(await sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toEqual([]);
    // Two runners starting at once both find the tables ready.
    const locks = await Promise.all([1, 2, 3].map(() => open(schema).initialize()));
    expect(locks.filter((c) => c.from === undefined)).toHaveLength(1);
    const tables = await sql<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'journal',
      'locks',
      'meta',
      'pass_batches',
      'pass_ledger',
      'run_changes',
      'runs',
      'states',
    ]);
    expect(await sql(`SELECT value FROM "${schema}".meta WHERE key = 'schema_version'`)).toEqual([
      { value: String(PG_SCHEMA_VERSION) },
    ]);
    await sql(`UPDATE "${schema}".meta SET value = $1 WHERE key = 'schema_version'`, [
      String(PG_SCHEMA_VERSION + 1),
    ]);
    const refused = await open(schema)
      .read()
      .catch((e: unknown) => e as IpassError);
    expect((refused as IpassError).code).toBe('STATE_DB_NEWER');
    expect((refused as IpassError).hint).toContain('Upgrade ipass');
  });

  it('upgrades tables of version 2 with the run history; until then readers see no runs', async () => {
    const schema = fresh();
    await open(schema).initialize();
    // Tables as ipass made them before the run history.
    await sql(`DROP TABLE "${schema}".run_changes, "${schema}".runs`);
    await sql(`UPDATE "${schema}".meta SET value = '2' WHERE key = 'schema_version'`);
    expect(await open(schema).history.list(5)).toEqual([]);
    expect(await open(schema).initialize()).toEqual({ from: 2, to: PG_SCHEMA_VERSION });
    const store = await open(schema).lock({ command: 'test', timeoutMs: 0 });
    await store.history.append(sampleRun('r-1'));
    await store.release();
    expect((await open(schema).history.list(5)).map((r) => r.id)).toEqual(['r-1']);
  });

  it('saves only over the serial it read: a state changed behind its back is never overwritten', async () => {
    const schema = fresh();
    const store = await open(schema).lock({ command: 'test', timeoutMs: 0 });
    await store.save({ ...store.state });
    await store.save({ ...store.state });
    const kept = await sql<{ serial: string; backup_serial: string }>(
      `SELECT serial, backup_serial FROM "${schema}".states`,
    );
    expect(kept).toEqual([{ serial: '2', backup_serial: '1' }]);
    // Someone writes the table without the lock (a hand edit, a bug elsewhere).
    await sql(`UPDATE "${schema}".states SET serial = 9`);
    const conflict = await store.save({ ...store.state }).catch((e: unknown) => e as IpassError);
    expect((conflict as IpassError).code).toBe('STATE_CONFLICT');
    expect((conflict as IpassError).message).toContain('expected serial 2, found serial 9');
    expect(store.state.serial).toBe(2);
    await store.release();
  });

  it('never creates a second state for an environment that got one meanwhile', async () => {
    const schema = fresh();
    const store = await open(schema).lock({ command: 'test', timeoutMs: 0 });
    expect(store.exists).toBe(false);
    await sql(
      `INSERT INTO "${schema}".states (environment, lineage, serial, body) VALUES ('dev', 'other', 1, '{}')`,
    );
    const conflict = await store.save({ ...store.state }).catch((e: unknown) => e as IpassError);
    expect((conflict as IpassError).code).toBe('STATE_CONFLICT');
    await store.release();
  });

  it('names the holder in its lock row while held, and removes the row on release', async () => {
    const schema = fresh();
    const store = await open(schema).lock({ command: 'ipass apply plan.json', timeoutMs: 0 });
    const rows = await sql<{ holder: { pid: number; command: string; host: string } }>(
      `SELECT holder FROM "${schema}".locks WHERE environment = 'dev'`,
    );
    expect(rows[0]?.holder).toMatchObject({ pid: process.pid, command: 'ipass apply plan.json' });
    await store.release();
    expect(await sql(`SELECT * FROM "${schema}".locks`)).toEqual([]);
  });

  it('says STATE_DB_LOST for an administrator shutdown (57P01) met as the answer to a statement', async () => {
    const schema = fresh();
    const store = await open(schema).lock({ command: 'test', timeoutMs: 0 });
    const [row] = await sql<{ pid: number }>(`SELECT backend_pid AS pid FROM "${schema}".locks`);
    // Terminated while this process cannot read its socket (as after a pause): the next statement is
    // sent before the end of the session is noticed, and its answer is the 57P01 error.
    const ended = spawnSync('psql', [TEST_DATABASE_URL, '-Atc', `SELECT pg_terminate_backend(${row?.pid})`]);
    expect(ended.stdout.toString().trim()).toBe('t');
    const lost = await store.save({ ...store.state }).catch((e: unknown) => e as IpassError);
    expect((lost as IpassError).code).toBe('STATE_DB_LOST');
    await store.release();
  });

  it('refuses a state row whose body does not match its serial', async () => {
    const schema = fresh();
    const store = await open(schema).lock({ command: 'test', timeoutMs: 0 });
    await store.save({ ...store.state });
    await store.release();
    await sql(`UPDATE "${schema}".states SET body = replace(body, '"serial": 1', '"serial": 5')`);
    const damaged = await open(schema)
      .read()
      .catch((e: unknown) => e as IpassError);
    expect((damaged as IpassError).code).toBe('STATE_CORRUPT');
  });
});
