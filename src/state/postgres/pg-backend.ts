// The postgres backend: an environment's state, journal, pass ledgers and lock in one schema of a
// shared database, so any runner with the URL can plan, apply, or finish what another started.
// The lock is a session-level advisory lock held by the applying connection, plus a row naming the
// holder; every write goes through that same connection, so a runner that dies (or whose session
// is terminated) can write nothing more, and its lock is gone with its session. Saves are
// compare-and-swap on the serial read, so a state is never overwritten by an older one or forked.
import { randomUUID } from 'node:crypto';
import { IpassError } from '../../diagnostics/errors.js';
import type {
  EnvironmentExport,
  ImportReport,
  JournalWriter,
  LockedState,
  LockOptions,
  StateBackend,
  StateSnapshot,
} from '../backend.js';
import { checkJournal, type JournalRecord } from '../journal-records.js';
import type { LockHolder } from '../lock-holder.js';
import { LockedStateBase } from '../locked-state-base.js';
import { emptyState, parseState, type StateFile, serializeState } from '../state-format.js';
import { PgConnection, type PgTarget, type Sql } from './pg-connect.js';
import { importLedger } from './pg-import.js';
import { PgLedgers } from './pg-ledgers.js';
import { acquirePgLock, type PgLock } from './pg-lock.js';
import { ensureSchema, quoteIdent } from './pg-schema.js';

export class PostgresBackend implements StateBackend {
  readonly kind = 'postgres';
  readonly ledgers: PgLedgers;
  private readonly s: string;
  private reader: Promise<PgConnection> | undefined;

  constructor(
    readonly target: PgTarget,
    readonly environment: string,
    readonly where: string,
  ) {
    this.s = quoteIdent(target.schema);
    this.ledgers = new PgLedgers(() => this.connection(), this.s, environment, where);
  }

  /** The connection for reads without the lock, opened (and the tables made) on first use. */
  private connection(): Promise<PgConnection> {
    this.reader ??= (async () => {
      const db = await PgConnection.open(this.target, this.where, 'ipass');
      try {
        await ensureSchema(db, this.target.schema);
      } catch (error) {
        await db.end();
        throw error;
      }
      return db;
    })();
    // A failed attempt is not kept: the next call tries again.
    this.reader.catch(() => {
      this.reader = undefined;
    });
    return this.reader;
  }

  async read(): Promise<StateSnapshot> {
    const db = await this.connection();
    // One snapshot of both tables: a concurrent apply's writes are seen entirely or not at all.
    return db.transaction(async (sql) => {
      await sql.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { state, exists } = await readState(sql, this.s, this.environment, this.where);
      return { state, exists, journal: await readJournal(sql, this.s, this.environment, this.where) };
    });
  }

  async lock(options: LockOptions): Promise<LockedState> {
    const db = await PgConnection.open(this.target, this.where, `ipass: ${options.command}`.slice(0, 63));
    try {
      await ensureSchema(db, this.target.schema);
      const lock = await acquirePgLock(db, this.s, this.target.schema, this.environment, options);
      const { state, exists } = await readState(db, this.s, this.environment, this.where);
      return new PgLockedState(db, this.s, this, lock, state, exists);
    } catch (error) {
      await db.end();
      throw error;
    }
  }

  async close(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    if (reader) await (await reader.catch(() => undefined))?.end();
  }
}

async function readState(
  db: Sql,
  s: string,
  environment: string,
  where: string,
): Promise<{ state: StateFile; exists: boolean }> {
  const { rows } = await db.query<{ body: string; lineage: string; serial: string }>(
    `SELECT body, lineage, serial FROM ${s}.states WHERE environment = $1`,
    [environment],
  );
  const row = rows[0];
  if (!row) return { state: emptyState(environment, randomUUID()), exists: false };
  const parsed = parseState(row.body);
  if (!parsed.ok) {
    throw new IpassError(
      'STATE_CORRUPT',
      `The state of ${environment} in ${where} is damaged: ${parsed.problem}.`,
      {
        reason: 'ipass will not guess what exists remotely from a damaged state, so nothing was sent.',
        hint: `The previous version is kept in the same row (column backup_body of ${s}.states). Inspect it, restore it with SQL, and run \`ipass plan --refresh\` to compare it with the API.`,
      },
    );
  }
  if (
    parsed.state.environment !== environment ||
    parsed.state.lineage !== row.lineage ||
    String(parsed.state.serial) !== row.serial
  ) {
    throw new IpassError(
      'STATE_CORRUPT',
      `The state of ${environment} in ${where} does not match its row (environment, lineage or serial).`,
      {
        hint: `Someone edited ${s}.states by hand; restore backup_body, or fix the lineage/serial columns to match the body.`,
      },
    );
  }
  return { state: parsed.state, exists: true };
}

async function readJournal(
  db: Sql,
  s: string,
  environment: string,
  where: string,
): Promise<JournalRecord[] | undefined> {
  const { rows } = await db.query<{ record: string; seq: string }>(
    `SELECT seq, record FROM ${s}.journal WHERE environment = $1 ORDER BY seq`,
    [environment],
  );
  if (rows.length === 0) return undefined;
  const records: unknown[] = [];
  for (const row of rows) {
    try {
      records.push(JSON.parse(row.record));
    } catch (error) {
      throw journalDamaged(environment, where, row.seq, (error as Error).message);
    }
  }
  const checked = checkJournal(records);
  if (!checked.ok) throw journalDamaged(environment, where, rows[checked.index]?.seq ?? '?', checked.problem);
  return checked.records;
}

function journalDamaged(environment: string, where: string, seq: string, problem: string): IpassError {
  return new IpassError(
    'JOURNAL_CORRUPT',
    `The apply journal of ${environment} in ${where} is damaged at record ${seq}: ${problem}.`,
    {
      reason:
        'ipass will not guess what an interrupted apply did from a damaged journal, so nothing was sent.',
      hint: 'Inspect the journal table, and run `ipass plan --refresh` to see what exists remotely; `ipass state import` adopts templates the state lost.',
    },
  );
}

class PgLockedState extends LockedStateBase {
  readonly ledgers: PgLedgers;

  constructor(
    private readonly db: PgConnection,
    private readonly s: string,
    backend: PostgresBackend,
    private readonly lock: PgLock,
    state: StateFile,
    exists: boolean,
  ) {
    super(backend.environment, backend.where, state, exists);
    this.ledgers = new PgLedgers(async () => db, s, backend.environment, backend.where);
  }

  get takenOverFrom(): LockHolder | undefined {
    return this.lock.takenOverFrom;
  }

  /** Compare-and-swap: only over the state this run read (or wrote) last. */
  protected async write(saved: StateFile, sql: Sql = this.db): Promise<StateFile> {
    const body = serializeState(saved);
    const by = JSON.stringify({ ...this.lock.holder, token: undefined });
    const result = this.exists
      ? await sql.query(
          `UPDATE ${this.s}.states SET backup_serial = serial, backup_body = body,
             lineage = $2, serial = $3, body = $4, saved_at = now(), saved_by = $5
           WHERE environment = $1 AND lineage = $6 AND serial = $7`,
          [this.environment, saved.lineage, saved.serial, body, by, this.state.lineage, this.state.serial],
        )
      : await sql.query(
          `INSERT INTO ${this.s}.states (environment, lineage, serial, body, saved_by)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (environment) DO NOTHING`,
          [this.environment, saved.lineage, saved.serial, body, by],
        );
    if (result.rowCount !== 1) throw await this.conflict(sql);
    this.state = saved;
    this.exists = true;
    return saved;
  }

  private async conflict(sql: Sql): Promise<IpassError> {
    const { rows } = await sql.query<{ serial: string; lineage: string }>(
      `SELECT serial, lineage FROM ${this.s}.states WHERE environment = $1`,
      [this.environment],
    );
    const now = rows[0];
    return new IpassError(
      'STATE_CONFLICT',
      `The state of ${this.environment} in ${this.where} was changed by someone else while this run held the lock (expected serial ${this.exists ? this.state.serial : 'none'}, found ${now ? `serial ${now.serial}` : 'none'}).`,
      {
        reason: 'A state is never overwritten by an older one; nothing more was written.',
        hint: 'Someone wrote the states table without the lock. Run `ipass plan --refresh` to compare the state with the API before applying again.',
      },
    );
  }

  unfinishedJournal(): Promise<JournalRecord[] | undefined> {
    return readJournal(this.db, this.s, this.environment, this.where);
  }

  async settleJournal(folded: StateFile | undefined): Promise<void> {
    const before = { state: this.state, exists: this.exists };
    try {
      await this.db.transaction(async (sql) => {
        if (folded)
          await this.write({ ...folded, serial: this.state.serial + 1, environment: this.environment }, sql);
        await sql.query(`DELETE FROM ${this.s}.journal WHERE environment = $1`, [this.environment]);
      });
    } catch (error) {
      this.state = before.state;
      this.exists = before.exists;
      throw error;
    }
  }

  async openJournal(): Promise<JournalWriter> {
    const insert = `INSERT INTO ${this.s}.journal (environment, record)
      SELECT $1, r FROM unnest($2::text[]) WITH ORDINALITY AS u(r, n) ORDER BY n`;
    const append = async (records: readonly JournalRecord[]): Promise<void> => {
      if (records.length === 0) return;
      await this.db.query(insert, [this.environment, records.map((r) => JSON.stringify(r))]);
    };
    return {
      append: (record) => append([record]),
      appendMany: append,
      close: async () => {},
    };
  }

  async importEnvironment(source: EnvironmentExport): Promise<ImportReport> {
    return this.db.transaction(async (sql) => {
      let ledgerRows = 0;
      for (const ledger of source.ledgers)
        ledgerRows += await importLedger(sql, this.s, this.environment, ledger);
      await this.write({ ...source.state, environment: this.environment }, sql);
      return {
        templates: Object.keys(source.state.templates).length,
        ledgers: source.ledgers.length,
        ledgerRows,
      };
    });
  }

  async release(): Promise<void> {
    await this.lock.release();
    await this.db.end();
  }
}
