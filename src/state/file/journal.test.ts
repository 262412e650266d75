import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, readJournal, removeJournal } from './journal.js';

describe('journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ipass-journal-'));

  it('appends records and reads them back; no file means no journal', () => {
    const path = join(dir, 'a.jsonl');
    expect(readJournal(path)).toBeUndefined();
    const j = Journal.open(path);
    j.append({ t: 'intent', id: 1 });
    j.appendMany([
      { t: 'result', id: 1 },
      { t: 'intent', id: 2 },
    ]);
    j.close();
    expect(readJournal(path)).toEqual({
      ok: true,
      records: [
        { t: 'intent', id: 1 },
        { t: 'result', id: 1 },
        { t: 'intent', id: 2 },
      ],
      tornTail: false,
    });
    removeJournal(path);
    expect(readJournal(path)).toBeUndefined();
  });

  it('ignores a torn last line but reports damage before it', () => {
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, '{"id":1}\n{"id":2}\n{"id":');
    expect(readJournal(torn)).toEqual({ ok: true, records: [{ id: 1 }, { id: 2 }], tornTail: true });
    const damaged = join(dir, 'damaged.jsonl');
    writeFileSync(damaged, '{"id":1}\nnot json\n');
    appendFileSync(damaged, '{"id":3}\n');
    expect(readJournal(damaged)).toMatchObject({ ok: false, line: 2 });
  });
});
