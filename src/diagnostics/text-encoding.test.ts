import { describe, expect, it } from 'vitest';
import { decodeUtf8, describeEncoding, Utf8Check } from './text-encoding.js';

const utf16le = (text: string, bom = true): Buffer =>
  Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string, bom = true): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] ?? 0, le[i] ?? 0];
  return Buffer.concat([bom ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0), le]);
};
const kindOf = (bytes: Uint8Array) => {
  const r = decodeUtf8(bytes);
  return r.ok ? 'ok' : r.problem.kind;
};

describe('decodeUtf8', () => {
  it('reads UTF-8 with or without a byte order mark, which is dropped', () => {
    const text = 'campaign: 夏日\nname: Café ☕\n';
    expect(decodeUtf8(Buffer.from(text))).toEqual({ ok: true, text });
    expect(decodeUtf8(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({
      ok: true,
      text,
    });
    expect(decodeUtf8(Buffer.alloc(0))).toEqual({ ok: true, text: '' });
  });

  it('names UTF-16 (either byte order, with or without a byte order mark) and UTF-32', () => {
    const text = 'templates:\n  coffee:\n    stock: 1\n';
    expect(kindOf(utf16le(text))).toBe('utf16le');
    expect(kindOf(utf16le(text, false))).toBe('utf16le');
    expect(kindOf(utf16be(text))).toBe('utf16be');
    expect(kindOf(utf16be(text, false))).toBe('utf16be');
    expect(kindOf(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]))).toBe('utf32');
  });

  it('finds binary data and other encodings at their line and column', () => {
    const binary = decodeUtf8(Buffer.concat([Buffer.from('a: 1\nbb'), Buffer.from([0, 1, 2])]));
    expect(binary).toEqual({ ok: false, problem: { kind: 'binary', line: 2, col: 3, byte: 0 } });
    // 陳大文 in Big5, after "name: " on line 2.
    const big5 = Buffer.concat([
      Buffer.from('a: 1\nname: '),
      Buffer.from([0xb3, 0xaf, 0xa4, 0x6a, 0xa4, 0xe5]),
    ]);
    const r = decodeUtf8(big5);
    expect(r).toEqual({ ok: false, problem: { kind: 'not-utf8', line: 2, col: 7, byte: 0xb3 } });
    if (!r.ok) expect(describeEncoding(r.problem)).toMatch(/not UTF-8 \(byte 0xB3\), probably Big5/);
    expect(kindOf(Buffer.from([0x61, 0xc3]))).toBe('not-utf8'); // cut off at the end
    expect(kindOf(Buffer.from([0xed, 0xa0, 0x80]))).toBe('not-utf8'); // a UTF-16 surrogate
    expect(kindOf(Buffer.from([0xc0, 0xaf]))).toBe('not-utf8'); // overlong
  });
});

describe('Utf8Check', () => {
  it('accepts characters split across chunks, and counts lines and columns across them', () => {
    const bytes = Buffer.from('line 1\n咖啡 ☕ café\n咖啡\u00ff');
    for (let size = 1; size <= 7; size++) {
      const check = new Utf8Check();
      for (let i = 0; i < bytes.length; i += size) check.feed(bytes.subarray(i, i + size));
      expect(check.end(), `chunks of ${size}`).toBeUndefined();
    }
    const bad = Buffer.concat([Buffer.from('x\n咖啡'), Buffer.from([0xa6, 0x41])]);
    for (let size = 1; size <= 5; size++) {
      const check = new Utf8Check();
      for (let i = 0; i < bad.length; i += size) check.feed(bad.subarray(i, i + size));
      expect(check.end(), `chunks of ${size}`).toMatchObject({ kind: 'not-utf8', line: 2, col: 3 });
    }
  });
});
