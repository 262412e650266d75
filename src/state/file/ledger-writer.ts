// Appends to a pass ledger file. Intents are written (one write(2) per group) before their requests
// go out; outcomes are gathered and written at the end of the current turn of the event loop, so each
// is on disk moments after its response arrived. fsync at checkpoints and on close. A failed write
// (a full disk, say) is kept and reported by the next intents/flush/close.
import { closeSync, fsyncSync, mkdirSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileSystemError } from '../../shared/fs-errors.js';
import type { LedgerWriter } from '../backend.js';
import {
  confirmedLine,
  failedLine,
  headerLine,
  intentLine,
  issuedLine,
  notSentLine,
  templateLine,
} from '../ledger-format.js';
import {
  batchContentLine,
  type ChangeKind,
  changeFailedLine,
  changeIntentLine,
  changeNotSentLine,
  contentLine,
  type LifeWord,
  lifeLine,
  type PassContent,
} from '../pass-life.js';

export class FileLedgerWriter implements LedgerWriter {
  private fd: number | undefined;
  private pending: string[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private failure: unknown;

  private constructor(
    readonly path: string,
    fd: number,
    private readonly guard: (() => void) | undefined,
  ) {
    this.fd = fd;
  }

  /**
   * Open for appending; cuts a torn last line off first (resumeAt from the ledger read). `guard`
   * throws when intents may no longer be written (the run lost its lock).
   */
  static open(
    path: string,
    address: string,
    resumeAt: number | undefined,
    guard?: () => void,
  ): FileLedgerWriter {
    mkdirSync(dirname(path), { recursive: true });
    let size = 0;
    try {
      size = statSync(path).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (resumeAt !== undefined && size > resumeAt) truncateSync(path, resumeAt);
    const writer = new FileLedgerWriter(path, openSync(path, 'a', 0o644), guard);
    if (size === 0 || resumeAt === 0) writer.write(headerLine(address));
    return writer;
  }

  template(templateCode: string, at: number): void {
    this.record(templateLine(templateCode, at));
  }

  /** Written at once: the requests for these ids may be sent as soon as this resolves. */
  async intents(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    this.guard?.();
    this.flushNow();
    let text = '';
    for (const id of ids) text += intentLine(id);
    this.write(text);
    this.throwFailure();
  }

  issued(id: string, passId: string, at: number): void {
    this.record(issuedLine(id, passId, at));
  }

  confirmed(id: string, at: number): void {
    this.record(confirmedLine(id, at));
  }

  failed(id: string, code: string, at: number): void {
    this.record(failedLine(id, code, at));
  }

  notSent(id: string): void {
    this.record(notSentLine(id));
  }

  content(id: string, content: PassContent, at: number): void {
    this.record(contentLine(id, content, at));
  }

  /** Written at once, like intents. */
  async changeIntents(ids: readonly string[], kind: ChangeKind, at: number): Promise<void> {
    if (ids.length === 0) return;
    this.guard?.();
    this.flushNow();
    let text = '';
    for (const id of ids) text += changeIntentLine(id, kind, at);
    this.write(text);
    this.throwFailure();
  }

  life(id: string, life: LifeWord, at: number): void {
    this.record(lifeLine(id, life, at));
  }

  changeFailed(id: string, code: string, at: number): void {
    this.record(changeFailedLine(id, code, at));
  }

  changeNotSent(id: string): void {
    this.record(changeNotSentLine(id));
  }

  batchContent(json: string, at: number): void {
    this.record(batchContentLine(json, at));
  }

  async flush(): Promise<void> {
    this.flushNow();
    this.throwFailure();
  }

  async checkpoint(): Promise<void> {
    this.flushNow();
    if (this.fd !== undefined && this.failure === undefined) {
      try {
        fsyncSync(this.fd);
      } catch (error) {
        this.failure ??= error;
      }
    }
    this.throwFailure();
  }

  async close(): Promise<void> {
    if (this.fd === undefined) return;
    try {
      await this.checkpoint();
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  /** Written at the end of this turn of the event loop (with the other outcomes of the turn). */
  private record(line: string): void {
    this.pending.push(line);
    this.scheduled ??= setImmediate(() => this.flushNow());
  }

  private flushNow(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.write(text);
  }

  private write(text: string): void {
    if (this.failure !== undefined) return;
    if (this.fd === undefined) throw new Error(`ledger ${this.path} is closed`);
    const buffer = Buffer.from(text, 'utf8');
    let offset = 0;
    try {
      while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset, buffer.length - offset);
    } catch (error) {
      // What did not reach the file stays in doubt; later records would be out of order, so none follow.
      this.failure = error;
    }
  }

  private throwFailure(): void {
    if (this.failure !== undefined)
      throw fileSystemError(
        this.failure,
        this.path,
        'write the pass ledger',
        'The passes whose outcome could not be recorded are sent again by the next apply with the same bizSerialId, so none is issued twice.',
      );
  }
}
