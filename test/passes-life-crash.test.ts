// kill -9 of a real `ipass apply` while it updates 450 issued passes and closes 50 (the postgres
// backend; the file backend's run is in passes-life.test.ts), against a sandbox that adds latency and
// drops some answers after committing them; then apply again until done. Each pass ends updated once
// (the sandbox counts changes of what a pass shows) or closed, and the ledger says so honestly.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deriveBizSerialId } from '../src/passes/index.js';
import { runCli, spawnCli } from './helpers/cli.js';
import { describePostgres, dropSchema, freshSchema, sql, TEST_DATABASE_URL } from './helpers/postgres.js';
import { tempDir, writeCampaign, writeConfig } from './helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from './helpers/sandbox-process.js';

const RECIPIENTS = 500;
const REVOKED = 50;
const userId = (i: number): string => String(2_160_000_000_000_000 + i);
const serial = (i: number): string => deriveBizSerialId('promo/gift', { userId: userId(i) });

const batchYaml = (shop: string, revoked = false): string =>
  [
    'passes:',
    '  gift:',
    '    template: coffee',
    '    recipients: recipients/gift.csv',
    '    codeInfo: { $codemsg$: "GIFT-{{userId}}", $codevalue$: "GIFT-{{userId}}" }',
    `    dataInfo: { en_US: { $shopname$: "${shop}" } }`,
    ...(revoked ? ['    revoked: recipients/wrong.csv'] : []),
    '',
  ].join('\n');

interface SandboxPass {
  bizSerialId: string;
  status: string;
  updates: number;
  dataInfo?: { en_US?: Record<string, string> };
}

await describePostgres('kill -9 while updating and closing passes (postgres backend)', () => {
  const schema = freshSchema('ipass_life');
  const env = { IPASS_STATE_URL: TEST_DATABASE_URL };
  const dir = tempDir('passes-life-crash');
  let sandbox: SandboxProcess;
  const stats = async () =>
    sandbox.get<{ requests: Record<string, number>; byEndpoint: Record<string, Record<string, number>> }>(
      '/__sandbox/stats',
    );
  const applyUntilDone = async (): Promise<number> => {
    for (let runs = 1; runs <= 6; runs++) {
      const apply = await runCli(['apply', '--auto-approve'], { cwd: dir, env });
      if (apply.code === 0) return runs;
    }
    return 7;
  };

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir, [
      '--latency-ms',
      '10',
      '--drop-after-commit-rate',
      '0.05',
      '--seed',
      '19',
    ]);
    writeConfig(dir, sandbox.info, {
      concurrency: 8,
      extra: ['state:', '  backend: postgres', '  url: env:IPASS_STATE_URL', `  schema: ${schema}`].join(
        '\n',
      ),
    });
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => userId(i));
    writeFileSync(join(dir, 'campaigns', 'recipients', 'gift.csv'), `userId\n${rows.join('\n')}\n`);
    writeFileSync(
      join(dir, 'campaigns', 'recipients', 'wrong.csv'),
      `userId\n${rows.slice(0, REVOKED).join('\n')}\n`,
    );
    writeCampaign(dir, 'promo', { coffee: { stock: 1000 } }, batchYaml('Harbour Rost'));
    expect(await applyUntilDone()).toBeLessThan(7);
  }, 180_000);
  afterAll(async () => {
    await sandbox?.stop();
    await dropSchema(schema);
  });

  /** Start an apply and SIGKILL it once the sandbox has had `calls` updatePass requests. */
  async function killAfter(calls: number): Promise<boolean> {
    const { child, done } = spawnCli(['apply', '--auto-approve'], { cwd: dir, env });
    let exited = false;
    void done.then(() => {
      exited = true;
    });
    while (!exited) {
      if (((await stats()).requests.updatePass ?? 0) >= calls) {
        child.kill('SIGKILL');
        return (await done).signal === 'SIGKILL';
      }
      await sleep(5);
    }
    return false;
  }

  it('updates each pass once and closes each revoked one, whatever instant the apply is killed at', async () => {
    writeCampaign(dir, 'promo', { coffee: { stock: 1000 } }, batchYaml('Harbour Roast', true));
    const killed: boolean[] = [];
    for (const calls of [1, 120, 260, 400]) killed.push(await killAfter(calls));
    expect(killed.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    expect(await applyUntilDone()).toBeLessThan(7);

    const { passes } = await sandbox.get<{ passes: SandboxPass[] }>('/__sandbox/passes');
    const revoked = new Set(Array.from({ length: REVOKED }, (_, i) => serial(i)));
    // Passes issued when a lost answer was followed by PASS_HAS_EXIST have no passId: they cannot
    // be changed, and the plan says so.
    const noPassId = new Set(
      (
        await sql<{ id: string }>(
          `SELECT biz_serial_id AS id FROM "${schema}".pass_ledger WHERE status = 'E' AND pass_id IS NULL`,
        )
      ).map((r) => r.id),
    );
    expect(passes).toHaveLength(RECIPIENTS);
    for (const p of passes) {
      const expected = noPassId.has(p.bizSerialId)
        ? ['active', 0, 'Harbour Rost']
        : revoked.has(p.bizSerialId)
          ? ['closed', 0, 'Harbour Rost']
          : ['active', 1, 'Harbour Roast'];
      expect([p.status, p.updates, p.dataInfo?.en_US?.$shopname$]).toEqual(expected);
    }
    // Answers were lost after the sandbox applied them, and requests were sent again.
    const s = await stats();
    expect(s.requests.updatePass ?? 0).toBeGreaterThan(RECIPIENTS);

    // The ledger: every revoked pass closed, or "closed, or used first" where a lost answer leaves
    // AlipayHK's refusal of the repeat ambiguous; no change left in doubt.
    const rows = await sql<{ life: string; n: string }>(
      `SELECT life, count(*) AS n FROM "${schema}".pass_ledger GROUP BY life ORDER BY life`,
    );
    const byLife = Object.fromEntries(rows.map((r) => [r.life, Number(r.n)]));
    const revokedWithId = [...revoked].filter((id) => !noPassId.has(id)).length;
    expect((byLife.closed ?? 0) + (byLife['closed-or-used'] ?? 0)).toBe(revokedWithId);
    expect(byLife.active).toBe(RECIPIENTS - revokedWithId);
    const again = await runCli(['plan'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/close [1-9]|update [1-9]/);
    if (noPassId.size > 0) expect(again.stdout).toContain('which gives no passId');
  }, 180_000);
});
