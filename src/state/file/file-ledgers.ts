// The file backend's pass ledgers: one append-only file per batch under the state folder (see
// ledger-format.ts), read in one streaming pass, appended to by FileLedgerWriter.
import { createReadStream, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { displayPath } from '../../diagnostics/display-path.js';
import { fileSystemError } from '../../shared/fs-errors.js';
import { atomicWriteFileSync } from '../atomic-write.js';
import type {
  LedgerExport,
  LedgerRead,
  LedgerRecord,
  LedgerRef,
  LedgerStore,
  LedgerWriter,
} from '../backend.js';
import type { KeyTable } from '../key-table.js';
import {
  confirmedLine,
  failedLine,
  headerLine,
  intentLine,
  issuedLine,
  notSentLine,
  templateLine,
} from '../ledger-format.js';
import { readLedger } from './ledger-read.js';
import { FileLedgerWriter } from './ledger-writer.js';

export class FileLedgers implements LedgerStore {
  constructor(
    readonly stateDir: string,
    private readonly cwd: string,
    /** Throws when the writer may no longer write (its run lost the lock); checked before intents. */
    private readonly guard?: () => void,
  ) {}

  pathOf(ref: LedgerRef): string {
    return resolve(this.stateDir, ref.path);
  }

  shown(ref: LedgerRef): string {
    return displayPath(this.cwd, this.pathOf(ref));
  }

  read(ref: LedgerRef, table: KeyTable): Promise<LedgerRead> {
    return readLedger(this.pathOf(ref), table, this.shown(ref));
  }

  async open(ref: LedgerRef, read: LedgerRead): Promise<LedgerWriter> {
    this.guard?.();
    try {
      return FileLedgerWriter.open(
        this.pathOf(ref),
        ref.address,
        read.exists ? read.resumeAt : undefined,
        this.guard,
      );
    } catch (error) {
      throw fileSystemError(error, this.shown(ref), 'open the pass ledger');
    }
  }

  async passIds(ref: LedgerRef, ids: ReadonlySet<string>): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const path = this.pathOf(ref);
    try {
      for await (const chunk of fileLedgerRecords(path, Number.POSITIVE_INFINITY)) {
        for (const r of chunk) if (r.t === 'S' && ids.has(r.id)) found.set(r.id, r.passId);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return found;
      throw fileSystemError(error, this.shown(ref), 'read the pass ledger');
    }
    return found;
  }

  /** This folder's ledger of `ref` as records, for copying it elsewhere (up to `read.resumeAt`). */
  exportLedger(ref: LedgerRef, read: LedgerRead): LedgerExport {
    const path = this.pathOf(ref);
    return { ref, records: () => fileLedgerRecords(path, read.resumeAt) };
  }

  /** Write a whole ledger from another backend's records (replacing any file there). Returns its recipients. */
  async importLedger(source: LedgerExport): Promise<number> {
    const lines: string[] = [headerLine(source.ref.address)];
    const ids = new Set<string>();
    for await (const chunk of source.records()) {
      for (const r of chunk) {
        lines.push(recordLine(r));
        if (r.t !== 'T') ids.add(r.id);
      }
    }
    const path = this.pathOf(source.ref);
    try {
      mkdirSync(dirname(path), { recursive: true });
      atomicWriteFileSync(path, lines.join(''));
    } catch (error) {
      throw fileSystemError(error, this.shown(source.ref), 'write the pass ledger');
    }
    return ids.size;
  }
}

function recordLine(r: LedgerRecord): string {
  switch (r.t) {
    case 'I':
      return intentLine(r.id);
    case 'S':
      return issuedLine(r.id, r.passId, r.at);
    case 'E':
      return confirmedLine(r.id, r.at);
    case 'F':
      return failedLine(r.id, r.code, r.at);
    case 'N':
      return notSentLine(r.id);
    case 'T':
      return templateLine(r.templateCode, r.at);
  }
}

/** The records of a ledger file in order, 10,000 at a time, up to byte `end` (whole lines only). */
async function* fileLedgerRecords(path: string, end: number): AsyncGenerator<LedgerRecord[]> {
  if (end === 0) return;
  const range = Number.isFinite(end) ? { start: 0, end: end - 1 } : {};
  const input = createReadStream(path, { encoding: 'utf8', ...range });
  let chunk: LedgerRecord[] = [];
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    const record = parseRecordLine(line);
    if (record) chunk.push(record);
    if (chunk.length >= 10_000) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

function parseRecordLine(line: string): LedgerRecord | undefined {
  const f = line.split('\t');
  const id = f[1] ?? '';
  switch (f[0]) {
    case 'I':
      return { t: 'I', id };
    case 'S':
      return { t: 'S', id, passId: f[2] ?? '', at: Number(f[3]) };
    case 'E':
      return { t: 'E', id, at: Number(f[2]) };
    case 'F':
      return { t: 'F', id, code: f[2] ?? '', at: Number(f[3]) };
    case 'N':
      return { t: 'N', id };
    case 'T':
      return { t: 'T', templateCode: id, at: Number(f[2]) };
    default:
      return undefined;
  }
}
