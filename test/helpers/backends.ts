// The state backends as the tests use them: each kind can make fresh, isolated storage (a temp
// folder, or a new schema), open backends on it, tamper with it, and write the `state:` config lines
// a CLI project needs to use it. One list, so every backend runs the same suites.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateBackend } from '../../src/state/backend.js';
import { FileBackend, statePaths } from '../../src/state/file/file-backend.js';
import { defaultLedgerPath } from '../../src/state/ledger-format.js';
import { PostgresBackend } from '../../src/state/postgres/pg-backend.js';
import { describeTarget } from '../../src/state/postgres/pg-connect.js';
import { dropSchema, freshSchema, sql, TEST_DATABASE_URL } from './postgres.js';
import { tempDir } from './project.js';

export interface BackendKind {
  name: 'file' | 'postgres';
  /** New, empty storage: a folder, or a schema. */
  newPlace(): string;
  open(place: string, environment?: string): StateBackend;
  /** Add a raw journal record (as text) behind the backend's back. */
  injectJournal(place: string, environment: string, text: string): Promise<void>;
  /** Config lines (top level) that make a project use this storage. */
  configLines(place: string): string[];
  /** How many rows of a batch's ledger have this status (S issued, E confirmed, F, N, I). */
  ledgerStatusCount(place: string, environment: string, address: string, status: string): Promise<number>;
  /** Child-process arguments for test/helpers/hold-lock.mjs. */
  holdLockArgs(place: string, environment: string): string[];
  cleanup(): Promise<void>;
}

export const fileKind = (): BackendKind => ({
  name: 'file',
  newPlace: () => join(tempDir('state'), '.ipass'),
  open: (place, environment = 'dev') => new FileBackend(place, environment, place),
  async injectJournal(place, environment, text) {
    mkdirSync(place, { recursive: true });
    appendFileSync(statePaths(place, environment).journal, `${text}\n`);
  },
  configLines: (place) => [`stateDir: ${place}`],
  async ledgerStatusCount(place, environment, address, status) {
    const text = readFileSync(join(place, defaultLedgerPath(environment, address)), 'utf8');
    return (text.match(new RegExp(`^${status}\t`, 'gm')) ?? []).length;
  },
  holdLockArgs: (place, environment) => ['file', place, environment],
  cleanup: async () => {},
});

export const postgresKind = (): BackendKind => {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    newPlace() {
      const schema = freshSchema('ipass_test');
      schemas.push(schema);
      return schema;
    },
    open(schema, environment = 'dev') {
      const target = { url: TEST_DATABASE_URL, schema };
      return new PostgresBackend(target, environment, describeTarget(target));
    },
    async injectJournal(schema, environment, text) {
      await sql(`INSERT INTO "${schema}".journal (environment, record) VALUES ($1, $2)`, [environment, text]);
    },
    configLines: (schema) => [
      'state:',
      '  backend: postgres',
      `  url: ${TEST_DATABASE_URL}`,
      `  schema: ${schema}`,
    ],
    async ledgerStatusCount(schema, environment, address, status) {
      const rows = await sql<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".pass_ledger WHERE environment = $1 AND batch = $2 AND status = $3`,
        [environment, address, status],
      );
      return Number(rows[0]?.n ?? 0);
    },
    holdLockArgs: (schema, environment) => ['postgres', TEST_DATABASE_URL, schema, environment],
    async cleanup() {
      for (const schema of schemas.splice(0)) await dropSchema(schema);
    },
  };
};
