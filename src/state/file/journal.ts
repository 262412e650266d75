// Append-only JSON-lines journal. Each append is one write(2) to a file opened for append, so it
// survives the process being killed right after; appendMany writes several records in one write(2),
// so a kill leaves all of them or none. fsync at checkpoints. A torn last line (a crash
// mid-write) is ignored on reading; damage anywhere else is reported (readFileJournal: JOURNAL_CORRUPT).
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { IpassError } from '../../diagnostics/errors.js';
import { fileSystemError } from '../../shared/fs-errors.js';
import { checkJournal, type JournalRecord } from '../journal-records.js';

export class Journal {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  static open(path: string): Journal {
    return new Journal(path, openSync(path, 'a', 0o644));
  }

  append(record: object): void {
    this.write(`${JSON.stringify(record)}\n`);
  }

  appendMany(records: readonly object[]): void {
    if (records.length === 0) return;
    this.write(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private write(text: string): void {
    if (this.fd === undefined) throw new Error(`journal ${this.path} is closed`);
    const buffer = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset, buffer.length - offset);
  }
}

export type ReadJournalResult<T> =
  | { ok: true; records: T[]; tornTail: boolean }
  | { ok: false; line: number; problem: string };

/** Read a journal; undefined when there is none. */
export function readJournal<T = Record<string, unknown>>(path: string): ReadJournalResult<T> | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // Everything before the last newline was written whole; what follows it is a torn write.
  const tail = lines.pop() ?? '';
  const records: T[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch (error) {
      return { ok: false, line: i + 1, problem: (error as Error).message };
    }
  }
  const tornTail = tail !== '';
  return { ok: true, records, tornTail };
}

export function removeJournal(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The journal of an apply that did not finish, checked; undefined when there is none. */
export function readFileJournal(path: string): JournalRecord[] | undefined {
  let read: ReturnType<typeof readJournal>;
  try {
    read = readJournal(path);
  } catch (error) {
    throw fileSystemError(error, path, 'read the apply journal');
  }
  if (!read) return undefined;
  if (!read.ok) throw journalDamaged(path, read.line, read.problem);
  const checked = checkJournal(read.records);
  if (!checked.ok) throw journalDamaged(path, checked.index + 1, checked.problem);
  return checked.records;
}

function journalDamaged(path: string, line: number, problem: string): IpassError {
  return new IpassError(
    'JOURNAL_CORRUPT',
    `The apply journal ${path} is damaged at line ${line}: ${problem}.`,
    {
      reason:
        'ipass will not guess what an interrupted apply did from a damaged journal, so nothing was sent.',
      hint: 'Move the journal aside and run `ipass plan --refresh` to see what exists remotely; `ipass state import` adopts templates the state lost.',
    },
  );
}
