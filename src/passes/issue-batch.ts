// Issues one pass batch: streams its recipients, skips those the ledger has as issued, and sends the
// rest with createPass, an intent in the ledger before each request and the outcome after, so a kill
// at any instant loses nothing. Counts go to the apply journal at checkpoints and at the end.
import { join } from 'node:path';
import type { ApiFailure, ApiResult } from '../api/api-result.js';
import type { CreatePassResponse } from '../api/endpoints.js';
import type { Execution } from '../apply/execution.js';
import type { PassBatchOutcome } from '../apply/run-apply.js';
import type { DesiredPassBatch } from '../campaign/types.js';
import type { PassBatchChange } from '../plan/plan-types.js';
import type { LedgerWriter } from '../state/backend.js';
import { encodeFailureCode } from '../state/failure-code.js';
import { KeyTable, LedgerStatus } from '../state/key-table.js';
import { failuresPathOf } from '../state/ledger-format.js';
import type { PassContent } from '../state/pass-life.js';
import { BatchCheckpoints } from './batch-checkpoint.js';
import { BatchTally } from './batch-tally.js';
import { FailuresWriter } from './failures-csv.js';
import { InFlight } from './in-flight.js';
import { batchContentJson, passContent } from './pass-content.js';
import type { PassHooks } from './pass-hooks.js';
import { type PassBase, passRequest } from './pass-request.js';
import { type CompiledContent, compileContent, placeholderNames } from './placeholders.js';
import { layoutOf, type Recipient, type RecipientLayout, readRow } from './recipient-rows.js';
import { recipientRowsAgain, recipientsChanged } from './recipients-again.js';
import type { CsvRow } from './recipients-stream.js';
import { RowSelection } from './row-selection.js';
import { settlePassAnswer } from './settle-pass-answer.js';

export type { PassHooks } from './pass-hooks.js';

export interface IssueBatchInput {
  execution: Execution;
  batch: DesiredPassBatch;
  change: PassBatchChange;
  base: PassBase;
  /** Where the failures CSV is written. */
  stateDir: string;
  /** Ledger path relative to stateDir (the file backend's; the failures CSV goes next to it). */
  ledger: string;
  concurrency: number;
  hooks: PassHooks;
  now: () => number;
  /** Send recipients held back too (the plan was made with --retry-failed). */
  retryFailed: boolean;
}

const PROGRESS_MS = 500;
const CHECKPOINT_MS = 2000;

interface Item {
  recipient: Recipient;
  /** The ledger has an intent without an outcome for it: an earlier attempt may have been applied. */
  inDoubt: boolean;
  failedBefore: boolean;
  content?: PassContent;
}

export async function issueBatch(input: IssueBatchInput): Promise<PassBatchOutcome> {
  const issue = await BatchIssue.open(input);
  await issue.run();
  return issue.finish();
}

/** One batch being issued: the ledger, the counts and the requests in flight. */
class BatchIssue {
  private readonly address: string;
  private readonly content: CompiledContent;
  private readonly names: string[];
  private readonly failuresPath: string;
  private readonly failures: FailuresWriter;
  private readonly flight: InFlight;
  private readonly checkpoints: BatchCheckpoints;
  private readonly started = performance.now();
  private layout: RecipientLayout | undefined;
  private stoppedBy: string | undefined;
  private bug: unknown;
  private complete = false;

  static async open(input: IssueBatchInput): Promise<BatchIssue> {
    const ref = { address: input.batch.address, path: input.ledger };
    const table = new KeyTable(input.change.recipients + input.change.removed);
    const read = await input.execution.ledgers.read(ref, table);
    const writer = await input.execution.ledgers.open(ref, read);
    if (read.templateCode !== input.base.templateCode) writer.template(input.base.templateCode, input.now());
    if (read.content === undefined) writer.batchContent(batchContentJson(input.batch), input.now());
    await writer.flush();
    const rows = await RowSelection.open(input.batch, table, input.retryFailed);
    const before = table.tally().unseen;
    const tally = new BatchTally({
      issued: before[LedgerStatus.issued] ?? 0,
      failed: before[LedgerStatus.failed] ?? 0,
    });
    return new BatchIssue(input, table, writer, tally, rows);
  }

  private constructor(
    private readonly input: IssueBatchInput,
    private readonly table: KeyTable,
    private readonly writer: LedgerWriter,
    private readonly tally: BatchTally,
    private readonly rows: RowSelection,
  ) {
    this.address = input.batch.address;
    this.content = compileContent(input.batch);
    const { codeInfo, dataInfo, extInfo } = this.content;
    this.names = placeholderNames([codeInfo, dataInfo, extInfo].filter((v) => v !== undefined));
    this.failuresPath = join(input.stateDir, failuresPathOf(input.ledger));
    this.failures = new FailuresWriter(this.failuresPath);
    this.flight = new InFlight(Math.max(2, input.concurrency * 2));
    this.checkpoints = new BatchCheckpoints(input.execution, writer, this.address, () => ({
      templateCode: input.base.templateCode,
      ledger: input.ledger,
      issued: tally.totals.issued,
      failed: tally.totals.failed,
    }));
  }

  async run(): Promise<void> {
    await this.checkpoints.take();
    const progressTimer = setInterval(() => this.progress(), PROGRESS_MS);
    const checkpointTimer = setInterval(() => this.checkpoints.take(), CHECKPOINT_MS);
    try {
      await this.sendRows();
      this.complete = !this.halted();
    } finally {
      await this.flight.drain();
      clearInterval(progressTimer);
      clearInterval(checkpointTimer);
      await this.checkpoints.take();
      const execution = this.input.execution;
      await this.writer.close().catch((error: unknown) => execution.fail(error));
      this.failures.close(this.complete && this.tally.failed === 0 && this.tally.held === 0);
      if (this.failures.failure !== undefined) execution.fail(this.failures.failure);
      this.progress();
    }
  }

  finish(): PassBatchOutcome {
    if (this.bug !== undefined) throw this.bug;
    for (const text of this.tally.notices(this.address, this.stoppedBy)) this.input.hooks.notice?.(text);
    return this.tally.outcome(this.address, {
      complete: this.complete,
      toIssue: this.input.change.toIssue,
      failuresFile: this.failures.count > 0 ? this.failuresPath : undefined,
    });
  }

  /**
   * Rows are parsed in small reads shortly before they are sent, so they die young instead of being
   * promoted to the old generation while they wait. Intents are written for a chunk of rows at once,
   * ahead of sending them, so that the state backend sees one write per chunk (a database round trip
   * each) while the requests of the chunk before are still in flight.
   */
  private async sendRows(): Promise<void> {
    const intentsAhead = Math.max(64, this.input.concurrency * 8);
    let chunk: Item[] = [];
    for await (const rows of recipientRowsAgain(this.input.batch)) {
      for (const row of rows) {
        const item = this.itemOf(row);
        if (item) chunk.push(item);
      }
      if (this.halted()) return;
      if (chunk.length >= intentsAhead) {
        const items = chunk;
        chunk = [];
        if (!(await this.sendChunk(items))) return;
      }
    }
    if (!this.halted()) await this.sendChunk(chunk);
  }

  /** The row to send, if it is to be sent; the header row sets the layout. */
  private itemOf(row: CsvRow): Item | undefined {
    if (!this.layout) {
      this.layout = layoutOf(row.fields, this.names).layout;
      if (!this.layout) throw recipientsChanged(this.input.batch);
      this.failures.columns = this.layout.header;
      return undefined;
    }
    const { recipient } = readRow(this.layout, this.address, this.content, row.fields, row.line);
    const slot = recipient ? this.table.slot(recipient.bizSerialId) : -1;
    if (!recipient || !this.table.markSeen(slot, row.line)) {
      this.tally.countInvalid();
      return undefined;
    }
    const choice = this.rows.choose(slot, this.layout, recipient);
    if (choice === 'held') this.tally.countHeld();
    if (choice !== 'send') return undefined;
    const failedBefore = this.table.status(slot) === LedgerStatus.failed;
    return { recipient, inDoubt: this.table.inDoubt(slot), failedBefore };
  }

  /**
   * Write the chunk's intents, then send its rows as requests in flight finish. Rows whose intent was
   * written but that were not sent when the batch stopped are recorded as not sent. False: stop.
   */
  private async sendChunk(items: readonly Item[]): Promise<boolean> {
    if (items.length === 0) return true;
    try {
      await this.writer.intents(items.map((g) => g.recipient.bizSerialId));
    } catch (error) {
      this.input.execution.fail(error);
      return false;
    }
    const refill = Math.max(1, Math.floor(this.input.concurrency * 1.5));
    for (let i = 0; i < items.length; ) {
      if (this.flight.free === 0) await this.flight.until(refill);
      if (this.halted()) {
        for (const item of items.slice(i)) this.notSent(item);
        return false;
      }
      const group = items.slice(i, i + this.flight.free);
      i += group.length;
      for (const item of group) this.send(item);
    }
    return true;
  }

  private send(item: Item): void {
    if (!this.layout) return;
    const body = passRequest(this.input.base, this.content, this.layout, item.recipient, this.input.now());
    item.content = passContent(body.codeInfo, body.dataInfo, body.endDate);
    this.flight.start();
    this.input.execution.client
      .call('createPass', body)
      .then((result) => this.settle(item, result))
      .catch((error: unknown) => {
        this.bug ??= error;
      })
      .finally(() => this.flight.end());
  }

  /** Record an answer in the ledger, the key table, the counts and the failures CSV. */
  private settle(item: Item, answer: ApiResult<CreatePassResponse>): void {
    const { execution, now } = this.input;
    const { bizSerialId: id, derived } = item.recipient;
    const s = settlePassAnswer(answer, { inDoubt: item.inDoubt, derived }, execution.passIds);
    if (s.outcome === 'issued' || s.outcome === 'confirmed') {
      if (s.outcome === 'issued') {
        execution.passIds.add(s.passId);
        this.writer.issued(id, s.passId, now());
      } else this.writer.confirmed(id, now());
      if (item.content) this.writer.content(id, item.content, now());
      this.setStatus(id, LedgerStatus.issued);
      this.tally.countIssued(item.failedBefore);
      return;
    }
    if (s.outcome === 'failed') this.failed(item, s.failure);
    else if (s.outcome === 'in-doubt') this.tally.countInDoubt(s.outOfPlace === true);
    else this.notSent(item);
    if (s.stopsBatch !== undefined) this.stoppedBy ??= s.stopsBatch;
    if (s.stopsRun !== undefined) execution.checkCredentials(s.failure);
  }

  private failed(item: Item, f: ApiFailure): void {
    const r = item.recipient;
    const rowHash = this.layout && this.rows.rowHash(this.layout, r);
    this.writer.failed(r.bizSerialId, encodeFailureCode(f.code, rowHash), this.input.now());
    this.setStatus(r.bizSerialId, LedgerStatus.failed);
    this.tally.countFailed(item.failedBefore, f);
    this.failures.add({
      line: r.line,
      fields: r.fields,
      bizSerialId: r.bizSerialId,
      code: f.code,
      reason: f.resultMessage ? `${f.message} (${f.resultMessage})` : f.message,
      whatToDo: f.action,
    });
  }

  /** An intent was written, but the request was never sent (or certainly not applied). */
  private notSent(item: Item): void {
    const id = item.recipient.bizSerialId;
    this.writer.notSent(id);
    this.setStatus(id, LedgerStatus.notSent);
    this.tally.countNotSent();
  }

  private setStatus(id: string, status: LedgerStatus): void {
    const slot = this.table.find(id);
    if (slot !== -1) this.table.setStatus(slot, status);
  }

  private halted(): boolean {
    return this.input.execution.stopping || this.stoppedBy !== undefined || this.bug !== undefined;
  }

  private progress(): void {
    const seconds = (performance.now() - this.started) / 1000;
    this.input.hooks.progress?.({
      address: this.address,
      issued: this.tally.issued,
      failed: this.tally.failed,
      remaining: this.tally.remaining(this.input.change.toIssue),
      perSecond: seconds > 0 ? this.tally.issued / seconds : 0,
    });
  }
}
