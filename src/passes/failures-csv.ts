// The failures CSV of a batch's latest apply: one row per recipient whose createPass failed, with
// its line in the recipients file, the row's own columns as the file has them (name and all), the
// bizSerialId, the result code, why and what to do.
// Created on the first failure (replacing the previous apply's file), written in groups, and put
// in line order when the apply's batch ends.
import { closeSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { IpassError } from '../diagnostics/errors.js';
import { escapeControl } from '../diagnostics/terminal-text.js';
import { fileSystemError } from '../shared/fs-errors.js';

/** The columns ipass adds around the recipient's own: `line` first, the result after. */
const OWN_FIRST = ['line'] as const;
const OWN_LAST = ['code', 'reason', 'whatToDo'] as const;

/**
 * The header for a recipients file with these columns: line, the file's columns in its order,
 * bizSerialId (when the file has none), code, reason, whatToDo. A column of ipass's that the
 * file also has is named `ipass_<name>`, so every column keeps one meaning.
 */
export function failuresHeader(columns: readonly string[]): string[] {
  const theirs = new Set(columns);
  const own = (name: string): string => (theirs.has(name) ? `ipass_${name}` : name);
  return [
    ...OWN_FIRST.map(own),
    ...columns,
    ...(theirs.has('bizSerialId') ? [] : ['bizSerialId']),
    ...OWN_LAST.map(own),
  ];
}

export interface FailureRow {
  line: number;
  /** The row's values, one per column of the recipients file. */
  fields: readonly string[];
  bizSerialId: string;
  code: string;
  reason: string;
  whatToDo: string;
}

/** What starts a formula in a spreadsheet cell (OWASP, CSV injection). */
const FORMULA = new Set(['=', '+', '-', '@']);
/** Where a spreadsheet may split a cell on import (comma, semicolon, tab, pipe). */
const SEPARATOR = new Set([',', ';', '\t', '|', '\r', '\n']);

/**
 * A value as one CSV cell that no spreadsheet runs: control and invisible characters written as
 * escapes (`\x1b`, `\t`, `<U+202E>`), and a quote mark put before `= + - @` wherever a cell could
 * start (the start of the value, or after a separator a spreadsheet may split on, spaces allowed
 * between); then RFC 4180 quoting. Linear.
 */
export function csvValue(value: string): string {
  let safe = '';
  let cellStart = true;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (cellStart && FORMULA.has(ch)) safe += "'";
    safe += ch;
    if (SEPARATOR.has(ch)) cellStart = true;
    else if (ch !== ' ') cellStart = false;
  }
  // Tabs, CR and LF are escaped as well: a tab starts a cell, a line break a row.
  safe = escapeControl(safe);
  return /[",]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function failureLine(row: FailureRow, columns: readonly string[]): string {
  const fields = columns.map((_, i) => row.fields[i] ?? '');
  return `${[
    String(row.line),
    ...fields,
    ...(columns.includes('bizSerialId') ? [] : [row.bizSerialId]),
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
  private bytes = 0;
  // Where each row sits in the file, so that close() can put rows that came back out of order
  // (requests run concurrently) into line order without holding the rows themselves.
  private lines = new Float64Array(256);
  private offsets = new Float64Array(256);
  private lengths = new Uint32Array(256);
  private inOrder = true;
  count = 0;
  /** The first file-system failure (a coded error): the report stops there, the ledger has the rows. */
  failure: unknown;

  /** `columns`: the recipients file's header row (set once it is read, before the first failure). */
  constructor(
    readonly path: string,
    public columns: readonly string[] = [],
  ) {}

  private get header(): string {
    return `${failuresHeader(this.columns).map(csvValue).join(',')}\n`;
  }

  add(row: FailureRow): void {
    this.guard(() => this.addRow(row));
  }

  /** Close the file; with no failures this run, remove the previous run's file when `clearOld`. */
  close(clearOld: boolean): void {
    this.guard(() => this.closeFile(clearOld));
  }

  private guard(work: () => void): void {
    if (this.failure !== undefined) return;
    try {
      work();
    } catch (error) {
      const coded = fileSystemError(
        error,
        this.path,
        'write the failures report',
        'The failed rows are in the pass ledger all the same, and the next apply tries them again.',
      );
      if (!(coded instanceof IpassError)) throw error;
      this.failure = coded;
      if (this.fd !== undefined) {
        try {
          closeSync(this.fd);
        } catch {}
        this.fd = undefined;
      }
    }
  }

  private addRow(row: FailureRow): void {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'w', 0o644);
      this.buffer = this.header;
      this.bytes = this.buffer.length;
    }
    const text = failureLine(row, this.columns);
    const length = Buffer.byteLength(text);
    this.index(row.line, length);
    this.count++;
    this.bytes += length;
    this.buffer += text;
    if (this.buffer.length > 64 * 1024) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.buffer === '') return;
    const bytes = Buffer.from(this.buffer, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
    this.buffer = '';
  }

  private closeFile(clearOld: boolean): void {
    if (this.fd !== undefined) {
      this.flush();
      closeSync(this.fd);
      this.fd = undefined;
      if (!this.inOrder) this.sortByLine();
      return;
    }
    if (!clearOld) return;
    try {
      unlinkSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  private index(line: number, length: number): void {
    const i = this.count;
    if (i === this.lines.length) {
      this.lines = grow(this.lines);
      this.offsets = grow(this.offsets);
      this.lengths = grow(this.lengths);
    }
    if (i > 0 && line < (this.lines[i - 1] as number)) this.inOrder = false;
    this.lines[i] = line;
    this.offsets[i] = this.bytes;
    this.lengths[i] = length;
  }

  /** Rewrite the file with its rows in line order, then rename it over the unsorted one. */
  private sortByLine(): void {
    const order = Uint32Array.from({ length: this.count }, (_, i) => i).sort(
      (a, b) => (this.lines[a] as number) - (this.lines[b] as number),
    );
    const source = openSync(this.path, 'r');
    const temporary = `${this.path}.sorting`;
    const target = openSync(temporary, 'w', 0o644);
    try {
      let out = Buffer.allocUnsafe(256 * 1024);
      let used = out.write(this.header);
      for (const i of order) {
        const length = this.lengths[i] as number;
        if (used + length > out.length) {
          writeSync(target, out, 0, used);
          used = 0;
          if (length > out.length) out = Buffer.allocUnsafe(length);
        }
        readSync(source, out, used, length, this.offsets[i] as number);
        used += length;
      }
      writeSync(target, out, 0, used);
    } finally {
      closeSync(source);
      closeSync(target);
    }
    renameSync(temporary, this.path);
  }
}

function grow<T extends Float64Array | Uint32Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
