import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvValue, FAILURES_HEADER, FailuresWriter } from './failures-csv.js';

describe('failures CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvValue('plain')).toBe('plain');
    expect(csvValue('a, "b"')).toBe('"a, ""b"""');
    expect(csvValue('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('replaces the previous file on the first failure, and reads back as CSV', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ipass-failures-')), 'sub', 'b.failures.csv');
    const w = new FailuresWriter(path);
    const row = { line: 7, userId: '2999000000000001', bizSerialId: 'abc', code: 'USER_NOT_EXIST' };
    w.add({
      ...row,
      reason: 'AlipayHK knows no user with this userId, or openId.',
      whatToDo: 'Check the row.',
    });
    w.close(false);
    const rows = parse(readFileSync(path, 'utf8')) as string[][];
    expect(rows).toEqual([
      [...FAILURES_HEADER],
      [
        '7',
        '2999000000000001',
        '',
        'abc',
        'USER_NOT_EXIST',
        'AlipayHK knows no user with this userId, or openId.',
        'Check the row.',
      ],
    ]);
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
