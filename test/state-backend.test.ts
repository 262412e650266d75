// One contract, every backend: what plan, apply and the state commands rely on — state snapshots
// with lineage and serial, the journal, the pass ledgers' fold, the lock (exclusive, waited for,
// gone with a killed holder) and whole-environment import — checked the same way against files and
// against a real PostgreSQL.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { IpassError } from '../src/diagnostics/errors.js';
import type { LedgerRecord, StateBackend } from '../src/state/backend.js';
import type { JournalRecord } from '../src/state/journal-records.js';
import { KeyTable, LedgerStatus } from '../src/state/key-table.js';
import { LIFE_WORDS, lifeOf } from '../src/state/pass-life.js';
import type { RunRecord } from '../src/state/run-record.js';
import type { StateFile, TemplateState } from '../src/state/state-format.js';
import { type BackendKind, fileKind, postgresKind } from './helpers/backends.js';
import { describePostgres } from './helpers/postgres.js';
import { sampleRun } from './helpers/runs.js';

const HOLD_LOCK = fileURLToPath(new URL('./helpers/hold-lock.mjs', import.meta.url));

const entry = (templateCode: string, stock = 10): TemplateState => ({
  templateCode,
  status: 'valid',
  stock,
  protect: false,
  generation: 1,
  requestId: `r-${templateCode}`,
  spec: { stock, type: 'COUPON' },
  superseded: [],
});

const runOf = (id: string, changes: RunRecord['changes'] = []): RunRecord =>
  sampleRun(id, {
    commit: 'a'.repeat(40),
    dirty: false,
    outcome: 'partial',
    counts: { created: 1 },
    changes,
  });

const codeOf = (e: unknown): string | undefined => (e as IpassError | undefined)?.code;

function contract(kind: BackendKind): void {
  const opened: StateBackend[] = [];
  const open = (place: string, env = 'dev'): StateBackend => {
    const b = kind.open(place, env);
    opened.push(b);
    return b;
  };
  afterAll(async () => {
    for (const b of opened) await b.close();
    await kind.cleanup();
  });

  it('starts with no state, saves serial by serial, and reads back what was saved', async () => {
    const place = kind.newPlace();
    const fresh = await open(place).read();
    expect(fresh).toMatchObject({ exists: false, journal: undefined });
    expect(fresh.state.serial).toBe(0);

    const store = await open(place).lock({ command: 'test', timeoutMs: 0 });
    expect(store.exists).toBe(false);
    const lineage = store.state.lineage;
    await store.save({ ...store.state, templates: { 'c/b': entry('B'), 'c/a': entry('A') } });
    await store.save({ ...store.state, templates: { 'c/a': entry('A', 20) } });
    expect(store.state).toMatchObject({ serial: 2, lineage });
    await store.release();

    const again = await open(place).read();
    expect(again.exists).toBe(true);
    expect(again.state).toMatchObject({ serial: 2, lineage, environment: 'dev' });
    expect(again.state.templates).toEqual({ 'c/a': entry('A', 20) });
  });

  it('keeps the run history: appended under the lock, listed newest first, each run read back whole', async () => {
    const place = kind.newPlace();
    expect(await open(place).history.list(10)).toEqual([]);
    expect(await open(place).history.get('r-1')).toBeUndefined();
    const store = await open(place).lock({ command: 'test', timeoutMs: 0 });
    const changes = [
      { address: 'c/a', action: 'create', templateCode: 'T1', outcome: 'done' },
      { address: 'c/p', action: 'issue', outcome: 'failed', code: 'USER_NOT_EXIST', count: 2 },
    ];
    for (const id of ['r-1', 'r-2', 'r-3'])
      await store.history.append(runOf(id, id === 'r-2' ? changes : []));
    await store.release();
    const reader = open(place);
    expect((await reader.history.list(10)).map((r) => r.id)).toEqual(['r-3', 'r-2', 'r-1']);
    expect((await reader.history.list(2)).map((r) => r.id)).toEqual(['r-3', 'r-2']);
    expect(await reader.history.get('r-2')).toEqual(runOf('r-2', changes));
    expect(await open(place, 'prod').history.list(10)).toEqual([]);
  });

  it('keeps environments apart', async () => {
    const place = kind.newPlace();
    const dev = await open(place, 'dev').lock({ command: 'test', timeoutMs: 0 });
    const prod = await open(place, 'prod').lock({ command: 'test', timeoutMs: 0 });
    await dev.save({ ...dev.state, templates: { 'c/a': entry('DEV') } });
    await prod.release();
    await dev.release();
    expect((await open(place, 'prod').read()).exists).toBe(false);
    expect((await open(place, 'dev').read()).state.templates['c/a']?.templateCode).toBe('DEV');
  });

  it('lets one holder at a time take the lock, naming the holder to the next', async () => {
    const place = kind.newPlace();
    const first = await open(place).lock({ command: 'ipass apply first', timeoutMs: 0 });
    const refused = await open(place)
      .lock({ command: 'ipass apply second', timeoutMs: 0 })
      .catch((e: unknown) => e);
    expect(codeOf(refused)).toBe('LOCK_HELD');
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    expect((refused as Error).message).toContain('ipass apply first');
    await first.release();
    const second = await open(place).lock({ command: 'ipass apply second', timeoutMs: 0 });
    expect(second.takenOverFrom).toBeUndefined();
    await second.release();
  });

  it('waits for a live holder when asked to, telling once whom it waits for', async () => {
    const place = kind.newPlace();
    const first = await open(place).lock({ command: 'ipass apply first', timeoutMs: 0 });
    const waitedFor: (string | undefined)[] = [];
    const second = open(place).lock({
      command: 'ipass apply second',
      timeoutMs: 30_000,
      onWait: (holder) => {
        waitedFor.push(holder?.command);
        void first.release();
      },
    });
    const lock = await second;
    expect(waitedFor).toEqual(['ipass apply first']);
    await lock.release();
  });

  it('keeps the lock of a paused holder, frees that of a holder killed with SIGKILL, and says whose it was', async () => {
    const place = kind.newPlace();
    // Make the storage exist first (a folder, or the schema's tables).
    await (await open(place).lock({ command: 'setup', timeoutMs: 0 })).release();
    const child = spawn(process.execPath, [HOLD_LOCK, ...kind.holdLockArgs(place, 'dev')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      child.on('exit', (code) => reject(new Error(`hold-lock exited with ${code}`)));
    });
    const held = await open(place)
      .lock({ command: 'test', timeoutMs: 0 })
      .catch((e: unknown) => e);
    expect(codeOf(held)).toBe('LOCK_HELD');
    expect((held as Error).message).toContain(`pid ${child.pid}`);
    // Paused (SIGSTOP), the holder is alive: its lock is not taken over.
    child.kill('SIGSTOP');
    const paused = await open(place)
      .lock({ command: 'test', timeoutMs: 600 })
      .catch((e: unknown) => e);
    expect(codeOf(paused)).toBe('LOCK_HELD');
    expect((paused as Error).message).toContain(`pid ${child.pid}`);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // The database notices the closed session at once; give it a moment, never more than a few seconds.
    const lock = await open(place).lock({ command: 'test', timeoutMs: 10_000 });
    expect(lock.takenOverFrom).toMatchObject({ pid: child.pid, command: 'hold-lock (test)' });
    await lock.release();
  });

  it('journals intents and outcomes in order, and settles them into the state at once', async () => {
    const place = kind.newPlace();
    const store = await open(place).lock({ command: 'test', timeoutMs: 0 });
    const journal = await store.openJournal();
    const records: JournalRecord[] = [
      { t: 'begin', lineage: store.state.lineage, serial: 0, pid: 1, at: '2027-01-01T00:00:00Z' },
      { t: 'intent', id: 'r1', address: 'c/a', endpoint: 'createTemplate', body: { requestId: 'q1' } },
    ];
    await journal.append(records[0] as JournalRecord);
    await journal.append(records[1] as JournalRecord);
    const outcome: JournalRecord[] = [
      { t: 'settled', id: 'r1' },
      { t: 'set', address: 'c/a', entry: entry('A') },
    ];
    await journal.appendMany(outcome);
    await journal.close();
    expect(await store.unfinishedJournal()).toEqual([...records, ...outcome]);
    // A reader without the lock sees the same unfinished journal.
    expect((await open(place).read()).journal).toEqual([...records, ...outcome]);

    const folded: StateFile = { ...store.state, templates: { 'c/a': entry('A') } };
    await store.settleJournal(folded);
    expect(await store.unfinishedJournal()).toBeUndefined();
    expect(store.state.serial).toBe(1);
    await store.release();
    const after = await open(place).read();
    expect(after.journal).toBeUndefined();
    expect(after.state.templates['c/a']?.templateCode).toBe('A');
  });

  it('refuses a journal record of the wrong shape, naming where it is', async () => {
    for (const bad of [
      'null',
      '{"t":"set","address":"x/y","entry":{}}',
      '{"t":"set","address":"x/y","entry":null}',
    ]) {
      const place = kind.newPlace();
      await (await open(place).lock({ command: 'setup', timeoutMs: 0 })).release();
      await kind.injectJournal(place, 'dev', bad);
      const read = await open(place)
        .read()
        .catch((e: unknown) => e);
      expect(codeOf(read), bad).toBe('JOURNAL_CORRUPT');
      const store = await open(place).lock({ command: 'test', timeoutMs: 0 });
      expect(codeOf(await store.unfinishedJournal().catch((e: unknown) => e)), bad).toBe('JOURNAL_CORRUPT');
      await store.release();
    }
  });

  it('folds pass ledger records: issued is final, the last outcome counts, an attempt left in doubt is remembered', async () => {
    const place = kind.newPlace();
    const store = await open(place).lock({ command: 'test', timeoutMs: 0 });
    const ref = { address: 'c/gift', path: 'dev.passes/c/gift.ledger' };
    const empty = await store.ledgers.read(ref, new KeyTable());
    expect(empty).toMatchObject({ exists: false, templateCode: undefined });
    const w = await store.ledgers.open(ref, empty);
    w.template('TPL1', 1);
    await w.intents(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']); // first apply
    w.issued('a', 'P1', 10);
    w.confirmed('b', 11);
    w.failed('c', 'USER_NOT_EXIST', 12);
    w.notSent('d');
    w.failed('f', 'USER_NOT_EXIST', 12);
    await w.flush(); // e, g, h: killed before any answer
    await w.intents(['a', 'f', 'g', 'h']); // the next apply
    w.failed('a', 'PASS_HAS_EXIST', 20); // issued stays issued
    w.issued('f', 'P2', 20);
    w.failed('g', 'USER_NOT_EXIST', 20); // the earlier attempt may still have issued one
    w.notSent('h');
    await w.close();

    const t = new KeyTable();
    const read = await store.ledgers.read(ref, t);
    expect(read).toMatchObject({ exists: true, templateCode: 'TPL1' });
    const status = (id: string) => t.status(t.find(id));
    const inDoubt = (id: string) => t.inDoubt(t.find(id));
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(status)).toEqual([
      LedgerStatus.issued,
      LedgerStatus.issued,
      LedgerStatus.failed,
      LedgerStatus.notSent,
      LedgerStatus.inDoubt,
      LedgerStatus.issued,
      LedgerStatus.failed,
      LedgerStatus.notSent,
    ]);
    expect(['a', 'c', 'd', 'e', 'f', 'g', 'h'].map(inDoubt)).toEqual([
      false,
      false,
      false,
      true,
      false,
      true,
      true,
    ]);

    // A later template for the batch is what the ledger reports.
    const w2 = await store.ledgers.open(ref, read);
    w2.template('TPL2', 30);
    await w2.close();
    expect((await store.ledgers.read(ref, new KeyTable())).templateCode).toBe('TPL2');
    await store.release();
    // Readers without the lock see the same.
    const t2 = new KeyTable();
    await open(place).ledgers.read(ref, t2);
    expect(t2.tally().unseen).toEqual(t.tally().unseen);
  });

  it("folds a pass's life: content carried, updates and closes, in doubt, refused, used", async () => {
    const place = kind.newPlace();
    const store = await open(place).lock({ command: 'test', timeoutMs: 0 });
    const ref = { address: 'c/life', path: 'dev.passes/c/life.ledger' };
    const w = await store.ledgers.open(ref, await store.ledgers.read(ref, new KeyTable()));
    w.template('TPL1', 1);
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    await w.intents(ids);
    for (const id of ids) {
      w.issued(id, `P-${id}`, 10);
      w.content(id, { code: 1, data: 2, end: -3 }, 10);
    }
    w.batchContent('{"dataInfo":{"en_US":{"$shopname$":"Harbour Roast"}}}', 10);
    await w.flush();
    await w.changeIntents(['a', 'b'], 'U', 20);
    w.content('a', { code: 1, data: 7, end: -3 }, 21); // updated; b: answer lost
    await w.changeIntents(['c', 'd', 'e'], 'C', 22);
    w.life('c', 'closed', 23);
    w.changeFailed('d', 'SYSTEM_ERROR', 23); // e: answer lost
    await w.flush();
    await w.changeIntents(['e'], 'C', 30); // sent again
    w.life('e', 'closed-or-used', 31);
    await w.changeIntents(['f'], 'U', 30);
    w.changeNotSent('f');
    await w.close();
    await store.release();

    const t = new KeyTable();
    const read = await open(place).ledgers.read(ref, t);
    expect(read.content).toBe('{"dataInfo":{"en_US":{"$shopname$":"Harbour Roast"}}}');
    const life = (id: string) => LIFE_WORDS[lifeOf(t.life(t.find(id)))];
    expect(ids.map(life)).toEqual([
      'active',
      'update-in-doubt',
      'closed',
      'active',
      'closed-or-used',
      'active',
    ]);
    expect([0, 1, 2].map((i) => t.hash(t.find('a'), i))).toEqual([1, 7, -3]);
    expect([0, 1, 2].map((i) => t.hash(t.find('f'), i))).toEqual([1, 2, -3]);
    expect(t.status(t.find('c'))).toBe(LedgerStatus.issued);
    const passIds = await open(place).ledgers.passIds(ref, new Set(['a', 'c', 'zz']));
    expect([...passIds].sort()).toEqual([
      ['a', 'P-a'],
      ['c', 'P-c'],
    ]);
  });

  it('writes and reads back 20,000 pass records in batches', async () => {
    const place = kind.newPlace();
    const store = await open(place).lock({ command: 'test', timeoutMs: 0 });
    const ref = { address: 'c/big', path: 'dev.passes/c/big.ledger' };
    const w = await store.ledgers.open(ref, await store.ledgers.read(ref, new KeyTable()));
    for (let i = 0; i < 20_000; i += 500) {
      const ids = Array.from({ length: 500 }, (_, j) => `id\t${i + j}`.replace('\t', '-'));
      await w.intents(ids);
      for (const id of ids) w.issued(id, `P${id}`, 1_800_000_000_000);
    }
    await w.close();
    await store.release();
    const t = new KeyTable();
    await open(place).ledgers.read(ref, t);
    expect(t.tally().unseen[LedgerStatus.issued]).toBe(20_000);
  });

  it('imports a whole environment: state as it was (lineage, serial) and each ledger folded', async () => {
    const place = kind.newPlace();
    const store = await open(place).lock({ command: 'test', timeoutMs: 0 });
    const state: StateFile = {
      ...store.state,
      lineage: '0123abcd-0000-4000-8000-000000000000',
      serial: 7,
      templates: { 'c/a': entry('A') },
      passBatches: {
        'c/gift': { templateCode: 'A', ledger: 'dev.passes/c/gift.ledger', issued: 2, failed: 1 },
      },
    };
    const records: LedgerRecord[] = [
      { t: 'T', templateCode: 'A', at: 1 },
      { t: 'I', id: 'x' },
      { t: 'I', id: 'y' },
      { t: 'I', id: 'z' },
      { t: 'S', id: 'x', passId: 'P1', at: 2 },
      { t: 'F', id: 'y', code: 'USER_NOT_EXIST', at: 2 },
      { t: 'N', id: 'z' },
      { t: 'I', id: 'z' },
      { t: 'E', id: 'z', at: 3 },
      { t: 'I', id: 'weird\\id with\\t spaces' },
      { t: 'S', id: 'weird\\id with\\t spaces', passId: 'P3', at: 4 },
    ];
    const report = await store.importEnvironment({
      state,
      ledgers: [
        {
          ref: { address: 'c/gift', path: 'dev.passes/c/gift.ledger' },
          async *records() {
            yield records.slice(0, 5);
            yield records.slice(5);
          },
        },
      ],
    });
    expect(report).toEqual({ templates: 1, ledgers: 1, ledgerRows: 4 });
    await store.release();
    const read = await open(place).read();
    expect(read.state).toEqual({ ...state, environment: 'dev' });
    const t = new KeyTable();
    const ledger = await open(place).ledgers.read({ address: 'c/gift', path: 'dev.passes/c/gift.ledger' }, t);
    expect(ledger.templateCode).toBe('A');
    expect(['x', 'y', 'z', 'weird\\id with\\t spaces'].map((id) => t.status(t.find(id)))).toEqual([
      LedgerStatus.issued,
      LedgerStatus.failed,
      LedgerStatus.issued,
      LedgerStatus.issued,
    ]);
  });
}

describe('state backend contract: file', () => contract(fileKind()));
await describePostgres('state backend contract: postgres', () => contract(postgresKind()));
