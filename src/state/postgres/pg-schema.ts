// The postgres backend's tables, created on first use in the configured schema and versioned in
// its `meta` table, so a later ipass can migrate them step by step. Creation is serialized by a
// transaction-level advisory lock: two runners starting at once cannot race each other.
import { createHash } from 'node:crypto';
import { IpassError } from '../../diagnostics/errors.js';
import type { PgConnection, Sql } from './pg-connect.js';
import { HISTORY_MIGRATION } from './pg-history.js';
import { LIFE_MIGRATION } from './pg-life.js';

export const PG_SCHEMA_VERSION = 3;

/** Each step takes the tables from version i to i+1; `s` is the quoted schema name. */
const MIGRATIONS: ReadonlyArray<(s: string) => string> = [
  (s) => `
    CREATE TABLE ${s}.states (
      environment   text PRIMARY KEY,
      lineage       text NOT NULL,
      serial        bigint NOT NULL,
      body          text NOT NULL,
      backup_serial bigint,
      backup_body   text,
      saved_at      timestamptz NOT NULL DEFAULT now(),
      saved_by      jsonb
    );
    CREATE TABLE ${s}.journal (
      environment text NOT NULL,
      seq         bigserial,
      record      text NOT NULL,
      PRIMARY KEY (environment, seq)
    );
    CREATE TABLE ${s}.locks (
      environment text PRIMARY KEY,
      holder      jsonb NOT NULL,
      backend_pid integer NOT NULL,
      acquired_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE ${s}.pass_batches (
      environment   text NOT NULL,
      batch         text NOT NULL,
      template_code text NOT NULL,
      template_at   bigint NOT NULL,
      PRIMARY KEY (environment, batch)
    );
    CREATE TABLE ${s}.pass_ledger (
      environment   text NOT NULL,
      batch         text NOT NULL,
      biz_serial_id text NOT NULL,
      status        text NOT NULL CHECK (status IN ('I', 'S', 'E', 'F', 'N')),
      doubted       boolean NOT NULL DEFAULT false,
      pass_id       text,
      code          text,
      at            bigint,
      PRIMARY KEY (environment, batch, biz_serial_id)
    );`,
  LIFE_MIGRATION,
  HISTORY_MIGRATION,
];

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A 64-bit advisory lock key (as a decimal string) for `parts`. */
export function advisoryKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest().readBigInt64BE(0).toString();
}

/** The tables' version before and after ensureSchema (from undefined: there were none). */
export interface SchemaChange {
  from: number | undefined;
  to: number;
}

/** Create or migrate the schema's tables; refuses tables made by a newer ipass. */
export async function ensureSchema(db: PgConnection, schema: string): Promise<SchemaChange> {
  const s = quoteIdent(schema);
  const current = await readVersion(db, s, db.where);
  if (current === PG_SCHEMA_VERSION) return { from: current, to: PG_SCHEMA_VERSION };
  return db.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [advisoryKey('ipass-schema', schema)]);
    // Only when missing: CREATE SCHEMA asks for CREATE on the database even when the schema is
    // there, and an owner role is often given its schema rather than that privilege.
    const there = await sql.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (there.rowCount === 0) await sql.query(`CREATE SCHEMA ${s}`);
    await sql.query(`CREATE TABLE IF NOT EXISTS ${s}.meta (key text PRIMARY KEY, value text NOT NULL)`);
    const version = (await readVersion(sql, s, db.where)) ?? 0;
    if (version > PG_SCHEMA_VERSION) throw newerSchema(schema, version, db.where);
    for (let v = version; v < PG_SCHEMA_VERSION; v++) await sql.query(MIGRATIONS[v]?.(s) ?? '');
    await sql.query(
      `INSERT INTO ${s}.meta (key, value) VALUES ('schema_version', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [String(PG_SCHEMA_VERSION)],
    );
    return { from: version === 0 ? undefined : version, to: PG_SCHEMA_VERSION };
  });
}

/** The tables' version, or undefined when there are none yet; reads only (for the reader role). */
export function schemaVersion(db: PgConnection, schema: string): Promise<number | undefined> {
  return readVersion(db, quoteIdent(schema), db.where);
}

async function readVersion(sql: Sql, s: string, where: string): Promise<number | undefined> {
  const exists = await sql.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`${s}.meta`]);
  if (!exists.rows[0]?.t) return undefined;
  const row = await sql.query<{ value: string }>(`SELECT value FROM ${s}.meta WHERE key = 'schema_version'`);
  const version = Number(row.rows[0]?.value ?? 0);
  if (version > PG_SCHEMA_VERSION) throw newerSchema(s, version, where);
  return version;
}

function newerSchema(schema: string, version: number, where: string): IpassError {
  return new IpassError(
    'STATE_DB_NEWER',
    `The state tables in ${where} were made by a newer ipass (schema version ${version}; this one knows ${PG_SCHEMA_VERSION}).`,
    { hint: `Upgrade ipass on this runner. Nothing in schema ${schema} was changed.` },
  );
}
