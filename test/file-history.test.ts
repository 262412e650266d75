// The file backend's run history on its own: a torn last line is skipped, and the next append
// starts a line of its own; lines that are not runs are skipped.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRunHistory, parseHistory } from '../src/state/file/file-history.js';
import { sampleRun } from './helpers/runs.js';

const run = (id: string) => sampleRun(id);

describe('the file run history', () => {
  it('ignores a torn last line, and the next append starts a line of its own', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ipass-history-')), 'dev.history.jsonl');
    const history = new FileRunHistory(path);
    await history.append(run('r-1'));
    // A crash in the middle of the second append.
    appendFileSync(path, JSON.stringify(run('r-2')).slice(0, 40));
    expect((await history.list(10)).map((r) => r.id)).toEqual(['r-1']);
    await history.append(run('r-3'));
    expect((await history.list(10)).map((r) => r.id)).toEqual(['r-3', 'r-1']);
    expect(await history.get('r-3')).toEqual(run('r-3'));
    // Nothing written before was rewritten.
    expect(readFileSync(path, 'utf8').startsWith(`${JSON.stringify(run('r-1'))}\n`)).toBe(true);
  });

  it('reads no file as no runs, and skips lines that are not runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipass-history-'));
    expect(await new FileRunHistory(join(dir, 'none.jsonl')).list(5)).toEqual([]);
    const text = `${JSON.stringify(run('r-1'))}\n{"id":"x"}\n\n[1]\n${JSON.stringify(run('r-2'))}\n`;
    expect(parseHistory(text).map((r) => r.id)).toEqual(['r-1', 'r-2']);
    writeFileSync(join(dir, 'h.jsonl'), text);
    expect((await new FileRunHistory(join(dir, 'h.jsonl')).list(1)).map((r) => r.id)).toEqual(['r-2']);
  });
});
