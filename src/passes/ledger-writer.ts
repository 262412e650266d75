// Appends to a pass ledger. Intents are written (one write(2) per group) before their requests go
// out; outcomes are gathered and written at the end of the current turn of the event loop, so each
// is on disk moments after its response arrived. fsync at checkpoints and on close.
import { closeSync, fsyncSync, mkdirSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { headerLine, intentLine } from './ledger-format.js';

export class LedgerWriter {
  private fd: number | undefined;
  private pending: string[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Open for appending; cuts a torn last line off first (validBytes from readLedger). */
  static open(path: string, address: string, validBytes: number | undefined): LedgerWriter {
    mkdirSync(dirname(path), { recursive: true });
    let size = 0;
    try {
      size = statSync(path).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (validBytes !== undefined && size > validBytes) truncateSync(path, validBytes);
    const writer = new LedgerWriter(path, openSync(path, 'a', 0o644));
    if (size === 0 || validBytes === 0) writer.write(headerLine(address));
    return writer;
  }

  /** Written at once: the requests for these ids may be sent as soon as this returns. */
  intents(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.flush();
    let text = '';
    for (const id of ids) text += intentLine(id);
    this.write(text);
  }

  /** Written at the end of this turn of the event loop (with the other outcomes of the turn). */
  record(line: string): void {
    this.pending.push(line);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.write(text);
  }

  sync(): void {
    this.flush();
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      this.sync();
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private write(text: string): void {
    if (this.fd === undefined) throw new Error(`ledger ${this.path} is closed`);
    const buffer = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset, buffer.length - offset);
  }
}
