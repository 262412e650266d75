// `ipass state migrate --from-dir DIR` refuses whatever could lose or fork a state: another lineage,
// a newer target, requests or passes in doubt. Checked with the built CLI, folder to folder (the
// copy into PostgreSQL is covered in test/e2e/postgres-handover.test.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type StateFile, serializeState } from '../src/state/state-format.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/project.js';

const LINEAGE = '11111111-2222-4333-8444-555555555555';

function state(over: Partial<StateFile> = {}): StateFile {
  return {
    formatVersion: 1,
    lineage: LINEAGE,
    serial: 4,
    environment: 'sandbox',
    templates: {
      'c/a': {
        templateCode: 'A1',
        status: 'valid',
        stock: 10,
        protect: false,
        generation: 1,
        requestId: 'r',
        spec: { stock: 10 },
        superseded: [],
      },
    },
    passBatches: {
      'c/gift': { templateCode: 'A1', ledger: 'sandbox.passes/c/gift.ledger', issued: 2, failed: 0 },
    },
    createAttempts: { 'c/a': 1 },
    pending: [],
    ...over,
  };
}

/** A project whose config keeps state in `new-state/`, and an old folder `old/` to migrate from. */
function project(source: StateFile, ledger = 'I\tx\nI\ty\nS\tx\tP1\t1\nS\ty\tP2\t1\n'): string {
  const dir = tempDir('migrate');
  writeFileSync(join(dir, 'ipass.config.yaml'), 'stateDir: new-state\n');
  mkdirSync(join(dir, 'old', 'sandbox.passes', 'c'), { recursive: true });
  writeFileSync(join(dir, 'old', 'sandbox.state.json'), serializeState(source));
  writeFileSync(
    join(dir, 'old', 'sandbox.passes', 'c', 'gift.ledger'),
    `# ipass pass ledger v1 c/gift\nT\tA1\t1\n${ledger}`,
  );
  return dir;
}

const migrate = (dir: string) => runCli(['state', 'migrate', '--from-dir', 'old'], { cwd: dir });

describe('ipass state migrate', () => {
  it('copies state and ledgers, and says so; a second run has nothing to copy', async () => {
    const dir = project(state());
    const r = await migrate(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('serial 4, 1 template(s), 1 pass ledger(s) with 2 recipient row(s)');
    expect(JSON.parse(readFileSync(join(dir, 'new-state', 'sandbox.state.json'), 'utf8'))).toEqual(state());
    expect(readFileSync(join(dir, 'new-state', 'sandbox.passes', 'c', 'gift.ledger'), 'utf8')).toContain(
      'S\ty\tP2\t1',
    );
    const again = await migrate(dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to copy');
  });

  it('refuses a target of another lineage, a newer target, and a fork', async () => {
    for (const [target, code] of [
      [state({ lineage: '99999999-2222-4333-8444-555555555555' }), 'MIGRATE_LINEAGE_MISMATCH'],
      [state({ serial: 5 }), 'MIGRATE_OLDER_SERIAL'],
      [state({ templates: {} }), 'MIGRATE_FORKED'],
    ] as const) {
      const dir = project(state());
      mkdirSync(join(dir, 'new-state'));
      writeFileSync(join(dir, 'new-state', 'sandbox.state.json'), serializeState(target));
      const r = await migrate(dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(code);
      expect(JSON.parse(readFileSync(join(dir, 'new-state', 'sandbox.state.json'), 'utf8'))).toEqual(target);
    }
  });

  it('refuses requests or passes in doubt, which must be settled where they were recorded', async () => {
    const pending = project(
      state({
        pending: [{ address: 'c/b', endpoint: 'createTemplate', body: { requestId: 'q' }, generation: 1 }],
      }),
    );
    const journal = project(state());
    writeFileSync(
      join(journal, 'old', 'sandbox.journal.jsonl'),
      `${JSON.stringify({ t: 'intent', id: 'r1', address: 'c/b', endpoint: 'createTemplate', body: { requestId: 'q' } })}\n`,
    );
    const ledger = project(state(), 'I\tx\nI\ty\nS\tx\tP1\t1\n');
    for (const dir of [pending, journal, ledger]) {
      const r = await migrate(dir);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toContain('MIGRATE_IN_DOUBT');
      expect(r.stderr).toContain('ipass apply');
    }
  });

  it('says what is wrong when the folder holds no state', async () => {
    const dir = tempDir('migrate-empty');
    mkdirSync(join(dir, 'old'));
    const r = await migrate(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MIGRATE_NO_SOURCE');
  });
});
