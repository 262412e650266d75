// The pass ledger is folded twice: in TypeScript (ledger-format.ts foldRecord, which the file backend
// uses) and in SQL (the postgres backend folds each record into its row as it writes it). Random
// histories of applies, written through both backends, must read back as the TypeScript fold says:
// status, "an attempt left in doubt" and "held back after a permanent failure" (with its code and
// row hash) per bizSerialId. PostgreSQL is required under CI, so this
// runs on every run of the suite there.
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import type { LedgerRef, LockedState, StateBackend } from '../src/state/backend.js';
import { KeyTable } from '../src/state/key-table.js';
import { foldRecord } from '../src/state/ledger-format.js';
import { fileKind, postgresKind } from './helpers/backends.js';
import { describePostgres } from './helpers/postgres.js';

const IDS = ['a', 'b', 'c', 'd', 'e'];
type Outcome = 'S' | 'E' | 'F' | 'N' | 'none';
/** F codes: permanent with a row hash, permanent from before hashes were kept, retried. */
const CODES = ['USER_NOT_EXIST~0000abcd', 'USER_NOT_EXIST~ffff0001', 'USER_NOT_EXIST', 'SYSTEM_ERROR'];
/** One apply: the ids it sends (intents first), each with what came back. */
type Apply = { id: string; outcome: Outcome; code: string }[];

const applyArb: fc.Arbitrary<Apply> = fc.uniqueArray(
  fc.record({
    id: fc.constantFrom(...IDS),
    outcome: fc.constantFrom<Outcome>('S', 'E', 'F', 'N', 'none'),
    code: fc.constantFrom(...CODES),
  }),
  { selector: (x) => x.id, minLength: 1, maxLength: IDS.length },
);

/** The record types in the order they are written, as the TypeScript fold sees them. */
function records(applies: readonly Apply[]): [string, string, string][] {
  return applies.flatMap((apply) => [
    ...apply.map(({ id }): [string, string, string] => ['I', id, '']),
    ...apply
      .filter((x) => x.outcome !== 'none')
      .map(({ id, outcome, code }): [string, string, string] => [outcome, id, outcome === 'F' ? code : '']),
  ]);
}

async function write(store: LockedState, ref: LedgerRef, applies: readonly Apply[]): Promise<void> {
  const w = await store.ledgers.open(ref, await store.ledgers.read(ref, new KeyTable()));
  w.template('TPL', 1);
  for (const apply of applies) {
    await w.intents(apply.map((x) => x.id));
    for (const { id, outcome, code } of apply) {
      if (outcome === 'S') w.issued(id, `P-${id}`, 2);
      else if (outcome === 'E') w.confirmed(id, 2);
      else if (outcome === 'F') w.failed(id, code, 2);
      else if (outcome === 'N') w.notSent(id);
    }
    await w.flush();
  }
  await w.close();
}

/** Each id's folded status, doubt and hold, as "id:status:doubted:held". */
function summary(table: KeyTable, ids: readonly string[]): string[] {
  return ids.map((id) => {
    const slot = table.find(id);
    return `${id}:${table.status(slot)}:${table.inDoubt(slot)}:${JSON.stringify(table.held(slot) ?? null)}`;
  });
}

await describePostgres('the ledger fold: TypeScript and SQL agree', () => {
  const kinds = [fileKind(), postgresKind()];
  const backends: StateBackend[] = [];
  afterAll(async () => {
    for (const b of backends) await b.close();
    for (const k of kinds) await k.cleanup();
  });

  it('folds random histories of applies the same way in both backends as foldRecord does', async () => {
    const stores = await Promise.all(
      kinds.map(async (kind) => {
        const backend = kind.open(kind.newPlace());
        backends.push(backend);
        return backend.lock({ command: 'test', timeoutMs: 0 });
      }),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(applyArb, { minLength: 1, maxLength: 4 }), async (applies) => {
        n++;
        const ref = { address: `c/g${n}`, path: `dev.passes/c/g${n}.ledger` };
        const expected = new KeyTable();
        for (const [type, id, code] of records(applies)) foldRecord(expected, type, id, code);
        const ids = [...new Set(applies.flat().map((x) => x.id))].sort();
        for (const [i, store] of stores.entries()) {
          await write(store, ref, applies);
          const table = new KeyTable();
          await store.ledgers.read(ref, table);
          expect(summary(table, ids), `${kinds[i]?.name}: ${JSON.stringify(applies)}`).toEqual(
            summary(expected, ids),
          );
        }
      }),
      { numRuns: 80, seed: 20 },
    );
    for (const store of stores) await store.release();
  });
});
