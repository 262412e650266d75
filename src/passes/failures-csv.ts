// The failures CSV of a batch's latest apply: one row per recipient whose createPass failed, with
// its line in the recipients file, the user, the bizSerialId, the result code, why and what to do.
// Created on the first failure (replacing the previous apply's file), written in groups.
import { closeSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const FAILURES_HEADER = [
  'line',
  'userId',
  'openId',
  'bizSerialId',
  'code',
  'reason',
  'whatToDo',
] as const;

export interface FailureRow {
  line: number;
  userId?: string;
  openId?: string;
  bizSerialId: string;
  code: string;
  reason: string;
  whatToDo: string;
}

/** RFC 4180 quoting, plus a leading quote mark for values a spreadsheet would run as a formula. */
export function csvValue(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function failureLine(row: FailureRow): string {
  return `${[
    String(row.line),
    row.userId ?? '',
    row.openId ?? '',
    row.bizSerialId,
    row.code,
    row.reason,
    row.whatToDo,
  ]
    .map(csvValue)
    .join(',')}\n`;
}

export class FailuresWriter {
  private fd: number | undefined;
  private buffer = '';
  count = 0;

  constructor(readonly path: string) {}

  add(row: FailureRow): void {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'w', 0o644);
      this.buffer = `${FAILURES_HEADER.join(',')}\n`;
    }
    this.count++;
    this.buffer += failureLine(row);
    if (this.buffer.length > 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.fd === undefined || this.buffer === '') return;
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  /** Close the file; with no failures this run, remove the previous run's file when `clearOld`. */
  close(clearOld: boolean): void {
    if (this.fd !== undefined) {
      this.flush();
      closeSync(this.fd);
      this.fd = undefined;
      return;
    }
    if (!clearOld) return;
    try {
      unlinkSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
