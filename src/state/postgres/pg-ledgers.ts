// The postgres backend's pass ledgers: one row per (environment, batch, bizSerialId) in pass_ledger, its status
// folded as the file ledger's records fold (ledger-format.ts), and the batch's template in pass_batches. Reads stream
// rows with COPY; writes are prepared statements: intents one statement per group (committed before the requests go
// out), outcomes gathered for a few milliseconds into one. An outcome not written when the process dies leaves its
// intent in doubt: the next apply re-sends with the same bizSerialId and counts PASS_HAS_EXIST as issued.
import type { LedgerRead, LedgerRef, LedgerStore, LedgerWriter } from '../backend.js';
import { type KeyTable, LedgerStatus } from '../key-table.js';
import { foldFailureCode } from '../ledger-format.js';
import {
  type ChangeKind,
  type LifeWord,
  markPassId,
  type PassContent,
  setLifeColumns,
} from '../pass-life.js';
import type { PgConnection } from './pg-connect.js';
import { copyOut, unescapeCopy } from './pg-copy.js';
import {
  changeIntentsSql,
  column,
  contentText,
  emptyOutcomes,
  LifeBatch,
  lifeOutcomesSql,
  type Outcomes,
  oneLine,
  parseContentText,
  selectPassIds,
} from './pg-life.js';

const STATUS: Readonly<Record<string, LedgerStatus>> = {
  I: LedgerStatus.inDoubt,
  S: LedgerStatus.issued,
  E: LedgerStatus.issued,
  F: LedgerStatus.failed,
  N: LedgerStatus.notSent,
};

/** Outcomes are written at least this often, and at once when this many are waiting. */
const OUTCOME_DELAY_MS = 20;
const OUTCOME_BATCH = 500;
const TAB = 0x09;

export class PgLedgers implements LedgerStore {
  constructor(
    private readonly connection: () => Promise<PgConnection>,
    private readonly s: string,
    private readonly environment: string,
    private readonly where: string,
    /** Whether the tables exist; a reader finds no ledger rather than creating them. */
    private readonly present: () => Promise<boolean> = async () => true,
  ) {}

  shown(ref: LedgerRef): string {
    return `the pass ledger of ${ref.address} in ${this.where}`;
  }

  async read(ref: LedgerRef, table: KeyTable): Promise<LedgerRead> {
    const db = await this.connection();
    if (!(await this.present()))
      return { exists: false, records: 0, templateCode: undefined, resumeAt: 0, tornTail: false };
    const batch = await db.query<{ template_code: string; content: string | null }>(
      `SELECT template_code, content FROM ${this.s}.pass_batches WHERE environment = $1 AND batch = $2`,
      [this.environment, ref.address],
    );
    const lit = (v: string) => db.client.escapeLiteral(v);
    const sql = `COPY (SELECT biz_serial_id, status, doubted, life, life_doubted, content,
        CASE WHEN status = 'F' THEN code END FROM ${this.s}.pass_ledger
      WHERE environment = ${lit(this.environment)} AND batch = ${lit(ref.address)}) TO STDOUT`;
    let rows = 0;
    await copyOut(db, sql, (buf, start, end) => {
      // biz_serial_id \t status \t t|f \t life \t t|f \t content|\N \t code|\N (failed rows)
      const tab1 = buf.indexOf(TAB, start);
      const id = unescapeCopy(buf, start, tab1);
      const status = STATUS[String.fromCharCode(buf[tab1 + 1] ?? 0)] ?? LedgerStatus.inDoubt;
      const slot = table.slot(id);
      table.setStatus(slot, status);
      if (buf[tab1 + 3] === 0x74 /* t */) table.markDoubted(slot);
      const [life = 'active', doubted, content = '\\N', code = '\\N'] = buf
        .toString('latin1', tab1 + 5, end)
        .split('\t');
      if (status === LedgerStatus.failed) foldFailureCode(table, slot, code === '\\N' ? '' : code);
      if (life !== 'active' || doubted === 't' || content !== '\\N')
        setLifeColumns(table, slot, life, doubted === 't', parseContentText(content));
      if (buf[tab1 + 1] === 0x45 /* E */) markPassId(table, slot, false);
      rows++;
    });
    const templateCode = batch.rows[0]?.template_code;
    const content = batch.rows[0]?.content ?? undefined;
    return {
      exists: rows > 0 || templateCode !== undefined,
      records: rows,
      templateCode,
      ...(content !== undefined ? { content } : {}),
      resumeAt: 0,
      tornTail: false,
    };
  }

  async passIds(ref: LedgerRef, ids: ReadonlySet<string>): Promise<Map<string, string>> {
    if (!(await this.present())) return new Map();
    return selectPassIds(await this.connection(), this.s, this.environment, ref.address, ids);
  }

  async open(ref: LedgerRef): Promise<LedgerWriter> {
    return new PgLedgerWriter(await this.connection(), this.s, this.environment, ref.address);
  }
}

class PgLedgerWriter implements LedgerWriter {
  private outcomes = emptyOutcomes();
  private lives = new LifeBatch();
  private scheduled: NodeJS.Timeout | undefined;
  /** Every write, in order: intents never overtake the outcomes recorded before them. */
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly db: PgConnection,
    private readonly s: string,
    private readonly environment: string,
    private readonly batch: string,
  ) {}

  template(templateCode: string, at: number): void {
    this.enqueue(() =>
      this.db.query(
        `INSERT INTO ${this.s}.pass_batches (environment, batch, template_code, template_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (environment, batch)
         DO UPDATE SET template_code = excluded.template_code, template_at = excluded.template_at`,
        [this.environment, this.batch, templateCode, at],
      ),
    );
  }

  async intents(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    this.flushSoon(true);
    const l = `${this.s}.pass_ledger`;
    this.enqueue(() =>
      this.db.prepared(
        'ipass_ledger_intents',
        `INSERT INTO ${l} AS l (environment, batch, biz_serial_id, status)
         SELECT $1, $2, id, 'I' FROM unnest(${column(3)}) AS id
         ON CONFLICT (environment, batch, biz_serial_id) DO UPDATE SET
           doubted = l.doubted OR l.status = 'I',
           status = CASE WHEN l.status IN ('S', 'E') THEN l.status ELSE 'I' END`,
        [this.environment, this.batch, ids.join('\n')],
      ),
    );
    await this.settled();
  }

  issued(id: string, passId: string, at: number): void {
    this.outcome(id, 'S', passId, null, at);
  }

  confirmed(id: string, at: number): void {
    this.outcome(id, 'E', null, null, at);
  }

  failed(id: string, code: string, at: number): void {
    this.outcome(id, 'F', null, code, at);
  }

  notSent(id: string): void {
    this.outcome(id, 'N', null, null, null);
  }

  content(id: string, content: PassContent, at: number): void {
    this.lifeOutcome(id, 'D', contentText(content), at);
  }

  async changeIntents(ids: readonly string[], kind: ChangeKind, at: number): Promise<void> {
    if (ids.length === 0) return;
    this.flushSoon(true);
    const sql = changeIntentsSql(`${this.s}.pass_ledger`, kind);
    this.enqueue(() => this.db.query(sql, [this.environment, this.batch, ids.join('\n'), at]));
    await this.settled();
  }

  life(id: string, life: LifeWord, at: number): void {
    this.lifeOutcome(id, 'L', life, at);
  }

  changeFailed(id: string, code: string, at: number): void {
    this.lifeOutcome(id, 'X', code, at);
  }

  changeNotSent(id: string): void {
    this.lifeOutcome(id, 'Y', '', null);
  }

  batchContent(json: string, _at: number): void {
    this.enqueue(() =>
      this.db.query(`UPDATE ${this.s}.pass_batches SET content = $3 WHERE environment = $1 AND batch = $2`, [
        this.environment,
        this.batch,
        json,
      ]),
    );
  }

  private lifeOutcome(id: string, kind: 'D' | 'L' | 'X' | 'Y', value: string, at: number | null): void {
    this.lives.add(id, kind, value, at);
    this.flushSoon(false);
  }

  async flush(): Promise<void> {
    this.flushSoon(true);
    await this.settled();
  }

  checkpoint(): Promise<void> {
    // Every statement is committed when it returns.
    return this.flush();
  }

  close(): Promise<void> {
    return this.flush();
  }

  private outcome(id: string, status: string, passId: string | null, code: string | null, at: number | null) {
    const o = this.outcomes;
    const sep = o.count === 0 ? '' : '\n';
    o.ids += sep + id;
    o.statuses += sep + status;
    o.passIds += sep + (passId === null ? '' : oneLine(passId));
    o.codes += sep + (code === null ? '' : oneLine(code));
    o.ats += sep + (at === null ? '' : String(at));
    o.count++;
    this.flushSoon(false);
  }

  /** Queue the gathered outcomes as one statement: now, or at the end of this turn. */
  private flushSoon(now: boolean): void {
    if (!now && this.outcomes.count + this.lives.count < OUTCOME_BATCH) {
      this.scheduled ??= setTimeout(() => this.flushSoon(true), OUTCOME_DELAY_MS);
      return;
    }
    if (this.scheduled) clearTimeout(this.scheduled);
    this.scheduled = undefined;
    const o = this.outcomes;
    const lives = this.lives;
    this.lives = new LifeBatch();
    if (o.count > 0) this.writeOutcomes(o);
    if (lives.count === 0) return;
    const sql = lifeOutcomesSql(`${this.s}.pass_ledger`);
    const { ids, kinds, values, ats } = lives;
    this.enqueue(() =>
      this.db.prepared('ipass_ledger_lives', sql, [this.environment, this.batch, ids, kinds, values, ats]),
    );
  }

  private writeOutcomes(o: Outcomes): void {
    this.outcomes = emptyOutcomes();
    const l = `${this.s}.pass_ledger`;
    this.enqueue(() =>
      this.db.prepared(
        'ipass_ledger_outcomes',
        // An upsert, not UPDATE … FROM: its conflict check looks each row up by the primary key,
        // where a join could scan the whole batch for every statement.
        `INSERT INTO ${l} AS l (environment, batch, biz_serial_id, status, pass_id, code, at)
         SELECT $1, $2, v.id, v.st, NULLIF(v.pass_id, ''), NULLIF(v.code, ''), NULLIF(v.at, '')::bigint
         FROM unnest(${column(3)}, ${column(4)}, ${column(5)}, ${column(6)}, ${column(7)}) AS v(id, st, pass_id, code, at)
         ON CONFLICT (environment, batch, biz_serial_id) DO UPDATE SET
           status = CASE
             WHEN excluded.status IN ('S', 'E') THEN excluded.status
             WHEN l.status IN ('S', 'E') THEN l.status
             WHEN excluded.status = 'F' THEN 'F'
             WHEN excluded.status = 'N' AND l.status = 'I' THEN 'N'
             ELSE l.status END,
           pass_id = COALESCE(excluded.pass_id, l.pass_id),
           code = CASE WHEN excluded.status = 'F' AND l.status NOT IN ('S', 'E') THEN excluded.code ELSE l.code END,
           at = COALESCE(excluded.at, l.at)`,
        [this.environment, this.batch, o.ids, o.statuses, o.passIds, o.codes, o.ats],
      ),
    );
  }

  private enqueue(write: () => Promise<unknown>): void {
    this.tail = this.tail.then(async () => {
      // After a failure nothing more is written: later records would be out of order.
      if (this.failure !== undefined) return;
      try {
        await write();
      } catch (error) {
        this.failure = error;
      }
    });
  }

  private async settled(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) throw this.failure;
  }
}
