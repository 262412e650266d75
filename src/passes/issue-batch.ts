// Issues one pass batch: streams its recipients, skips those the ledger has as issued, and sends the
// rest with createPass, an intent in the ledger before each request and the outcome after, so a kill
// at any instant loses nothing. Counts go to the apply journal at checkpoints and at the end.
import { join } from 'node:path';
import type { ApiFailure, ApiResult } from '../api/api-result.js';
import type { CreatePassResponse } from '../api/endpoints.js';
import { type Execution, outOfPlace, toFailure } from '../apply/execute.js';
import type { PassBatchOutcome } from '../apply/run-apply.js';
import type { DesiredPassBatch } from '../campaign/types.js';
import { IpassError } from '../diagnostics/errors.js';
import type { PassBatchChange } from '../plan/plan-types.js';
import { KeyTable, LedgerStatus } from '../state/key-table.js';
import { failuresPathOf } from '../state/ledger-format.js';
import type { PassBatchState } from '../state/state-format.js';
import { FailuresWriter } from './failures-csv.js';
import { InFlight } from './in-flight.js';
import { type PassBase, passRequest } from './pass-request.js';
import { compileContent, placeholderNames } from './placeholders.js';
import { layoutOf, type Recipient, type RecipientLayout, readRow } from './recipient-rows.js';
import { readCsvRows } from './recipients-stream.js';

export interface PassHooks {
  progress?(p: {
    address: string;
    issued: number;
    failed: number;
    remaining: number;
    perSecond: number;
  }): void;
  notice?(text: string): void;
}

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
}

const EXISTS = new Set(['PASS_HAS_EXIST', 'PASS_HAS_EXIT']);
/** Failures that every further row of the batch would get too: stop the batch after one. */
const TEMPLATE_WIDE = new Set([
  'PASS_TEMPLATE_HAS_NOT_EXIT',
  'PASS_TEMPLATE_HAS_NOT_EXIST',
  'PASS_TYPE_NOT_MATCH',
  'PASS_PRODUCT_TYPE_NOT_MATCH',
  'PASS_TEMPLATE_JSON_CONTENT_IS_NULL',
  'PASS_TEMPLATE_STATUS_ILLEGAL',
  'PASS_TEMPLATE_STOCK_NOT_ENOUGH',
]);
const PROGRESS_MS = 500;
const CHECKPOINT_MS = 2000;

interface Item {
  recipient: Recipient;
  /** The ledger has an intent without an outcome for it: an earlier attempt may have been applied. */
  inDoubt: boolean;
  failedBefore: boolean;
}

export async function issueBatch(input: IssueBatchInput): Promise<PassBatchOutcome> {
  const { execution, batch, change, base, hooks, now } = input;
  const address = batch.address;
  const ref = { address, path: input.ledger };
  const table = new KeyTable(change.recipients + change.removed);
  const read = await execution.ledgers.read(ref, table);
  const writer = await execution.ledgers.open(ref, read);
  if (read.templateCode !== base.templateCode) {
    writer.template(base.templateCode, now());
    await writer.flush();
  }
  const before = table.tally().unseen;
  const totals = { issued: before[LedgerStatus.issued] ?? 0, failed: before[LedgerStatus.failed] ?? 0 };
  const run = { issued: 0, failed: 0, inDoubt: 0, notSent: 0, invalid: 0, outOfPlace: 0 };
  const failureCodes: NonNullable<PassBatchOutcome['failureCodes']> = {};
  const failuresPath = join(input.stateDir, failuresPathOf(input.ledger));
  const failures = new FailuresWriter(failuresPath);
  const content = compileContent(batch);
  const names = placeholderNames(
    [content.codeInfo, content.dataInfo, content.extInfo].filter((v) => v !== undefined),
  );
  const flight = new InFlight(Math.max(2, input.concurrency * 2));
  const refill = Math.max(1, Math.floor(input.concurrency * 1.5));
  const intentsAhead = Math.max(64, input.concurrency * 8);
  let layout: RecipientLayout | undefined;
  let stopBatch: string | undefined;
  let bug: unknown;

  let lastCheckpoint = '';
  let checkpointing: Promise<void> = Promise.resolve();
  /** The ledger made durable, then the batch's counts recorded; one at a time, never overlapping. */
  const checkpoint = (): Promise<void> => {
    checkpointing = checkpointing.then(async () => {
      if (execution.storageFailure) return;
      try {
        await writer.flush();
        const entry: PassBatchState = {
          templateCode: base.templateCode,
          ledger: input.ledger,
          issued: totals.issued,
          failed: totals.failed,
        };
        const key = JSON.stringify(entry);
        if (key === lastCheckpoint) return;
        lastCheckpoint = key;
        await writer.checkpoint();
        execution.state.passBatches[address] = entry;
        await execution.journal.append({ t: 'batch', address, entry });
      } catch (error) {
        execution.storageFailed(error);
      }
    });
    return checkpointing;
  };
  const started = performance.now();
  const done = (): number => run.issued + run.failed + run.inDoubt + run.notSent;
  const progress = (): void => {
    const seconds = (performance.now() - started) / 1000;
    hooks.progress?.({
      address,
      issued: run.issued,
      failed: run.failed,
      remaining: Math.max(0, change.toIssue - done()),
      perSecond: seconds > 0 ? run.issued / seconds : 0,
    });
  };

  const setStatus = (id: string, status: LedgerStatus): void => {
    const slot = table.find(id);
    if (slot !== -1) table.setStatus(slot, status);
  };
  const issued = (item: Item, record: () => void): void => {
    record();
    setStatus(item.recipient.bizSerialId, LedgerStatus.issued);
    run.issued++;
    totals.issued++;
    if (item.failedBefore) totals.failed--;
  };
  const failed = (item: Item, f: ApiFailure): void => {
    const r = item.recipient;
    writer.failed(r.bizSerialId, f.code, now());
    setStatus(r.bizSerialId, LedgerStatus.failed);
    run.failed++;
    const seen = failureCodes[f.code];
    if (seen) seen.count++;
    else failureCodes[f.code] = { count: 1, message: f.message };
    if (!item.failedBefore) totals.failed++;
    failures.add({
      line: r.line,
      ...(r.userId !== undefined ? { userId: r.userId } : {}),
      ...(r.openId !== undefined ? { openId: r.openId } : {}),
      bizSerialId: r.bizSerialId,
      code: f.code,
      reason: f.resultMessage ? `${f.message} (${f.resultMessage})` : f.message,
      whatToDo: f.action,
    });
  };
  const settle = (item: Item, answer: ApiResult<CreatePassResponse>): void => {
    const id = item.recipient.bizSerialId;
    let result: ApiResult<unknown> = answer;
    if (answer.ok) {
      // A passId already answered for another recipient is a replayed answer, not this one's.
      if (execution.passIds.has(answer.data.passId)) {
        result = outOfPlace(
          'createPass',
          answer,
          `pass ${answer.data.passId} was answered for another recipient`,
        );
        run.outOfPlace++;
      } else execution.passIds.add(answer.data.passId);
    }
    if (result.ok) {
      const passId = (result.data as CreatePassResponse).passId;
      issued(item, () => writer.issued(id, passId, now()));
      return;
    }
    const f = result.failure;
    // A derived id is unique to this batch and user, so an existing pass with it can only be ours.
    if (EXISTS.has(f.code) && (item.inDoubt || f.priorAttemptInDoubt || item.recipient.derived)) {
      issued(item, () => writer.confirmed(id, now()));
      return;
    }
    if (f.kind === 'business') {
      failed(item, f);
      if (TEMPLATE_WIDE.has(f.code)) stopBatch ??= `${f.code}: ${f.message}`;
      return;
    }
    if (f.kind === 'credentials') {
      execution.credentialsFailure ??= toFailure(f);
      execution.stop('credentials');
    } else if (f.kind === 'client-bug') {
      stopBatch ??= `${f.code}: ${f.message}`;
    }
    if (f.inDoubt || item.inDoubt) {
      run.inDoubt++;
      return;
    }
    writer.notSent(id);
    setStatus(id, LedgerStatus.notSent);
    run.notSent++;
  };
  /** An intent was written, but the request was never sent. */
  const notSent = (item: Item): void => {
    const id = item.recipient.bizSerialId;
    writer.notSent(id);
    setStatus(id, LedgerStatus.notSent);
    run.notSent++;
  };
  const send = (item: Item): void => {
    if (!layout) return;
    const body = passRequest(base, content, layout, item.recipient, now());
    flight.start();
    execution.client
      .call('createPass', body)
      .then((result) => settle(item, result))
      .catch((error: unknown) => {
        bug ??= error;
      })
      .finally(() => flight.end());
  };
  const halted = (): boolean => execution.stopping || stopBatch !== undefined || bug !== undefined;

  await checkpoint();
  const progressTimer = setInterval(progress, PROGRESS_MS);
  const checkpointTimer = setInterval(checkpoint, CHECKPOINT_MS);
  let complete = false;
  try {
    // Small reads and batches: rows are parsed shortly before they are sent, so they die young
    // instead of being promoted to the old generation while they wait.
    // Intents are written for a chunk of rows at once, ahead of sending them, so that the state
    // backend sees one write per chunk (a database round trip each) while the requests of the chunk
    // before are still in flight. Rows whose intent was written but that were not sent when the batch
    // stopped are recorded as not sent.
    let chunk: Item[] = [];
    const sendChunk = async (): Promise<boolean> => {
      const items = chunk;
      chunk = [];
      if (items.length === 0) return true;
      try {
        await writer.intents(items.map((g) => g.recipient.bizSerialId));
      } catch (error) {
        execution.storageFailed(error);
        return false;
      }
      for (let i = 0; i < items.length; ) {
        if (flight.free === 0) await flight.until(refill);
        if (halted()) {
          for (const item of items.slice(i)) notSent(item);
          return false;
        }
        const group = items.slice(i, i + flight.free);
        i += group.length;
        for (const item of group) send(item);
      }
      return true;
    };
    // Small reads: rows are parsed shortly before they are sent, so they die young instead of
    // being promoted to the old generation while they wait.
    for await (const rows of readCsvRows(batch.recipients, { size: 64, chunkBytes: 64 * 1024 })) {
      for (const row of rows) {
        if (!layout) {
          layout = layoutOf(row.fields, names).layout;
          if (!layout) throw recipientsChanged(batch);
          continue;
        }
        const { recipient } = readRow(layout, address, content, row.fields, row.line);
        const slot = recipient ? table.slot(recipient.bizSerialId) : -1;
        if (!recipient || !table.markSeen(slot, row.line)) {
          run.invalid++;
          continue;
        }
        const status = table.status(slot);
        if (status === LedgerStatus.issued) continue;
        chunk.push({
          recipient,
          inDoubt: table.inDoubt(slot),
          failedBefore: status === LedgerStatus.failed,
        });
      }
      if (halted()) break;
      if (chunk.length >= intentsAhead && !(await sendChunk())) break;
    }
    if (!halted()) await sendChunk();
    complete = !halted();
  } finally {
    await flight.drain();
    clearInterval(progressTimer);
    clearInterval(checkpointTimer);
    await checkpoint();
    await writer.close().catch((error: unknown) => execution.storageFailed(error));
    failures.close(complete && run.failed === 0);
    if (failures.failure !== undefined) execution.storageFailed(failures.failure);
    progress();
  }
  if (bug !== undefined) throw bug;
  if (stopBatch) hooks.notice?.(`${address}: stopped issuing after ${stopBatch}`);
  if (run.outOfPlace > 0) {
    hooks.notice?.(
      `${address}: ${run.outOfPlace} answer(s) were signed but not for their request (a passId answered before, for another recipient: RESPONSE_OUT_OF_PLACE); those passes are treated as unknown.`,
    );
  }
  if (run.inDoubt > 0) {
    hooks.notice?.(
      `${address}: ${run.inDoubt} pass(es) have an unknown outcome; the next apply sends them again with the same bizSerialId, so none is issued twice.`,
    );
  }
  if (run.invalid > 0)
    hooks.notice?.(`${address}: ${run.invalid} row(s) skipped (invalid or duplicate; see \`ipass plan\`).`);
  const skipped = run.invalid + run.notSent + (complete ? 0 : Math.max(0, change.toIssue - done()));
  return {
    address,
    issued: run.issued,
    failed: run.failed,
    inDoubt: run.inDoubt,
    skipped,
    ...(failures.count > 0 ? { failuresFile: failuresPath } : {}),
    ...(run.failed > 0 ? { failureCodes } : {}),
  };
}

function recipientsChanged(batch: DesiredPassBatch): IpassError {
  return new IpassError(
    'RECIPIENTS_CHANGED',
    `The header row of ${batch.recipientsDisplay} no longer fits pass batch ${batch.address}.`,
    {
      reason:
        'The file changed after it was checked (no userId/openId column, or a {{column}} the batch uses is gone).',
      hint: 'Run `ipass plan` again and fix what it reports.',
    },
  );
}
