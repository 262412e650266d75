// Which user files are UTF-8 text: UTF-8 with or without a byte order mark is read; UTF-16/32 (by
// their byte order mark, or the NUL bytes of ASCII text in them), binary data (NUL bytes) and bytes
// that are not UTF-8 (Big5, Latin-1, …) are found with the line and column where it shows. Bytes
// arrive in chunks, so a file of any size is checked as it streams by. Pure.
import { isUtf8 } from 'node:buffer';

export interface EncodingProblem {
  kind: 'utf16le' | 'utf16be' | 'utf32' | 'binary' | 'not-utf8';
  /** 1-based line and column (in characters) of the first offending byte. */
  line: number;
  col: number;
  /** The offending byte, for `binary` and `not-utf8`. */
  byte?: number;
}

/** "UTF-16 (little-endian) text", "binary data", … */
export function describeEncoding(p: EncodingProblem): string {
  switch (p.kind) {
    case 'utf16le':
      return 'UTF-16 (little-endian) text';
    case 'utf16be':
      return 'UTF-16 (big-endian) text';
    case 'utf32':
      return 'UTF-32 text';
    case 'binary':
      return 'binary data, not text (it contains a NUL byte)';
    case 'not-utf8':
      return `not UTF-8 (byte 0x${(p.byte ?? 0).toString(16).toUpperCase().padStart(2, '0')}), probably Big5 or another older encoding`;
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const SNIFF_BYTES = 512;
/** Bytes of the current line kept to count the column of a problem found later. */
const LINE_TAIL_BYTES = 4096;

/** Feed the bytes of a file in order; `end()` gives the first problem, if any. */
export class Utf8Check {
  private started = false;
  private problem: EncodingProblem | undefined;
  private carry: Buffer = Buffer.alloc(0);
  private lines = 0;
  private lineTail: Buffer = Buffer.alloc(0);
  /** True once the file started with a UTF-8 byte order mark. */
  bom = false;

  get failed(): boolean {
    return this.problem !== undefined;
  }

  feed(chunk: Uint8Array): void {
    if (this.problem) return;
    let data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk);
    if (!this.started) {
      if (data.length < 4 && data.length < SNIFF_BYTES) {
        this.carry = data; // too little to tell yet
        return;
      }
      this.started = true;
      const kind = sniff(data);
      if (kind) {
        this.problem = { kind, line: 1, col: 1 };
        return;
      }
      if (UTF8_BOM.every((b, i) => data[i] === b)) {
        this.bom = true;
        data = data.subarray(3);
      }
    }
    const cut = completeLength(data);
    const whole = data.subarray(0, cut);
    this.carry = Buffer.from(data.subarray(cut));
    this.check(whole);
  }

  end(): EncodingProblem | undefined {
    if (!this.started && !this.problem) {
      this.started = true;
      const kind = this.carry.length > 0 ? sniff(this.carry) : undefined;
      if (kind) this.problem = { kind, line: 1, col: 1 };
      else if (UTF8_BOM.every((b, i) => this.carry[i] === b)) {
        this.bom = true;
        this.carry = this.carry.subarray(3);
      }
    }
    if (!this.problem && this.carry.length > 0) this.check(this.carry);
    this.carry = Buffer.alloc(0);
    return this.problem;
  }

  private check(data: Buffer): void {
    if (this.problem || data.length === 0) return;
    const nul = data.indexOf(0);
    const valid = isUtf8(data);
    if (nul === -1 && valid) {
      this.advance(data);
      return;
    }
    const invalid = valid ? -1 : firstInvalid(data);
    const at = invalid === -1 ? nul : nul === -1 ? invalid : Math.min(nul, invalid);
    if (at === -1) {
      this.advance(data);
      return;
    }
    const before = data.subarray(0, at);
    this.advance(before);
    const kind = at === nul ? 'binary' : 'not-utf8';
    this.problem = {
      kind,
      line: this.lines + 1,
      col: [...this.lineTail.toString('utf8')].length + 1,
      byte: data[at] ?? 0,
    };
  }

  /** Count the lines of `data` and keep the start of the current line. */
  private advance(data: Buffer): void {
    let last = -1;
    for (let i = data.indexOf(0x0a); i !== -1; i = data.indexOf(0x0a, i + 1)) {
      this.lines++;
      last = i;
    }
    const rest = data.subarray(last + 1);
    this.lineTail =
      last === -1
        ? Buffer.concat([this.lineTail, rest]).subarray(0, LINE_TAIL_BYTES)
        : Buffer.from(rest.subarray(0, LINE_TAIL_BYTES));
  }
}

/** Whole file → its text (byte order mark removed), or the problem. */
export function decodeUtf8(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; problem: EncodingProblem } {
  const check = new Utf8Check();
  check.feed(bytes);
  const problem = check.end();
  if (problem) return { ok: false, problem };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return { ok: true, text: check.bom ? text.slice(1) : text };
}

/** UTF-16/32 by byte order mark or by the NUL bytes of ASCII text in it. */
function sniff(data: Uint8Array): EncodingProblem['kind'] | undefined {
  const [a, b, c, d] = [data[0], data[1], data[2], data[3]];
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff))
    return 'utf32';
  if (a === 0xff && b === 0xfe) return 'utf16le';
  if (a === 0xfe && b === 0xff) return 'utf16be';
  const n = Math.min(data.length, SNIFF_BYTES) & ~1;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (data[i] === 0) evenNul++;
    if (data[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (pairs === 0) return undefined;
  if (oddNul > pairs * 0.3 && evenNul === 0) return 'utf16le';
  if (evenNul > pairs * 0.3 && oddNul === 0) return 'utf16be';
  return undefined;
}

/** Length of `data` without a UTF-8 sequence cut off at its end. */
function completeLength(data: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= data.length; back++) {
    const byte = data[data.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? data.length - back : data.length;
  }
  return data.length;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (-1 when all do). */
function firstInvalid(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n === -1) return i;
    if (i + n >= b.length) return i; // cut off at the end of the file
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    const second = b[i + 1] ?? -1;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= n; k++) {
      const next = b[i + k] ?? -1;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += n + 1;
  }
  return -1;
}
