// The postgres backend as CI runners use it: the built CLI in several working folders that share
// one database schema and one standalone sandbox. An apply killed with SIGKILL at many points (while
// templates are created and while passes are issued) is finished from other folders, the last of
// which never had any local state: no template or pass exists twice, and the state equals what the
// API holds. Two applies at once: one proceeds. A terminated database session stops the apply
// cleanly. A file-backend folder migrates, then applies with nothing to do.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deriveBizSerialId } from '../../src/passes/index.js';
import { type CliResult, runCli, spawnCli } from '../helpers/cli.js';
import { describePostgres, dropSchema, freshSchema, sql, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

const TEMPLATES = 10;
const RECIPIENTS = 1500;
const userId = (i: number): string => String(2_160_000_000_000_000 + i);
const PASSES = `passes:
  gift:
    template: t00
    recipients: recipients/gift.csv
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
`;

function templates(round: number): Record<string, TemplateSpec> {
  const out: Record<string, TemplateSpec> = {};
  for (let i = 0; i < TEMPLATES; i++) {
    const edited = round >= 2 && i % 2 === 1;
    out[`t${String(i).padStart(2, '0')}`] = {
      name: `Handover ${i}${edited ? ` r${round}` : ''}`,
      stock: 5000 + (edited ? round : 0),
    };
  }
  return out;
}

interface SandboxPass {
  passId: string;
  bizSerialId: string;
}

await describePostgres('postgres backend: runners hand over', () => {
  const schema = freshSchema('ipass_e2e');
  const stateLines = (s = schema) =>
    ['state:', '  backend: postgres', '  url: env:IPASS_STATE_URL', `  schema: ${s}`].join('\n');
  const env = { IPASS_STATE_URL: TEST_DATABASE_URL };
  const root = tempDir('pg-handover');
  let sandbox: SandboxProcess;

  /** A working folder of its own (a fresh CI runner): config, campaign files and recipients. */
  function runner(
    name: string,
    round: number,
    options: { concurrency?: number; state?: string } = {},
  ): string {
    const dir = join(root, name);
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    writeConfig(dir, sandbox.info, {
      concurrency: options.concurrency ?? 4,
      extra: options.state ?? stateLines(),
    });
    writeCampaign(dir, 'handover', templates(round), PASSES);
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => `${userId(i)},C${i}`);
    writeFileSync(join(dir, 'campaigns', 'recipients', 'gift.csv'), `userId,code\n${rows.join('\n')}\n`);
    return dir;
  }

  const passCount = async (): Promise<number> =>
    (await sandbox.get<{ passes: number }>('/__sandbox/info')).passes;
  const cli = (args: string[], cwd: string): Promise<CliResult> => runCli(args, { cwd, env });

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(root, 'sandbox-data'), root, [
      '--latency-ms',
      '15',
      '--drop-after-commit-rate',
      '0.05',
      '--seed',
      '7',
    ]);
  });
  afterAll(async () => {
    await sandbox?.stop();
    await dropSchema(schema);
  });

  /**
   * Start an apply in `dir` and SIGKILL it once `ready` holds; whether it was killed mid-way. `ready` is
   * asked as soon as the apply prints, and every 20 ms (the sandbox's count changes without output).
   */
  async function killWhen(dir: string, ready: (stdout: string) => Promise<boolean> | boolean) {
    const { child, done } = spawnCli(['apply', '--auto-approve'], { cwd: dir, env });
    let stdout = '';
    let printed = (): void => undefined;
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      printed();
    });
    let exited = false;
    void done.then(() => {
      exited = true;
      printed();
    });
    while (!exited) {
      if (await ready(stdout)) {
        child.kill('SIGKILL');
        return { killed: (await done).signal === 'SIGKILL', result: await done };
      }
      const ac = new AbortController();
      await Promise.race([
        sleep(20, undefined, { signal: ac.signal }).catch(() => undefined),
        new Promise<void>((resolve) => {
          printed = resolve;
        }),
      ]);
      ac.abort();
    }
    return { killed: false, result: await done };
  }

  async function checkExactlyOnce(dir: string, round: number): Promise<void> {
    const live = (await sandboxTemplates(sandbox)).filter((t) => t.status !== 'closed');
    const list = await cli(['state', 'list', '--format', 'json'], dir);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as { address: string; templateCode: string; stock: number }[];
    expect(live, 'live templates').toHaveLength(TEMPLATES);
    for (const [key, spec] of Object.entries(templates(round))) {
      const matching = live.filter((t) => JSON.stringify(t.content).includes(`"${spec.name}"`));
      expect(matching, `live templates named ${spec.name}`).toHaveLength(1);
      const row = rows.find((r) => r.address === `handover/${key}`);
      expect(row?.templateCode).toBe(matching[0]?.templateCode);
      expect(matching[0]?.stock).toBe(spec.stock);
      expect(row?.stock).toBe(spec.stock);
    }
    const code = rows.find((r) => r.address === 'handover/t00')?.templateCode;
    const { passes } = await sandbox.get<{ passes: SandboxPass[] }>(`/__sandbox/passes?templateCode=${code}`);
    expect(passes).toHaveLength(RECIPIENTS);
    expect(new Set(passes.map((p) => p.bizSerialId))).toEqual(
      new Set(
        Array.from({ length: RECIPIENTS }, (_, i) =>
          deriveBizSerialId('handover/gift', { userId: userId(i) }),
        ),
      ),
    );
    // The ledger in the database agrees with the API, pass by pass.
    const ledger = await sql<{ biz_serial_id: string; status: string; pass_id: string | null }>(
      `SELECT biz_serial_id, status, pass_id FROM "${schema}".pass_ledger WHERE batch = 'handover/gift'`,
    );
    // Every passId is recorded, except where PASS_HAS_EXIST settled a re-sent request (that answer
    // carries no passId): no more of those than such answers the sandbox gave.
    expect(ledger.every((r) => r.status === 'S' || r.status === 'E')).toBe(true);
    const byId = new Map(ledger.map((r) => [r.biz_serial_id, r]));
    for (const p of passes) {
      const row = byId.get(p.bizSerialId);
      if (row?.status === 'S') expect(row.pass_id, p.bizSerialId).toBe(p.passId);
      else expect(row?.status, `${p.bizSerialId}: no passId recorded`).toBe('E');
    }
    const stats = await sandbox.get<{ byEndpoint: Record<string, Record<string, number>> }>(
      '/__sandbox/stats',
    );
    const confirmedOnly = ledger.filter((r) => r.status === 'E').length;
    expect(confirmedOnly).toBeLessThanOrEqual(stats.byEndpoint.createPass?.PASS_HAS_EXIST ?? 0);
    const plan = await cli(['plan', '--detailed-exitcode'], dir);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  }

  it('finishes an apply killed at many points from other folders, the last with no local state at all', async () => {
    const outcomes: { killed: boolean; output: string }[] = [];
    // Templates: killed after 0..3 changes were reported done, each time from the other runner.
    for (let round = 0; round < 4; round++) {
      const dir = runner(round % 2 ? 'runner-b' : 'runner-a', round);
      const { killed, result } = await killWhen(dir, (out) => (out.match(/✓/g) ?? []).length >= round);
      outcomes.push({ killed, output: result.stdout + result.stderr });
    }
    // Passes: killed at a share of the recipients, alternating runners again.
    for (const [i, share] of [0.15, 0.4, 0.7].entries()) {
      const dir = runner(i % 2 ? 'runner-a' : 'runner-b', 3);
      const { killed, result } = await killWhen(dir, async () => (await passCount()) >= RECIPIENTS * share);
      outcomes.push({ killed, output: result.stdout + result.stderr });
    }
    expect(outcomes.filter((o) => o.killed).length, 'runs killed mid-apply').toBeGreaterThanOrEqual(5);
    // A killed runner's lock went with its session: the next runner never had to wait for it.
    for (const o of outcomes) expect(o.output).not.toContain('LOCK_HELD');

    const fresh = runner('runner-c', 3);
    expect(existsSync(join(fresh, '.ipass'))).toBe(false);
    let last: CliResult | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      last = await cli(['apply', '--auto-approve'], fresh);
      if (last.code === 0) break;
    }
    expect(last?.code, `${last?.stdout}${last?.stderr}`).toBe(0);
    expect(`${last?.stdout}${last?.stderr}`).not.toContain('internal error');
    await checkExactlyOnce(fresh, 3);
    // Runner A, with its own copy of the files, agrees there is nothing left to do.
    await checkExactlyOnce(runner('runner-a', 3), 3);
  }, 240_000); // seven killed applies and three more: well over the default under load

  it('lets exactly one of two simultaneous applies proceed; the other names the holder', async () => {
    const a = runner('race-a', 5, { concurrency: 1 });
    const b = runner('race-b', 5, { concurrency: 1 });
    // Each apply holds the lock for a few seconds, so the two certainly overlap.
    await sandbox.setFaults({ latencyMs: 300 });
    try {
      const [ra, rb] = await Promise.all([
        cli(['apply', '--auto-approve'], a),
        cli(['apply', '--auto-approve'], b),
      ]);
      const results = [ra, rb];
      expect(results.map((r) => r.code).sort()).toEqual([0, 3]);
      const loser = results.find((r) => r.code === 3);
      expect(loser?.stderr).toContain('LOCK_HELD');
      expect(loser?.stderr).toMatch(/pid \d+ on .*ipass apply/);
    } finally {
      await sandbox.setFaults({ latencyMs: 15, dropAfterCommitRate: 0.05, seed: 7 });
    }
    await checkExactlyOnce(a, 5);
  });

  it('stops cleanly when its database session is terminated mid-apply; the next apply finishes', async () => {
    const dir = runner('terminated', 6, { concurrency: 1 });
    // Slow answers: the apply is still updating templates when its session is cut.
    await sandbox.setFaults({ latencyMs: 200 });
    const { child, done } = spawnCli(['apply', '--auto-approve'], { cwd: dir, env });
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    // Wait until it is updating templates (the round changed half of them), then cut its session.
    while (!/✓/.test(stdout) && child.exitCode === null) await sleep(20);
    const killed = await sql<{ pid: number }>(
      `SELECT pg_terminate_backend(backend_pid) AS ok, backend_pid AS pid FROM "${schema}".locks`,
    );
    expect(killed).toHaveLength(1);
    const result = await done;
    await sandbox.setFaults({ latencyMs: 15, dropAfterCommitRate: 0.05, seed: 7 });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain('STATE_DB_LOST');
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const again = await cli(['apply', '--auto-approve'], dir);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    await checkExactlyOnce(dir, 6);
  });

  it('migrates a file-backend folder, then applies with nothing to do', async () => {
    const target = freshSchema('ipass_migrate');
    try {
      const dir = join(root, 'migrating');
      mkdirSync(dir, { recursive: true });
      writeConfig(dir, sandbox.info, { concurrency: 4 });
      writeCampaign(
        dir,
        'moving',
        { solo: { name: 'Migrated', stock: 5000 } },
        PASSES.replace('t00', 'solo'),
      );
      mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
      const rows = Array.from({ length: RECIPIENTS }, (_, i) => `${userId(i)},M${i}`);
      writeFileSync(join(dir, 'campaigns', 'recipients', 'gift.csv'), `userId,code\n${rows.join('\n')}\n`);
      // The sandbox drops some answers: apply until nothing is left in doubt.
      let first = await cli(['apply', '--auto-approve'], dir);
      for (let i = 0; i < 4 && first.code !== 0; i++) first = await cli(['apply', '--auto-approve'], dir);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(existsSync(join(dir, '.ipass', 'dev.state.json'))).toBe(true);

      writeConfig(dir, sandbox.info, { concurrency: 4, extra: stateLines(target) });
      const before = await cli(['plan', '--detailed-exitcode'], dir);
      expect(before.code, 'the empty database would create everything again').toBe(2);
      const migrate = await cli(['state', 'migrate', '--from-dir', '.ipass'], dir);
      expect(migrate.code, migrate.stdout + migrate.stderr).toBe(0);
      expect(migrate.stdout).toContain('1 template(s), 1 pass ledger(s) with 1,500 recipient row(s)');
      const plan = await cli(['plan', '--detailed-exitcode'], dir);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      const apply = await cli(['apply', '--auto-approve'], dir);
      expect(apply.stdout).toContain('No changes.');
      const again = await cli(['state', 'migrate', '--from-dir', '.ipass'], dir);
      expect(again.stdout).toContain('nothing to copy');
    } finally {
      await dropSchema(target);
    }
  });

  it('stops before sending anything when the database cannot be reached or used, naming the server but never the password', async () => {
    const dir = runner('unreachable', 7);
    const sent = async () =>
      Object.values(
        (await sandbox.get<{ byEndpoint: Record<string, Record<string, number>> }>('/__sandbox/stats'))
          .byEndpoint,
      )
        .flatMap((codes) => Object.values(codes))
        .reduce((a, b) => a + b, 0);
    const before = await sent();
    const cases = [
      { url: 'postgres://postgres:hunter2secret@127.0.0.1:1/test', code: 'STATE_DB_UNREACHABLE' },
      { url: 'postgres://no_such_role_x:hunter2secret@127.0.0.1:5432/test', code: 'STATE_DB_AUTH_FAILED' },
      {
        url: 'postgres://postgres:hunter2secret@127.0.0.1:5432/no_such_database_x',
        code: 'STATE_DB_NOT_FOUND',
      },
    ];
    await sql('DROP ROLE IF EXISTS ipass_test_readonly').catch(() => undefined);
    await sql('CREATE ROLE ipass_test_readonly LOGIN');
    try {
      // A role that may log in, but not create ipass's schema.
      cases.push({
        url: 'postgres://ipass_test_readonly:hunter2secret@127.0.0.1:5432/test',
        code: 'STATE_DB_PERMISSION',
      });
      for (const c of cases) {
        const r = await runCli(['apply', '--auto-approve'], { cwd: dir, env: { IPASS_STATE_URL: c.url } });
        expect(r.code).toBe(1);
        expect(r.stderr, c.url).toContain(c.code);
        expect(r.stderr).toContain('127.0.0.1');
        expect(r.stdout + r.stderr).not.toContain('hunter2secret');
        expect(r.stderr).not.toContain('internal error');
      }
    } finally {
      await sql('DROP ROLE IF EXISTS ipass_test_readonly');
    }
    expect(await sent()).toBe(before);
  });
});
