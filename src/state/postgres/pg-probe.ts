// What `ipass doctor` asks the state database, reading only: whether the connection is encrypted,
// the tables' version, and what the role may do with them (read, write rows, create or upgrade).
import type { PgConnection } from './pg-connect.js';
import { PG_SCHEMA_VERSION, schemaVersion } from './pg-schema.js';

export interface PgProbe {
  tls: boolean;
  sslmode: string;
  /** undefined: no tables yet. */
  version: number | undefined;
  known: number;
  canRead: boolean;
  canWrite: boolean;
  canCreate: boolean;
}

export async function probeDatabase(db: PgConnection, schema: string): Promise<PgProbe> {
  const version = await schemaVersion(db, schema);
  const { rows } = await db.query<{ present: boolean; create: boolean; read: boolean; write: boolean }>(
    `WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = $1),
          t AS (SELECT c.oid FROM pg_class c JOIN ns ON c.relnamespace = ns.oid WHERE c.relkind = 'r')
     SELECT EXISTS (SELECT 1 FROM ns) AS present,
       CASE WHEN EXISTS (SELECT 1 FROM ns) THEN has_schema_privilege($1, 'CREATE')
            ELSE has_database_privilege(current_database(), 'CREATE') END AS create,
       COALESCE((SELECT bool_and(has_table_privilege(oid, 'SELECT')) FROM t), false) AS read,
       COALESCE((SELECT bool_and(has_table_privilege(oid, 'INSERT') AND has_table_privilege(oid, 'UPDATE')
         AND has_table_privilege(oid, 'DELETE')) FROM t), false) AS write`,
    [schema],
  );
  const row = rows[0];
  return {
    tls: db.tls,
    sslmode: db.sslmode,
    version,
    known: PG_SCHEMA_VERSION,
    canRead: row?.read ?? false,
    canWrite: row?.write ?? false,
    canCreate: row?.create ?? false,
  };
}
