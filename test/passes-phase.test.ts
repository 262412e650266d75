// The passes module wired as the apply wires it: a real sandbox over HTTP on 127.0.0.1, the real
// IpassClient, state backend, journal, planner and runApply; only the CLI is left out.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpassClient } from '../src/api/client.js';
import { runApply } from '../src/apply/run-apply.js';
import type { CampaignSet, DesiredPassBatch, DesiredTemplate, TemplateBody } from '../src/campaign/types.js';
import {
  createPassPhase,
  defaultLedgerPath,
  deriveBizSerialId,
  summarizePassBatches,
} from '../src/passes/index.js';
import { makePlan } from '../src/plan/make-plan.js';
import { desiredTemplate } from '../src/plan/testing/desired.js';
import type { FaultConfig } from '../src/sandbox/faults.js';
import { type RunningSandbox, startSandbox } from '../src/sandbox/server.js';
import { templateBody, testRegistration } from '../src/sandbox/testing/harness.js';
import type { LedgerWriter } from '../src/state/backend.js';
import { KeyTable } from '../src/state/key-table.js';
import { type BackendKind, fileKind, postgresKind } from './helpers/backends.js';
import { describePostgres } from './helpers/postgres.js';

const pos = { file: 'campaigns/c.yaml', line: 1, col: 1 };
const identity = testRegistration();

function template(stock: number): DesiredTemplate {
  const { requestId: _, ...body } = templateBody({ stock });
  return desiredTemplate('coffee', body as TemplateBody, pos);
}

function batch(recipients: string, over: Partial<DesiredPassBatch> = {}): DesiredPassBatch {
  return {
    address: 'c/gift',
    campaign: 'c',
    key: 'gift',
    file: pos.file,
    source: pos,
    template: { address: 'c/coffee' },
    recipients,
    recipientsDisplay: 'gift.csv',
    type: 'COUPON',
    product: 'GIFT_CARD',
    codeInfo: { $codemsg$: '{{code}}', $codevalue$: '{{code}}' },
    dataInfo: { en_US: { $shopname$: 'Shop for {{name}}' } },
    extInfo: { cardType: 'DIRECT_CARD', note: '{{name}}' },
    publishScene: 'FREE_GIVE',
    fields: {},
    ...over,
  };
}

const userId = (i: number): string => String(2_160_000_000_000_000 + i);

/** `count` rows from `from`; rows listed in `missing` get a userId the sandbox does not know. */
function recipientsCsv(path: string, from: number, count: number, missing: readonly number[] = []): void {
  const lines = ['userId,code,name'];
  for (let i = from; i < from + count; i++) {
    lines.push(
      `${missing.includes(i) ? `2999${String(i).padStart(12, '0')}` : userId(i)},CODE-${i},User ${i}`,
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

interface Project {
  dir: string;
  /** Failures CSVs go here (and the file backend's state). */
  stateDir: string;
  /** The backend's storage: the state folder, or a database schema. */
  place: string;
  csv: string;
  desired: CampaignSet;
}

function passPhaseSuite(kind: BackendKind): void {
  function project(stock = 10_000): Project {
    const dir = mkdtempSync(join(tmpdir(), 'ipass-passes-'));
    const csv = join(dir, 'gift.csv');
    const stateDir = join(dir, '.ipass');
    return {
      dir,
      stateDir,
      place: kind.name === 'file' ? stateDir : kind.newPlace(),
      csv,
      desired: {
        templates: [template(stock)],
        passes: [batch(csv)],
        moved: [],
        removed: [],
        files: [],
        inputHash: 'h',
      },
    };
  }

  let sandbox: RunningSandbox;
  const client = (over: { privateKey?: KeyObject } = {}) =>
    new IpassClient({
      baseUrl: sandbox.url,
      clientId: identity.clientId,
      merchantId: identity.merchantId,
      privateKey: over.privateKey ?? identity.clientPrivateKey,
      keyVersion: identity.keyVersion,
      alipayPublicKey: identity.sandboxPublicKey,
      timeoutMs: 5000,
      maxRetries: 4,
      retryBaseMs: 5,
      retryMaxMs: 20,
      concurrency: 16,
      requestsPerSecond: Number.POSITIVE_INFINITY,
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ identity });
  });
  afterAll(async () => {
    await sandbox.close();
    await kind.cleanup();
  });

  async function apply(
    p: Project,
    options: { client?: IpassClient; signal?: AbortSignal; retryFailed?: boolean } = {},
  ) {
    const notices: string[] = [];
    const backend = kind.open(p.place);
    const store = await backend.lock({ command: 'test', timeoutMs: 2000 });
    const api = options.client ?? client();
    try {
      const report = await runApply({
        store,
        client: api,
        plan: {
          make: async (state, exists) => {
            const { summaries } = await summarizePassBatches({
              batches: p.desired.passes,
              state,
              ledgers: store.ledgers,
              environment: 'dev',
              retryFailed: options.retryFailed === true,
            });
            const plan = makePlan({
              environment: 'dev',
              desired: p.desired,
              state,
              stateExists: exists,
              now: Date.now(),
              passSummaries: summaries,
            });
            if (options.retryFailed) plan.retryFailed = true;
            return plan;
          },
        },
        concurrency: 16,
        ...(options.signal ? { signal: options.signal } : {}),
        passes: createPassPhase({
          batches: p.desired.passes,
          stateDir: p.stateDir,
          environment: 'dev',
          concurrency: 16,
          hooks: { notice: (t) => notices.push(t) },
        }),
      });
      return { report, notices, state: store.state };
    } finally {
      await store.release();
      await backend.close();
      await api.close();
    }
  }

  const templateCode = (state: { templates: Record<string, { templateCode: string } | undefined> }) =>
    state.templates['c/coffee']?.templateCode ?? '';
  const ref = { address: 'c/gift', path: defaultLedgerPath('dev', 'c/gift') };
  /** How many of the batch's rows the ledger has issued (S) or confirmed (E). */
  const ledgerCount = (p: Project, status: 'S' | 'E') =>
    kind.ledgerStatusCount(p.place, 'dev', 'c/gift', status);
  /** Write what an earlier apply left in the batch's ledger, through the backend. */
  async function seedLedger(p: Project, write: (w: LedgerWriter) => Promise<void>): Promise<void> {
    const backend = kind.open(p.place);
    const store = await backend.lock({ command: 'seed', timeoutMs: 0 });
    try {
      const w = await store.ledgers.open(ref, await store.ledgers.read(ref, new KeyTable()));
      await write(w);
      await w.close();
    } finally {
      await store.release();
      await backend.close();
    }
  }
  /** Issue passes straight through the API, as an apply whose answers were lost would have. */
  async function createPasses(code: string, rows: { user: string; bizSerialId: string }[]): Promise<void> {
    const api = client();
    try {
      for (const r of rows) {
        const sent = await api.createPass({
          userId: r.user,
          templateCode: code,
          bizSerialId: r.bizSerialId,
          bizSerialType: 'OUT_PLAT_FORM',
          startDate: Date.now() + 86_400_000,
          endDate: Date.now() + 90 * 86_400_000,
          bizCreate: Date.now(),
          codeInfo: { $codemsg$: 'x' },
        });
        expect(sent.ok).toBe(true);
      }
    } finally {
      await api.close();
    }
  }
  const passesOf = (code: string) => sandbox.store.passes(code);

  it('creates the template and issues one pass per recipient with substituted content; a second apply issues nothing', async () => {
    const p = project();
    recipientsCsv(p.csv, 0, 1500);
    const first = await apply(p);
    expect(first.report.plan?.passBatches[0]).toMatchObject({ action: 'issue', toIssue: 1500 });
    expect(first.report.passes).toEqual([
      { address: 'c/gift', issued: 1500, failed: 0, inDoubt: 0, skipped: 0 },
    ]);
    const code = templateCode(first.state);
    const passes = passesOf(code);
    expect(passes).toHaveLength(1500);
    expect(new Set(passes.map((x) => x.userId)).size).toBe(1500);
    expect(passes.find((x) => x.userId === userId(7))?.bizSerialId).toBe(
      deriveBizSerialId('c/gift', { userId: userId(7) }),
    );
    expect(first.state.passBatches['c/gift']).toEqual({
      templateCode: code,
      ledger: defaultLedgerPath('dev', 'c/gift'),
      issued: 1500,
      failed: 0,
    });
    expect(await ledgerCount(p, 'S')).toBe(1500);

    const second = await apply(p);
    expect(second.report.plan?.passBatches[0]).toMatchObject({
      action: 'noop',
      alreadyIssued: 1500,
      toIssue: 0,
    });
    expect(second.report.passes).toEqual([]);
    expect(passesOf(code)).toHaveLength(1500);
  });

  it('records unknown users in the failures CSV without stopping the batch; holds them back until --retry-failed', async () => {
    const p = project();
    recipientsCsv(p.csv, 10_000, 300, [10_005, 10_100]);
    const { report, state } = await apply(p);
    expect(report.passes[0]).toMatchObject({ issued: 298, failed: 2 });
    const failures = readFileSync(report.passes[0]?.failuresFile ?? '', 'utf8')
      .trim()
      .split('\n');
    // The row's own columns (a `code` column of its own makes the result column `ipass_code`).
    expect(failures[0]).toBe('line,userId,code,name,bizSerialId,ipass_code,reason,whatToDo');
    expect(
      failures.slice(1).map((l) => {
        const cells = l.split(',');
        return [cells[0], cells[1], cells[3], cells[5]];
      }),
    ).toEqual([
      ['7', '2999000000010005', 'User 10005', 'USER_NOT_EXIST'],
      ['102', '2999000000010100', 'User 10100', 'USER_NOT_EXIST'],
    ]);
    expect(state.passBatches['c/gift']).toMatchObject({ issued: 298, failed: 2 });

    const held = await apply(p);
    expect(held.report.plan?.passBatches[0]).toMatchObject({
      action: 'noop',
      toIssue: 0,
      heldBack: { count: 2, codes: { USER_NOT_EXIST: 2 } },
    });
    expect(held.report.passes).toEqual([]);

    const again = await apply(p, { retryFailed: true });
    expect(again.report.plan?.passBatches[0]).toMatchObject({
      toIssue: 2,
      failedBefore: 2,
      alreadyIssued: 298,
    });
    expect(again.report.passes[0]).toMatchObject({ issued: 0, failed: 2 });
    expect(passesOf(templateCode(state))).toHaveLength(298);
  });

  it('issues new rows and reports removed ones after the file is edited', async () => {
    const p = project();
    recipientsCsv(p.csv, 20_000, 100);
    const { state } = await apply(p);
    recipientsCsv(p.csv, 20_040, 100); // 40 removed, 40 new
    const edited = await apply(p);
    expect(edited.report.plan?.passBatches[0]).toMatchObject({ alreadyIssued: 60, toIssue: 40, removed: 40 });
    expect(edited.report.passes[0]).toMatchObject({ issued: 40 });
    expect(passesOf(templateCode(state))).toHaveLength(140);
    expect(edited.state.passBatches['c/gift']?.issued).toBe(140);
  });

  it('gives exactly one pass per recipient through dropped answers and U results', async () => {
    const p = project();
    recipientsCsv(p.csv, 30_000, 600);
    const faults: FaultConfig = { dropAfterCommitRate: 0.15, unknownRate: 0.1, seed: 5 };
    sandbox.setFaults(faults);
    try {
      const { report, state } = await apply(p);
      const outcome = report.passes[0];
      // Any pass still in doubt after the client's retries is settled by the next apply.
      expect((outcome?.issued ?? 0) + (outcome?.inDoubt ?? 0)).toBe(600);
      sandbox.setFaults({});
      if ((outcome?.inDoubt ?? 0) > 0) await apply(p);
      const passes = passesOf(templateCode(state));
      expect(passes).toHaveLength(600);
      expect(new Set(passes.map((x) => x.bizSerialId)).size).toBe(600);
      expect(await ledgerCount(p, 'E')).toBeGreaterThan(0); // PASS_HAS_EXIST after a dropped answer counted as issued
    } finally {
      sandbox.setFaults({});
    }
  });

  it('will not replace a template while passes on it are in doubt; finished first, nobody gets two', async () => {
    const p = project();
    recipientsCsv(p.csv, 50_000, 40);
    const batches = p.desired.passes;
    p.desired.passes = [];
    const { state } = await apply(p); // the template alone
    const oldCode = templateCode(state);
    // Every createPass is applied but its answer lost, through all the client's retries.
    sandbox.setFaults({ script: [{ endpoint: 'createPass', fault: 'drop-after-commit', times: 40 * 5 }] });
    p.desired.passes = batches;
    try {
      const lost = await apply(p);
      expect(lost.report.passes[0]).toMatchObject({ issued: 0, inDoubt: 40 });
    } finally {
      sandbox.setFaults({});
    }
    expect(passesOf(oldCode)).toHaveLength(40);

    // A code type change replaces the template: refused while those 40 are in doubt.
    const original = p.desired.templates[0] as DesiredTemplate;
    p.desired.templates = [
      { ...original, body: { ...original.body, codeType: 'barcode', codeStandard: 'CODE128' } },
    ];
    const refused = await apply(p);
    expect(refused.report.plan?.changes[0]?.action).toBe('replace');
    expect(refused.report.plan?.passBatches[0]).toMatchObject({ toIssue: 40, inDoubt: 40 });
    expect(refused.report.plan?.diagnostics.map((d) => d.code)).toEqual(['PASS_IN_DOUBT_TEMPLATE_CHANGE']);
    expect(refused.report.outcomes).toEqual([]);
    expect(templateCode(refused.state)).toBe(oldCode);

    // As the hint says: without the change first (the 40 are confirmed on the old template) ...
    p.desired.templates = [original];
    const finished = await apply(p);
    expect(finished.report.passes[0]).toMatchObject({ issued: 40, inDoubt: 0 });
    // ... then the change: the batch has nothing left to issue, so nobody gets a second pass.
    p.desired.templates = [
      { ...original, body: { ...original.body, codeType: 'barcode', codeStandard: 'CODE128' } },
    ];
    const replaced = await apply(p);
    expect(replaced.report.plan?.diagnostics).toEqual([]);
    expect(replaced.report.plan?.passBatches[0]).toMatchObject({ action: 'noop', toIssue: 0 });
    const newCode = templateCode(replaced.state);
    expect(newCode).not.toBe(oldCode);
    expect(passesOf(oldCode)).toHaveLength(40);
    expect(passesOf(newCode)).toHaveLength(0);
  });

  it('re-sends rows left in doubt by a killed run; PASS_HAS_EXIST then counts as issued', async () => {
    const p = project();
    recipientsCsv(p.csv, 40_000, 50);
    p.desired.passes = [];
    const { state } = await apply(p); // only the template
    const code = templateCode(state);
    // A run that sent rows 0–9 and was killed before any answer was recorded.
    const ids = Array.from({ length: 10 }, (_, i) =>
      deriveBizSerialId('c/gift', { userId: userId(40_000 + i) }),
    );
    await createPasses(
      code,
      ids.map((bizSerialId, i) => ({ user: userId(40_000 + i), bizSerialId })),
    );
    await seedLedger(p, (w) => w.intents(ids));
    // A kill mid-write leaves a torn last line in a ledger file.
    if (kind.name === 'file') appendFileSync(join(p.stateDir, ref.path), 'I\tpartial');
    p.desired.passes = [batch(p.csv)];
    const { report } = await apply(p);
    expect(report.passes[0]).toMatchObject({ issued: 50, failed: 0 });
    expect(passesOf(code)).toHaveLength(50);
    expect(await ledgerCount(p, 'E')).toBe(10);
  });

  it('keeps a row in doubt after a later attempt failed: its PASS_HAS_EXIST then counts as issued', async () => {
    const p = project();
    // Ids from a bizSerialId column: PASS_HAS_EXIST is only ours when an attempt of ours was in doubt.
    const rows = Array.from({ length: 12 }, (_, i) => ({ user: userId(45_000 + i), id: `GIFT-45-${i}` }));
    writeFileSync(
      p.csv,
      `userId,bizSerialId,code,name\n${rows.map((r) => `${r.user},${r.id},C,N`).join('\n')}\n`,
    );
    p.desired.passes = [];
    const code = templateCode((await apply(p)).state);
    // Rows 0–5: an apply whose createPass reached the API but was killed before the answer, then
    // an apply in which the template was paused for a while, so the retry failed.
    await createPasses(
      code,
      rows.slice(0, 6).map((r) => ({ user: r.user, bizSerialId: r.id })),
    );
    const early = rows.slice(0, 6).map((r) => r.id);
    await seedLedger(p, async (w) => {
      w.template(code, 1);
      await w.intents(early);
      await w.intents(early);
      for (const id of early) w.failed(id, 'PASS_TEMPLATE_STATUS_ILLEGAL', 2);
    });
    p.desired.passes = [batch(p.csv)];
    const { report } = await apply(p);
    expect(report.passes[0]).toMatchObject({ issued: 12, failed: 0 });
    expect(passesOf(code)).toHaveLength(12);
    expect(await ledgerCount(p, 'E')).toBe(6);
  });

  it('stops the whole apply on a credentials failure and records nothing as issued', async () => {
    const p = project();
    recipientsCsv(p.csv, 50_000, 40);
    p.desired.passes = [];
    const { state } = await apply(p);
    p.desired.passes = [batch(p.csv)];
    const wrong = client({ privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey });
    const { report } = await apply(p, { client: wrong });
    expect(report.stopReason).toBe('credentials');
    expect(report.credentialsFailure?.code).toBe('INVALID_SIGNATURE');
    expect(report.passes[0]).toMatchObject({ issued: 0, failed: 0 });
    expect(passesOf(templateCode(state))).toHaveLength(0);
    const retry = await apply(p);
    expect(retry.report.passes[0]).toMatchObject({ issued: 40 });
  });

  it('stops a batch once the template runs out of stock (the plan warned)', async () => {
    const p = project(100);
    recipientsCsv(p.csv, 60_000, 150);
    const { report, notices } = await apply(p);
    expect(report.plan?.diagnostics.map((d) => d.code)).toContain('PASS_STOCK_EXCEEDED');
    expect(report.passes[0]?.issued).toBe(100);
    expect(report.passes[0]?.failed).toBeGreaterThanOrEqual(1);
    expect(report.passes[0]?.failed).toBeLessThan(50);
    expect(notices.join('\n')).toContain('stopped issuing after PASS_TEMPLATE_STOCK_NOT_ENOUGH');
  });

  it('starts nothing new once the apply is interrupted', async () => {
    const p = project();
    recipientsCsv(p.csv, 70_000, 2000);
    const stop = new AbortController();
    sandbox.setFaults({ latencyMs: 5 });
    try {
      // Ctrl-C once the batch is under way (the sandbox holds 200 more passes than before).
      const before = sandbox.store.passCount();
      const watcher = setInterval(() => {
        if (sandbox.store.passCount() >= before + 200) stop.abort();
      }, 5);
      const { report } = await apply(p, { signal: stop.signal }).finally(() => clearInterval(watcher));
      expect(report.stopReason).toBe('interrupted');
      const outcome = report.passes[0];
      expect(outcome?.issued).toBeGreaterThan(0);
      expect(outcome?.issued).toBeLessThan(2000);
      expect((outcome?.issued ?? 0) + (outcome?.skipped ?? 0)).toBe(2000);
    } finally {
      sandbox.setFaults({});
    }
    const rest = await apply(p);
    expect(
      (rest.report.plan?.passBatches[0]?.alreadyIssued ?? 0) + (rest.report.passes[0]?.issued ?? 0),
    ).toBe(2000);
  });
}

describe('pass phase against the sandbox: file backend', () => passPhaseSuite(fileKind()));
await describePostgres('pass phase against the sandbox: postgres backend', () =>
  passPhaseSuite(postgresKind()),
);
