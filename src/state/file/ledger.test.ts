import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isIpassError } from '../../diagnostics/errors.js';
import { KeyTable, LedgerStatus } from '../key-table.js';
import { defaultLedgerPath, failuresPathOf } from '../ledger-format.js';
import { readLedger } from './ledger-read.js';
import { FileLedgerWriter } from './ledger-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'ipass-ledger-'));
let n = 0;
const path = (): string => join(dir, `sub-${++n}`, 'b.ledger');
const statusOf = (t: KeyTable, id: string) => t.status(t.find(id));

describe('pass ledger', () => {
  it('lives at <env>.passes/<campaign>/<key>.ledger, its failures CSV next to it', () => {
    expect(defaultLedgerPath('prod', 'summer-2027/welcome-gift')).toBe(
      'prod.passes/summer-2027/welcome-gift.ledger',
    );
    expect(failuresPathOf('prod.passes/summer-2027/welcome-gift.ledger')).toBe(
      'prod.passes/summer-2027/welcome-gift.failures.csv',
    );
  });

  it('writes intents at once and outcomes by the end of the turn, and reads them back folded', async () => {
    const p = path();
    const w = FileLedgerWriter.open(p, 'c/b', undefined);
    w.template('TPL1', 1);
    await w.intents(['a', 'b', 'c', 'd', 'e']);
    expect(readFileSync(p, 'utf8')).toContain('I\te\n');
    w.issued('a', 'P1', 10);
    w.confirmed('b', 11);
    w.failed('c', 'USER_NOT_EXIST', 12);
    w.notSent('d');
    await new Promise((r) => setImmediate(r));
    expect(readFileSync(p, 'utf8')).toContain('S\ta\tP1\t10\n');
    await w.close();

    const t = new KeyTable();
    const read = await readLedger(p, t);
    expect(read).toMatchObject({ exists: true, tornTail: false, records: 10, templateCode: 'TPL1' });
    expect(statusOf(t, 'a')).toBe(LedgerStatus.issued);
    expect(statusOf(t, 'b')).toBe(LedgerStatus.issued);
    expect(statusOf(t, 'c')).toBe(LedgerStatus.failed);
    expect(statusOf(t, 'd')).toBe(LedgerStatus.notSent);
    expect(statusOf(t, 'e')).toBe(LedgerStatus.inDoubt);
    expect(readFileSync(p, 'utf8').split('\n')[0]).toBe('# ipass pass ledger v1 c/b');
  });

  it('keeps issued final: a later intent or failure for the same id does not undo it', async () => {
    const p = path();
    const w = FileLedgerWriter.open(p, 'c/b', undefined);
    await w.intents(['a', 'f']);
    w.failed('f', 'USER_NOT_EXIST', 1);
    w.issued('a', 'P1', 1);
    await w.flush();
    await w.intents(['a', 'f']);
    w.failed('a', 'PASS_HAS_EXIST', 2);
    w.issued('f', 'P2', 2);
    await w.close();
    const t = new KeyTable();
    await readLedger(p, t);
    expect(statusOf(t, 'a')).toBe(LedgerStatus.issued);
    expect(statusOf(t, 'f')).toBe(LedgerStatus.issued);
  });
});

describe('pass ledger: attempts in doubt and torn lines', () => {
  it('remembers an attempt left in doubt when a later one fails or never reaches the API', async () => {
    const p = path();
    const w = FileLedgerWriter.open(p, 'c/b', undefined);
    await w.intents(['f', 'n', 's', 'x', 'y']); // an apply killed before any answer
    await w.flush();
    await w.intents(['f', 'n', 's', 'x', 'y']); // the next apply
    w.failed('f', 'PASS_TEMPLATE_NOT_VALID', 2);
    w.notSent('n');
    w.confirmed('s', 2);
    w.failed('x', 'USER_NOT_EXIST', 2);
    w.notSent('y');
    await w.flush();
    await w.intents(['x', 'y']); // a third apply: x fails again, y is issued
    w.failed('x', 'USER_NOT_EXIST', 3);
    w.issued('y', 'P9', 3);
    await w.intents(['z']); // a row sent once and answered: never in doubt
    w.failed('z', 'USER_NOT_EXIST', 3);
    await w.flush();
    await w.intents(['z']);
    w.notSent('z');
    await w.close();
    const t = new KeyTable();
    await readLedger(p, t);
    const doubted = (id: string) => [statusOf(t, id), t.inDoubt(t.find(id))];
    // The first apply's attempt may have created the pass: a later PASS_HAS_EXIST is ours.
    expect(doubted('f')).toEqual([LedgerStatus.failed, true]);
    expect(doubted('n')).toEqual([LedgerStatus.notSent, true]);
    expect(doubted('x')).toEqual([LedgerStatus.failed, true]);
    expect(doubted('s')).toEqual([LedgerStatus.issued, false]);
    expect(doubted('y')).toEqual([LedgerStatus.issued, false]);
    expect(doubted('z')).toEqual([LedgerStatus.notSent, false]);
  });

  it('ignores a torn last line and cuts it off before appending again', async () => {
    const p = path();
    const w = FileLedgerWriter.open(p, 'c/b', undefined);
    await w.intents(['a', 'b']);
    w.issued('a', 'P1', 1);
    await w.close();
    appendFileSync(p, 'S\tb\tP2\t1'); // killed mid-write: no newline
    const t = new KeyTable();
    const read = await readLedger(p, t);
    expect(read.tornTail).toBe(true);
    expect(statusOf(t, 'b')).toBe(LedgerStatus.inDoubt);

    const again = FileLedgerWriter.open(p, 'c/b', read.resumeAt);
    again.issued('b', 'P2', 2);
    await again.close();
    const t2 = new KeyTable();
    const read2 = await readLedger(p, t2);
    expect(read2.tornTail).toBe(false);
    expect(statusOf(t2, 'b')).toBe(LedgerStatus.issued);
    expect(readFileSync(p, 'utf8').endsWith('I\tb\nS\ta\tP1\t1\nS\tb\tP2\t2\n')).toBe(true);
  });
});

describe('pass ledger: damage, absence and size', () => {
  it('reports damage before the last line as PASS_LEDGER_CORRUPT with its line', async () => {
    const p = path();
    await FileLedgerWriter.open(p, 'c/b', undefined).close();
    appendFileSync(p, 'I\ta\nS\ta\n');
    appendFileSync(p, 'I\tb\n');
    const error = await readLedger(p, new KeyTable(), 'shown.ledger').catch((e: unknown) => e);
    expect(isIpassError(error) && error.code).toBe('PASS_LEDGER_CORRUPT');
    expect((error as Error).message).toContain('shown.ledger is damaged at line 3');
  });

  it('refuses records whose fields are not what the format says, naming the line', async () => {
    for (const [bad, why] of [
      ['S\ta\tP1\tsoon\n', 'time in milliseconds'],
      ['S\ta\t\t12\n', 'empty field'],
      ['F\ta\tUSER_NOT_EXIST\t\n', 'time in milliseconds'],
      ['T\tTPL\t-1\n', 'time in milliseconds'],
    ] as const) {
      const p = path();
      await FileLedgerWriter.open(p, 'c/b', undefined).close();
      appendFileSync(p, `I\ta\n${bad}`);
      const error = await readLedger(p, new KeyTable(), 'shown.ledger').catch((e: unknown) => e);
      expect(isIpassError(error) && error.code, bad).toBe('PASS_LEDGER_CORRUPT');
      expect((error as Error).message).toContain('line 3');
      expect((error as Error).message).toContain(why);
    }
  });

  it('reads a missing ledger as empty', async () => {
    const t = new KeyTable();
    expect(await readLedger(join(dir, 'none.ledger'), t)).toMatchObject({ exists: false, records: 0 });
    expect(t.size).toBe(0);
  });

  it('reads a ledger of 200,000 issued passes into the table', async () => {
    const p = path();
    const w = FileLedgerWriter.open(p, 'c/b', undefined);
    for (let i = 0; i < 200_000; i += 1000) {
      const ids = Array.from({ length: 1000 }, (_, j) => `id-${i + j}`);
      await w.intents(ids);
      for (const id of ids) w.issued(id, `P${id}`, 1_800_000_000_000);
      await w.flush();
    }
    await w.close();
    writeFileSync(`${p}.copy`, readFileSync(p));
    const t = new KeyTable();
    const read = await readLedger(`${p}.copy`, t);
    expect(read.records).toBe(400_000);
    expect(t.tally().unseen[LedgerStatus.issued]).toBe(200_000);
  });
});
