// The PostgreSQL the postgres suites run against: IPASS_TEST_DATABASE_URL, else the local server
// (postgres://postgres@127.0.0.1:5432/test). Each test gets its own schema. With CI=true a missing
// server fails the suites; elsewhere they are skipped with one line saying how to run them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { inCi } from '../../src/shared/ci.js';

export const TEST_DATABASE_URL =
  process.env.IPASS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function probe(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

let probed: Promise<string | undefined> | undefined;
let told = false;

/** Why PostgreSQL cannot be used, or undefined when it can. */
export function postgresProblem(): Promise<string | undefined> {
  probed ??= probe();
  return probed;
}

/**
 * `describe` for suites that need PostgreSQL: run when it answers; under CI=true fail when it does
 * not; otherwise skip, saying so once.
 */
export async function describePostgres(name: string, suite: () => void): Promise<void> {
  const problem = await postgresProblem();
  if (!problem) {
    describe(name, suite);
    return;
  }
  const where = TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@');
  if (inCi()) {
    describe(name, () => {
      it('needs PostgreSQL', () => {
        throw new Error(
          `PostgreSQL at ${where} is not reachable (${problem}); CI runs every suite. Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
        );
      });
    });
    return;
  }
  if (!told) {
    told = true;
    console.warn(
      `PostgreSQL suites skipped: no server at ${where} (${problem}). Start one (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set IPASS_TEST_DATABASE_URL.`,
    );
  }
  describe.skip(name, suite);
}

/** A new schema name no other test uses. */
export function freshSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Run SQL against the test database on a short-lived connection. */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
  url = TEST_DATABASE_URL,
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
