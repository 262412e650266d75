// Reads a pass ledger into a KeyTable in one streaming pass. A torn last line (a crash mid-write) is
// ignored and its offset reported, so the writer can cut it off; damage anywhere else is an error.
import { createReadStream } from 'node:fs';
import { IpassError } from '../../diagnostics/errors.js';
import { fileSystemError } from '../../shared/fs-errors.js';
import type { LedgerRead } from '../backend.js';
import type { KeyTable } from '../key-table.js';
import { fieldCount, foldRecord, isLifeRecord, LEDGER_MAGIC } from '../ledger-format.js';
import { foldLife } from '../pass-life.js';

const NL = 0x0a;
const TAB = 0x09;

function digitsOnly(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i] ?? 0;
    if (c < 0x30 || c > 0x39) return false;
  }
  return end > start;
}

/**
 * Where the id (bizSerialId or template code) of the record on buf[start, end) ends, once its fields
 * are what its type says; otherwise why not.
 */
function recordIdEnd(buf: Buffer, start: number, end: number, type: string): number | string {
  const expected = fieldCount(type);
  if (expected === undefined || buf[start + 1] !== TAB) return `unknown record "${type}"`;
  // The bizSerialId (or template code) runs to the next tab or the end of the line.
  let idEnd = buf.indexOf(TAB, start + 2);
  if (idEnd === -1 || idEnd > end) idEnd = end;
  let fields = 1;
  for (let i = idEnd; i < end; i = buf.indexOf(TAB, i + 1)) {
    if (i === -1) break;
    fields++;
  }
  if (fields !== expected || idEnd === start + 2) return `a "${type}" record needs ${expected} fields`;
  if (expected > 1) {
    // The last field is a time in milliseconds; a passId or code between is never empty.
    const lastTab = buf.lastIndexOf(TAB, end - 1);
    if (lastTab === end - 1 || !digitsOnly(buf, lastTab + 1, end))
      return `the last field of a "${type}" record must be a time in milliseconds`;
    if (expected > 2 && buf[idEnd + 1] === TAB) return `a "${type}" record has an empty field`;
  }
  return idEnd;
}

export async function readLedger(path: string, table: KeyTable, shownPath = path): Promise<LedgerRead> {
  const result: LedgerRead = {
    exists: true,
    resumeAt: 0,
    tornTail: false,
    records: 0,
    templateCode: undefined,
  };
  let carry: Buffer | undefined;
  let offset = 0;
  let lineNo = 0;
  const damaged = (why: string): IpassError =>
    new IpassError(
      'PASS_LEDGER_CORRUPT',
      `The pass ledger ${shownPath} is damaged at line ${lineNo}: ${why}.`,
      {
        reason: 'ipass will not guess which passes were issued from a damaged ledger, so nothing was sent.',
        hint: 'Restore the file from a backup if you have one. Otherwise move it aside: the next apply re-sends every row with the same bizSerialIds, and passes that already exist are recognized (PASS_HAS_EXIST) and counted as issued.',
      },
    );

  const line = (buf: Buffer, start: number, end: number): void => {
    lineNo++;
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (end === start) return;
    const type = String.fromCharCode(buf[start] ?? 0);
    if (type === '#') {
      if (lineNo === 1 && !buf.toString('utf8', start, end).startsWith(LEDGER_MAGIC)) {
        throw damaged(`it does not start with "${LEDGER_MAGIC}"`);
      }
      return;
    }
    const idEnd = recordIdEnd(buf, start, end, type);
    if (typeof idEnd === 'string') throw damaged(idEnd);
    const id = buf.toString('utf8', start + 2, idEnd);
    result.records++;
    if (type === 'T') result.templateCode = id;
    else if (type === 'K') result.content = id;
    else if (isLifeRecord(type)) foldLife(table, type, id, buf.toString('utf8', idEnd + 1, end).split('\t'));
    else
      foldRecord(
        table,
        type,
        id,
        type === 'F' ? buf.toString('utf8', idEnd + 1, buf.lastIndexOf(TAB, end - 1)) : '',
      );
  };

  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      let buf = chunk as Buffer;
      if (carry) {
        buf = Buffer.concat([carry, buf]);
        carry = undefined;
      }
      let start = 0;
      for (let nl = buf.indexOf(NL); nl !== -1; nl = buf.indexOf(NL, start)) {
        line(buf, start, nl);
        start = nl + 1;
      }
      offset += start;
      if (start < buf.length) carry = buf.subarray(start);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...result, exists: false };
    if (error instanceof IpassError) throw error;
    throw fileSystemError(error, shownPath, 'read the pass ledger');
  }
  result.resumeAt = offset;
  result.tornTail = carry !== undefined && carry.length > 0;
  return result;
}
