// What `ipass plan` and `ipass validate` need to know of each pass batch: the recipients file read
// once as a stream and checked row by row (file:line:col diagnostics), against the batch's ledger:
// how many rows are issued already, how many will be, which issued ones are no longer in the file.

import type { DesiredPassBatch } from '../campaign/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isErrorCode } from '../diagnostics/error-codes.js';
import { isIpassError } from '../diagnostics/errors.js';
import type { HeldBack, PassBatchSummary } from '../plan/plan-types.js';
import type { LedgerReader, LedgerRef } from '../state/backend.js';
import { type HeldFailure, KeyTable, LedgerStatus } from '../state/key-table.js';
import { defaultLedgerPath } from '../state/ledger-format.js';
import type { StateFile } from '../state/state-format.js';
import { batchHashOf, countHeld, heldBack, rowHashOf } from './held-back.js';
import { LifePlanner } from './life-plan.js';
import { batchContentJson } from './pass-content.js';
import { compileContent, placeholderNames } from './placeholders.js';
import { describeUser, layoutOf, type Recipient, type RecipientLayout, readRow } from './recipient-rows.js';
import { RecipientsCsvError, readCsvRows } from './recipients-stream.js';
import { readRevokedRows } from './revoked-rows.js';
import { RowReport } from './row-report.js';

export { MAX_ROW_DIAGNOSTICS } from './row-report.js';

export interface SummarizeInput {
  batches: readonly DesiredPassBatch[];
  /** state.passBatches[address] names the ledger (relative to stateDir). */
  state: StateFile;
  /** Where the ledgers are read from; undefined when they cannot be (each batch counts as new). */
  ledgers: LedgerReader | undefined;
  environment: string;
  /** Send recipients held back too (`--retry-failed`). */
  retryFailed?: boolean;
}

export interface SummarizeResult {
  summaries: Map<string, PassBatchSummary>;
  /**
   * Every diagnostic of every batch (the same objects as in the summaries, whose diagnostics the
   * planner reports): for `validate`, which has no plan.
   */
  diagnostics: Diagnostic[];
}

/** The ledger of a batch in an environment: the state's entry, else the default place. */
export function ledgerPathOf(state: StateFile, environment: string, address: string): string {
  return state.passBatches[address]?.ledger ?? defaultLedgerPath(environment, address);
}

export function ledgerRefOf(state: StateFile, environment: string, address: string): LedgerRef {
  return { address, path: ledgerPathOf(state, environment, address) };
}

export async function summarizePassBatches(input: SummarizeInput): Promise<SummarizeResult> {
  const summaries = new Map<string, PassBatchSummary>();
  const diagnostics: Diagnostic[] = [];
  // One batch at a time: each holds a table as large as its file and ledger.
  for (const batch of input.batches) {
    const ref = ledgerRefOf(input.state, input.environment, batch.address);
    const summary = await summarizeBatch(batch, input.ledgers, ref, input.retryFailed === true);
    summaries.set(batch.address, summary);
    diagnostics.push(...summary.diagnostics);
  }
  return { summaries, diagnostics };
}

/** How many lines of rows in doubt a summary names (for messages). */
const IN_DOUBT_LINES_SHOWN = 5;

async function summarizeBatch(
  batch: DesiredPassBatch,
  ledgers: LedgerReader | undefined,
  ref: LedgerRef,
  retryFailed: boolean,
): Promise<PassBatchSummary> {
  const table = new KeyTable();
  const ledger = ledgers ? await ledgers.read(ref, table) : undefined;
  const revoked = await readRevokedRows(batch).catch((error: unknown) => revokedUnreadable(batch, error));
  const life = new LifePlanner(batch, table, ledger?.content, 'rows' in revoked ? revoked.rows : undefined);
  life.revokedRows();
  const report = new RowReport(batch.recipientsDisplay);
  const content = compileContent(batch);
  const names = placeholderNames(
    [content.codeInfo, content.dataInfo, content.extInfo].filter((v) => v !== undefined),
  );
  const counts = newCounts();
  const batchHash = batchHashOf(batchContentJson(batch));
  let layout: RecipientLayout | undefined;
  const skip: RowSkips = {
    revokes: (id) => life.revokes(id),
    held: (slot, r) => {
      const l = layout;
      return l && heldBack(table, slot, () => rowHashOf(batchHash, l, r), retryFailed);
    },
  };
  let headerSeen = false;
  try {
    read: for await (const rows of readCsvRows(batch.recipients)) {
      for (const row of rows) {
        if (!headerSeen && report.empty) {
          headerSeen = true;
          const header = layoutOf(row.fields, names);
          for (const p of header.problems) report.add(p.code, p.message, p.hint, row.line, 1);
          layout = header.layout;
          if (!layout) break read;
          continue;
        }
        if (!layout) break read;
        counts.recipients++;
        const { recipient, problems } = readRow(layout, batch.address, content, row.fields, row.line);
        for (const p of problems) {
          if (p.severity === 'warning') report.warn(p.code, p.message, p.hint, row.line, p.col);
          else report.add(p.code, p.message, p.hint, row.line, p.col);
        }
        if (recipient && countRecipient(table, report, counts, recipient, row.line, skip))
          life.issuedRow(table.find(recipient.bizSerialId), recipient, layout, content);
      }
    }
  } catch (error) {
    readFailure(error, report);
  }
  if (!headerSeen && report.empty) {
    report.add(
      'RECIPIENTS_NO_ID_COLUMN',
      'The recipients file is empty: it has no header row.',
      'Make the first line name the columns, with userId (AlipayHK user id) or openId among them.',
      1,
      1,
    );
  }
  const lives = life.finish();
  if ('problem' in revoked) report.diagnostic(revoked.problem);
  for (const d of lives.diagnostics) report.diagnostic(d);
  return batchSummary(batch, table, counts, ledger?.templateCode, lives, report.finish());
}

function newCounts(): RowCounts {
  return {
    recipients: 0,
    alreadyIssued: 0,
    toIssue: 0,
    failedBefore: 0,
    inDoubt: 0,
    inDoubtLines: [],
    held: { count: 0, codes: {} },
  };
}

function batchSummary(
  batch: DesiredPassBatch,
  table: KeyTable,
  counts: RowCounts,
  ledgerTemplateCode: string | undefined,
  lives: Pick<PassBatchSummary, 'update' | 'close'>,
  diagnostics: Diagnostic[],
): PassBatchSummary {
  const { seen, unseen } = table.tally();
  return {
    address: batch.address,
    recipients: counts.recipients,
    alreadyIssued: counts.alreadyIssued,
    toIssue: counts.toIssue,
    failedBefore: counts.failedBefore,
    inDoubt: counts.inDoubt,
    removed: unseen[LedgerStatus.issued] ?? 0,
    issuedTotal: (seen[LedgerStatus.issued] ?? 0) + (unseen[LedgerStatus.issued] ?? 0),
    ...(ledgerTemplateCode !== undefined ? { ledgerTemplateCode } : {}),
    ...(counts.inDoubtLines.length > 0 ? { inDoubtLines: counts.inDoubtLines } : {}),
    ...(counts.held.count > 0 ? { heldBack: counts.held } : {}),
    ...(lives.update ? { update: lives.update } : {}),
    ...(lives.close ? { close: lives.close } : {}),
    diagnostics,
  };
}

interface RowCounts {
  recipients: number;
  alreadyIssued: number;
  toIssue: number;
  failedBefore: number;
  inDoubt: number;
  /** The first few lines of rows in doubt. */
  inDoubtLines: number[];
  held: HeldBack;
}

/** Rows of the file that are not sent: taken back (`revoked:`), or held back. */
interface RowSkips {
  revokes: (id: string) => boolean;
  held: (slot: number, recipient: Recipient) => HeldFailure | undefined;
}

/**
 * One readable row against the ledger: a duplicate, issued already (true), or to issue (failed
 * before, in doubt) unless revoked or held back.
 */
function countRecipient(
  table: KeyTable,
  report: RowReport,
  counts: RowCounts,
  recipient: Recipient,
  line: number,
  skip: RowSkips,
): boolean {
  const slot = table.slot(recipient.bizSerialId);
  if (!table.markSeen(slot, line)) {
    const first = table.line(slot);
    report.add(
      'RECIPIENT_DUPLICATE',
      recipient.derived
        ? `${describeUser(recipient)} is already a recipient on line ${first}; a batch gives each recipient one pass.`
        : `bizSerialId ${recipient.bizSerialId} is already used on line ${first}; each pass needs its own bizSerialId.`,
      'Delete one of the two rows (or, to give one user two passes, add a bizSerialId column with a distinct id per row).',
      line,
      1,
    );
    return false;
  }
  const status = table.status(slot);
  if (status === LedgerStatus.issued) {
    counts.alreadyIssued++;
    return true;
  }
  if (skip.revokes(recipient.bizSerialId)) return false;
  const held = status === LedgerStatus.failed ? skip.held(slot, recipient) : undefined;
  if (held) {
    countHeld(counts.held, held);
    return false;
  }
  counts.toIssue++;
  if (status === LedgerStatus.failed) counts.failedBefore++;
  if (table.inDoubt(slot)) {
    counts.inDoubt++;
    if (counts.inDoubtLines.length < IN_DOUBT_LINES_SHOWN) counts.inDoubtLines.push(line);
  }
  return false;
}

/** The revoked file could not be read to its end (it changed since it was checked). */
function revokedUnreadable(batch: DesiredPassBatch, error: unknown): { problem: Diagnostic } {
  const file = batch.revoked && 'display' in batch.revoked ? batch.revoked.display : '';
  const csv = error instanceof RecipientsCsvError;
  if (!csv && !isIpassError(error)) throw error;
  return {
    problem: {
      severity: 'error',
      code: csv ? 'RECIPIENTS_CSV_INVALID' : 'RECIPIENTS_NOT_FOUND',
      message: `The revoked file ${file} of ${batch.address} cannot be read: ${error instanceof Error ? error.message : ''}.`,
      hint: 'Fix the file (it is read like a recipients file), then plan again.',
      position: { file, line: csv ? error.line : 1, col: 1 },
    },
  };
}

/** A file that stopped reading: invalid CSV at a line, or no file at all. Anything else is thrown on. */
function readFailure(error: unknown, report: RowReport): void {
  if (error instanceof RecipientsCsvError) {
    report.add(
      'RECIPIENTS_CSV_INVALID',
      `The recipients file is not valid CSV here: ${error.message}.`,
      'Check the quotes on this line: a value with a comma, quote or line break is written in double quotes, and a quote inside it is doubled ("").',
      error.line,
      1,
    );
  } else if (isIpassError(error) && isErrorCode(error.code)) {
    // The file is refused (gone, or not a regular file) as recipients-stream.ts opened it.
    report.add(error.code, error.message, error.hint ?? '', 1, 1);
  } else throw error;
}
