// Updates and closes the passes a batch issued: one updatePass per pass (UPDATE_DATA_INFO and/or
// UPDATE_VALIDITY, or CLOSED), with the issuing machinery's guarantees: intents in the ledger, durable
// before the requests of a chunk go out; outcomes moments after each answer; the client's
// concurrency and rate limit; an answer lost is in doubt and sent again by the next apply.
import type { ApiFailure } from '../api/api-result.js';
import type { UpdatePassRequest } from '../api/endpoints.js';
import type { Execution } from '../apply/execution.js';
import type { PassChangeOutcome } from '../apply/run-apply.js';
import type { DesiredPassBatch } from '../campaign/types.js';
import type { LedgerWriter } from '../state/backend.js';
import { KeyTable } from '../state/key-table.js';
import { type ChangeItem, type ChangeWork, changeItems } from './change-items.js';
import { InFlight } from './in-flight.js';
import { batchContentJson } from './pass-content.js';
import { readRevokedRows } from './revoked-rows.js';
import { settleChangeAnswer } from './settle-change-answer.js';

export interface ChangeBatchInput {
  execution: Execution;
  batch: DesiredPassBatch;
  /** Ledger path relative to the state folder. */
  ledger: string;
  /** Expected passes (sizes the table). */
  expected: number;
  concurrency: number;
  wantUpdates: boolean;
  now: () => number;
}

export async function changeBatch(input: ChangeBatchInput): Promise<PassChangeOutcome> {
  const { execution, batch } = input;
  const ref = { address: batch.address, path: input.ledger };
  const table = new KeyTable(input.expected);
  const read = await execution.ledgers.read(ref, table);
  const revoked = (await readRevokedRows(batch)).rows;
  const work = await changeItems(batch, table, revoked, input.wantUpdates);
  const passIds = await execution.ledgers.passIds(
    ref,
    new Set(work.items.map((i) => i.recipient.bizSerialId)),
  );
  const writer = await execution.ledgers.open(ref, read);
  const run = new ChangeRun(input, writer, passIds, work);
  try {
    await run.sendAll();
  } finally {
    await run.flight.drain();
    if (run.complete()) writer.batchContent(batchContentJson(batch), input.now());
    await writer.close().catch((error: unknown) => execution.fail(error));
  }
  return run.outcome;
}

class ChangeRun {
  readonly flight: InFlight;
  readonly outcome: PassChangeOutcome;
  private bug: unknown;

  constructor(
    private readonly input: ChangeBatchInput,
    private readonly writer: LedgerWriter,
    private readonly passIds: ReadonlyMap<string, string>,
    private readonly work: ChangeWork,
  ) {
    this.flight = new InFlight(Math.max(2, input.concurrency * 2));
    this.outcome = {
      updated: 0,
      closed: 0,
      failed: 0,
      inDoubt: 0,
      notSent: 0,
      notActive: { ...work.notActive },
      noPassId: 0,
      failureCodes: {},
    };
  }

  /** Every update the files ask for was answered with success: the batch's content is what they give. */
  complete(): boolean {
    return this.outcome.updated === this.work.updates && this.bug === undefined;
  }

  async sendAll(): Promise<void> {
    const items = this.work.items.filter((item) => {
      if (this.passIds.has(item.recipient.bizSerialId)) return true;
      this.outcome.noPassId++;
      return false;
    });
    const chunk = Math.max(64, this.input.concurrency * 8);
    for (let i = 0; i < items.length && !this.halted(); i += chunk) {
      const group = items.slice(i, i + chunk);
      if (!(await this.sendChunk(group))) return;
    }
    if (this.bug !== undefined) throw this.bug;
  }

  private async sendChunk(items: readonly ChangeItem[]): Promise<boolean> {
    const at = this.input.now();
    try {
      await this.writer.changeIntents(ids(items, 'U'), 'U', at);
      await this.writer.changeIntents(ids(items, 'C'), 'C', at);
    } catch (error) {
      this.input.execution.fail(error);
      return false;
    }
    const refill = Math.max(1, Math.floor(this.input.concurrency * 1.5));
    for (const [i, item] of items.entries()) {
      if (this.flight.free === 0) await this.flight.until(refill);
      if (this.halted()) {
        for (const rest of items.slice(i)) this.notSent(rest);
        return false;
      }
      this.flight.start();
      this.change(item)
        .catch((error: unknown) => {
          this.bug ??= error;
        })
        .finally(() => this.flight.end());
    }
    return true;
  }

  /** One pass: a close, or its updates (dataInfo first, then the end date), recorded as they succeed. */
  private async change(item: ChangeItem): Promise<void> {
    const passId = this.passIds.get(item.recipient.bizSerialId) ?? '';
    const r = item.recipient;
    const user: Partial<UpdatePassRequest> = {};
    if (r.userId !== undefined) user.userId = r.userId;
    if (r.openId !== undefined) user.openId = r.openId;
    if (item.kind === 'C') {
      await this.send(item, { ...user, passId, status: 'CLOSED' });
      return;
    }
    let carried = item.carried ?? { code: 0, data: 0, end: 0 };
    const wanted = item.wanted ?? carried;
    if (item.dataInfo !== undefined) {
      const body = {
        ...user,
        passId,
        status: 'UPDATE',
        updateDetailType: 'UPDATE_DATA_INFO',
        dataInfo: item.dataInfo,
      };
      if (!(await this.send(item, body as UpdatePassRequest, false))) return;
      carried = { ...carried, data: wanted.data };
      if (item.endDate === undefined) this.updated(item, carried);
      else this.writer.content(r.bizSerialId, carried, this.input.now());
    }
    if (item.endDate !== undefined) {
      const body: UpdatePassRequest = {
        ...user,
        passId,
        status: 'UPDATE',
        updateDetailType: 'UPDATE_VALIDITY',
        endDate: item.endDate,
      };
      if (await this.send(item, body, false)) this.updated(item, { ...carried, end: wanted.end });
    }
  }

  private updated(item: ChangeItem, content: ChangeItem['carried'] & object): void {
    this.writer.content(item.recipient.bizSerialId, content, this.input.now());
    this.outcome.updated++;
  }

  /** Send one request and record what its answer settles; true when it succeeded. */
  private async send(item: ChangeItem, body: UpdatePassRequest, closes = true): Promise<boolean> {
    const { execution, now } = this.input;
    const answer = await execution.client.call('updatePass', body);
    const id = item.recipient.bizSerialId;
    const s = settleChangeAnswer(answer, item.kind, item.closeInDoubt);
    if (s.outcome === 'changed') {
      if (closes) {
        this.writer.life(id, 'closed', now());
        this.outcome.closed++;
      }
      return true;
    }
    if (s.outcome === 'refused') {
      this.writer.life(id, s.life, now());
      const counts = this.outcome.notActive;
      if (s.life === 'used') counts.used++;
      else if (s.life === 'closed-or-used') counts.closedOrUsed++;
      else counts.notActive++;
    } else if (s.outcome === 'failed') this.failed(id, s.failure);
    else if (s.outcome === 'in-doubt') this.outcome.inDoubt++;
    else this.notSent(item);
    if ('stopsRun' in s && s.stopsRun !== undefined) execution.checkCredentials(s.failure);
    return false;
  }

  private failed(id: string, f: ApiFailure): void {
    this.writer.changeFailed(id, f.code, this.input.now());
    this.outcome.failed++;
    const codes = this.outcome.failureCodes;
    const entry = codes[f.code] ?? { count: 0, message: f.message };
    entry.count++;
    codes[f.code] = entry;
  }

  private notSent(item: ChangeItem): void {
    this.writer.changeNotSent(item.recipient.bizSerialId);
    this.outcome.notSent++;
  }

  private halted(): boolean {
    return this.input.execution.stopping || this.bug !== undefined;
  }
}

function ids(items: readonly ChangeItem[], kind: 'U' | 'C'): string[] {
  return items.filter((i) => i.kind === kind).map((i) => i.recipient.bizSerialId);
}
