import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvValue, FailuresWriter, failuresHeader } from './failures-csv.js';

describe('failures CSV: cells and columns', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvValue('plain')).toBe('plain');
    expect(csvValue('a, "b"')).toBe('"a, ""b"""');
    expect(csvValue('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it("replaces the previous file on the first failure, and reads back as CSV with the row's own columns", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ipass-failures-')), 'sub', 'b.failures.csv');
    const w = new FailuresWriter(path, ['userId', 'name', 'store']);
    const row = { line: 7, fields: ['2999000000000001', '陳大文, Peter', 'TST'], bizSerialId: 'abc' };
    w.add({
      ...row,
      code: 'USER_NOT_EXIST',
      reason: 'AlipayHK knows no user with this userId, or openId.',
      whatToDo: 'Check the row.',
    });
    w.close(false);
    const rows = parse(readFileSync(path, 'utf8')) as string[][];
    expect(rows).toEqual([
      ['line', 'userId', 'name', 'store', 'bizSerialId', 'code', 'reason', 'whatToDo'],
      [
        '7',
        '2999000000000001',
        '陳大文, Peter',
        'TST',
        'abc',
        'USER_NOT_EXIST',
        'AlipayHK knows no user with this userId, or openId.',
        'Check the row.',
      ],
    ]);
  });

  it("keeps the file's own bizSerialId column, and renames its own columns that the file also has", () => {
    expect(failuresHeader(['openId', 'bizSerialId', 'code', 'line'])).toEqual([
      'ipass_line',
      'openId',
      'bizSerialId',
      'code',
      'line',
      'ipass_code',
      'reason',
      'whatToDo',
    ]);
  });
});

describe('failures CSV: the file', () => {
  it('puts rows that came back out of order into line order, across flushes', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ipass-failures-')), 'b.failures.csv');
    const w = new FailuresWriter(path, ['userId']);
    // Requests finish in any order: add 3,000 rows shuffled, with multi-byte reasons, one row
    // larger than the copy buffer, so that offsets count bytes and several flushes happen.
    const lines = Array.from({ length: 3000 }, (_, i) => i + 2);
    for (let i = lines.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [lines[i], lines[j]] = [lines[j] as number, lines[i] as number];
    }
    const reason = (line: number): string =>
      line === 1500 ? 'x'.repeat(300_000) : `找不到用戶 ${line} — "quoted", twice`;
    for (const line of lines) {
      w.add({
        line,
        fields: [String(2999000000000000 + line)],
        bizSerialId: `b${line}`,
        code: 'USER_NOT_EXIST',
        reason: reason(line),
        whatToDo: 'Check the row.',
      });
    }
    w.close(false);
    const rows = parse(readFileSync(path, 'utf8')) as string[][];
    expect(rows[0]).toEqual(['line', 'userId', 'bizSerialId', 'code', 'reason', 'whatToDo']);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(lines.toSorted((a, b) => a - b));
    expect(rows.slice(1).every((r) => r[2] === `b${r[0]}` && r[4] === reason(Number(r[0])))).toBe(true);
    expect(existsSync(`${path}.sorting`)).toBe(false);
  });

  it('removes an old file after a run without failures only when asked', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ipass-failures-')), 'b.failures.csv');
    writeFileSync(path, 'old');
    new FailuresWriter(path).close(false);
    expect(existsSync(path)).toBe(true);
    new FailuresWriter(path).close(true);
    expect(existsSync(path)).toBe(false);
  });
});

describe('failures CSV cells', () => {
  it('neutralises a formula wherever a spreadsheet could start a cell, and escapes control characters', () => {
    expect(csvValue("x;=cmd|' /C calc'!A0")).toBe("x;'=cmd|' /C calc'!A0");
    expect(csvValue('a|+1, -2\t@SUM(A1)')).toBe(`"a|'+1, '-2\\t'@SUM(A1)"`);
    expect(csvValue('  =1+1')).toBe("  '=1+1");
    expect(csvValue('\t=1')).toBe("\\t'=1");
    expect(csvValue('\r=1\n-2')).toBe("\\r'=1\\n'-2");
    expect(csvValue('red \u001b[31m text \u202e')).toBe('red \\x1b[31m text <U+202E>');
    expect(csvValue('a-b=c')).toBe('a-b=c');
  });
});
