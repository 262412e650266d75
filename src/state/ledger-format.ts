// The pass ledger's line format (one file per environment and batch, append-only, one record per
// line, tab-separated; see docs/passes.md) and how its records fold into a KeyTable (pure).
import { posix } from 'node:path';
import { parseFailureCode } from './failure-code.js';
import { type KeyTable, LedgerStatus } from './key-table.js';
import { LIFE_FIELDS, markPassId } from './pass-life.js';

export const LEDGER_MAGIC = '# ipass pass ledger v1';

export function headerLine(address: string): string {
  return `${LEDGER_MAGIC} ${address}\n`;
}

/**
 * The records; `#` lines are comments (the first names the format and the batch address).
 *   I <id>                   intent: about to send createPass with this bizSerialId
 *   S <id> <passId> <ms>     issued (the passId the API returned, and when)
 *   E <id> <ms>              issued: PASS_HAS_EXIST for an id that can only have been ours
 *   F <id> <code> <ms>       failed with this result code: tried again by the next apply, unless
 *                            permanent (`CODE~<row hash>`, failure-code.ts: held back until the row
 *                            changes or --retry-failed)
 *   N <id>                   the attempt certainly did not reach the API
 *   T <templateCode> <ms>    the template the following records are for
 */
export const intentLine = (id: string): string => `I\t${id}\n`;
export const issuedLine = (id: string, passId: string, at: number): string => `S\t${id}\t${passId}\t${at}\n`;
export const confirmedLine = (id: string, at: number): string => `E\t${id}\t${at}\n`;
export const failedLine = (id: string, code: string, at: number): string => `F\t${id}\t${code}\t${at}\n`;
export const notSentLine = (id: string): string => `N\t${id}\n`;
export const templateLine = (templateCode: string, at: number): string => `T\t${templateCode}\t${at}\n`;

/** Record types that carry a bizSerialId, with the number of fields after the type. */
const FIELDS: Readonly<Record<string, number>> = { I: 1, S: 3, E: 2, F: 3, N: 1, T: 2 };

export function fieldCount(type: string): number | undefined {
  return FIELDS[type] ?? LIFE_FIELDS[type];
}

/** A record about a pass's life after issuing (pass-life.ts). */
export const isLifeRecord = (type: string): boolean => LIFE_FIELDS[type] !== undefined;

/**
 * Apply one record about `id` to the table: an outcome replaces an intent; issued is final; an
 * attempt left in doubt is remembered until the pass is confirmed (see KeyTable.inDoubt); a
 * failure's `code` (F records) says whether it holds the recipient back.
 */
export function foldRecord(table: KeyTable, type: string, id: string, code = ''): void {
  const slot = table.slot(id);
  const before = table.status(slot);
  switch (type) {
    case 'I':
      // An intent after an intent without outcome: that earlier attempt stays in doubt, whatever
      // this one ends with (short of an issued record).
      if (before === LedgerStatus.inDoubt) table.markDoubted(slot);
      if (before !== LedgerStatus.issued) table.setStatus(slot, LedgerStatus.inDoubt);
      return;
    case 'S':
      table.setStatus(slot, LedgerStatus.issued);
      markPassId(table, slot, true);
      return;
    case 'E':
      if (before !== LedgerStatus.issued) markPassId(table, slot, false);
      table.setStatus(slot, LedgerStatus.issued);
      return;
    case 'F':
      if (before !== LedgerStatus.issued) {
        table.setStatus(slot, LedgerStatus.failed);
        foldFailureCode(table, slot, code);
      }
      return;
    case 'N':
      if (before === LedgerStatus.inDoubt) table.setStatus(slot, LedgerStatus.notSent);
      return;
  }
}

/** A failure's code on a slot now failed: held back when permanent (both backends' readers use it). */
export function foldFailureCode(table: KeyTable, slot: number, text: string): void {
  const f = parseFailureCode(text);
  table.setFailure(slot, f.permanent ? { code: f.code, rowHash: f.rowHash } : undefined);
}

/** `<env>.passes/<campaign>/<key>.ledger`, relative to the state folder (posix separators). */
export function defaultLedgerPath(environment: string, address: string): string {
  const [campaign = '', key = ''] = address.split('/');
  return posix.join(`${environment}.passes`, campaign, `${key}.ledger`);
}

/** The failures CSV of the latest apply of a batch, next to its ledger. */
export function failuresPathOf(ledger: string): string {
  return `${ledger.replace(/\.ledger$/, '')}.failures.csv`;
}
