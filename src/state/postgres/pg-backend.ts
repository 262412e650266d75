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
  LockStatus,
  StateBackend,
  StateSnapshot,
  UnlockOptions,
  UnlockResult,
} from '../backend.js';
import type { JournalRecord } from '../journal-records.js';
import type { LockHolder } from '../lock-holder.js';
import { LockedStateBase } from '../locked-state-base.js';
import { emptyState, type StateFile, serializeState } from '../state-format.js';
import { PgConnection, type PgTarget, type Sql } from './pg-connect.js';
import { PgRunHistory } from './pg-history.js';
import { importLedger } from './pg-import.js';
import { PgLedgers } from './pg-ledgers.js';
import { acquirePgLock, type PgLock } from './pg-lock.js';
import { type PgLockPlace, pgLockStatus, pgUnlock } from './pg-lock-control.js';
import { type PgProbe, probeDatabase } from './pg-probe.js';
import { readJournal, readState } from './pg-read.js';
import { advisoryKey, ensureSchema, quoteIdent, type SchemaChange, schemaVersion } from './pg-schema.js';

export class PostgresBackend implements StateBackend {
  readonly kind = 'postgres';
  readonly ledgers: PgLedgers;
  readonly history: PgRunHistory;
  private readonly s: string;
  private reader: Promise<PgConnection> | undefined;
  private tables = false;

  constructor(
    readonly target: PgTarget,
    readonly environment: string,
    readonly where: string,
  ) {
    this.s = quoteIdent(target.schema);
    this.ledgers = new PgLedgers(
      () => this.connection(),
      this.s,
      environment,
      where,
      () => this.present(),
    );
    this.history = new PgRunHistory(() => this.connection(), this.s, environment);
  }

  /**
   * The connection for reads without the lock, opened on first use. It creates nothing: a reader
   * role may only SELECT, and plan, validate and state list never write. No tables yet: no state.
   */
  private connection(): Promise<PgConnection> {
    this.reader ??= (async () => {
      const db = await PgConnection.open(this.target, this.where, 'ipass');
      try {
        this.tables = (await schemaVersion(db, this.target.schema)) !== undefined;
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

  /** Whether the state tables exist (read on the reader connection). */
  private async present(): Promise<boolean> {
    const db = await this.connection();
    // Not there yet: asked again, since an apply of this process may have made them since.
    if (!this.tables) this.tables = (await schemaVersion(db, this.target.schema)) !== undefined;
    return this.tables;
  }

  async read(): Promise<StateSnapshot> {
    const db = await this.connection();
    if (!(await this.present()))
      return { state: emptyState(this.environment, randomUUID()), exists: false, journal: undefined };
    // One snapshot of both tables: a concurrent apply's writes are seen entirely or not at all.
    return db.transaction(async (sql) => {
      await sql.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { state, exists } = await readState(sql, this.s, this.environment, this.where);
      return { state, exists, journal: await readJournal(sql, this.s, this.environment, this.where) };
    });
  }

  /** What the role may do and how it is connected (`ipass doctor`); reads only. */
  async probe(): Promise<PgProbe> {
    return probeDatabase(await this.connection(), this.target.schema);
  }

  /** Create or upgrade the tables (`ipass state init`: the owner role's job); says what it did. */
  async initialize(): Promise<SchemaChange> {
    const db = await PgConnection.open(this.target, this.where, 'ipass: state init');
    try {
      return await ensureSchema(db, this.target.schema);
    } finally {
      await db.end();
    }
  }

  private async lockPlace(): Promise<PgLockPlace> {
    return {
      s: this.s,
      environment: this.environment,
      key: advisoryKey('ipass-environment', this.target.schema, this.environment),
      where: this.where,
      tables: await this.present(),
    };
  }

  async lockStatus(): Promise<LockStatus> {
    return pgLockStatus(await this.connection(), await this.lockPlace());
  }

  async unlock(options: UnlockOptions): Promise<UnlockResult> {
    const place = await this.lockPlace();
    const db = await PgConnection.open(this.target, this.where, 'ipass: state unlock');
    try {
      return await pgUnlock(db, place, options);
    } finally {
      await db.end();
    }
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

class PgLockedState extends LockedStateBase {
  readonly ledgers: PgLedgers;
  readonly history: PgRunHistory;

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
    this.history = new PgRunHistory(async () => db, s, backend.environment);
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
