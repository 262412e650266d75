import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CsvRow, RecipientsCsvError, readCsvRows } from './recipients-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'ipass-csv-'));
let n = 0;
function file(text: string | Buffer): string {
  const path = join(dir, `f${++n}.csv`);
  writeFileSync(path, text);
  return path;
}
async function all(path: string, size?: number): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const batch of readCsvRows(path, { size: size ?? 512, chunkBytes: 4096 })) rows.push(...batch);
  return rows;
}

describe('readCsvRows', () => {
  it('gives each row the line it starts on, skipping blank lines and counting line breaks in quotes', async () => {
    const rows = await all(file('userId,code\n1,a\n\n2,"b\nc"\n   \n3,d\n4,"x\r\ny"\n5,e'));
    expect(rows).toEqual([
      { line: 1, fields: ['userId', 'code'] },
      { line: 2, fields: ['1', 'a'] },
      { line: 4, fields: ['2', 'b\nc'] },
      { line: 7, fields: ['3', 'd'] },
      { line: 8, fields: ['4', 'x\r\ny'] },
      { line: 10, fields: ['5', 'e'] },
    ]);
  });

  it('reads CRLF files and drops a byte order mark', async () => {
    const rows = await all(file(Buffer.from('\uFEFFuserId,code\r\n1,a\r\n\r\n2,b\r\n')));
    expect(rows.map((r) => [r.line, r.fields])).toEqual([
      [1, ['userId', 'code']],
      [2, ['1', 'a']],
      [4, ['2', 'b']],
    ]);
  });

  it('accepts line endings mixed in one file (CRLF, then LF, then CR), lines still right', async () => {
    const rows = await all(file('userId,name\r\n1,a\r\n2,b\n3,"c\nd"\n4,e\r5,f\r\n\n6,g'));
    expect(rows.map((r) => [r.line, r.fields])).toEqual([
      [1, ['userId', 'name']],
      [2, ['1', 'a']],
      [3, ['2', 'b']],
      [4, ['3', 'c\nd']],
      [6, ['4', 'e']],
      [7, ['5', 'f']],
      [9, ['6', 'g']],
    ]);
    // Across the reads too: every line ending split between two 4 KiB chunks.
    const many = ['userId'];
    for (let i = 0; i < 3000; i++) many.push(`${1_000_000 + i}${['\r\n', '\n', '\r'][i % 3]}`);
    const big = await all(file(`userId\n${many.slice(1).join('')}`));
    expect(big).toHaveLength(3001);
    expect(
      big.every((r, i) => r.line === i + 1 && (i === 0 || r.fields[0] === String(1_000_000 + i - 1))),
    ).toBe(true);
  });

  it('delivers large files in batches with the lines still right', async () => {
    const lines = ['userId'];
    for (let i = 0; i < 10_000; i++) lines.push(String(1_000_000 + i));
    const rows = await all(file(lines.join('\n')), 64);
    expect(rows).toHaveLength(10_001);
    expect(rows[9_999]).toEqual({ line: 10_000, fields: ['1009998'] });
  });

  it('keeps rows with a different number of values (the row checks report them)', async () => {
    const rows = await all(file('userId,code\n1\n2,b,extra\n'));
    expect(rows.map((r) => r.fields)).toEqual([['userId', 'code'], ['1'], ['2', 'b', 'extra']]);
  });

  it('ends with a RecipientsCsvError naming the line of a CSV syntax error', async () => {
    const error = await all(file('userId,code\n1,a\n2,"open\n3,c\n')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipientsCsvError);
    expect((error as RecipientsCsvError).line).toBe(3);
    expect((error as RecipientsCsvError).message).toBe('a quoted value is never closed');
    expect((error as RecipientsCsvError).code).toMatch(/^CSV_/);
  });

  it('stops reading when the consumer stops', async () => {
    const lines = ['userId'];
    for (let i = 0; i < 50_000; i++) lines.push(String(i));
    let seen = 0;
    for await (const batch of readCsvRows(file(lines.join('\n')), { size: 100 })) {
      seen += batch.length;
      if (seen > 300) break;
    }
    expect(seen).toBeLessThan(1000);
  });
});
