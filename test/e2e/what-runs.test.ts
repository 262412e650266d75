// What was shown is what runs, and the API ends at the files' values: stock changed outside ipass
// (by another checkout) is corrected from the stock the API reports, by a refreshed saved plan and by
// a plain apply alike; a saved plan that was edited, is for another environment, or meets requests
// left in doubt is refused before anything is sent. The built CLI against a standalone sandbox.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { sandboxKeyLines, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

describe('what was shown is what runs', () => {
  const root = tempDir('what-runs');
  let sandbox: SandboxProcess;
  let n = 0;
  function project(extra = ''): string {
    const dir = join(root, `p${++n}`);
    mkdirSync(dir, { recursive: true });
    writeConfig(dir, sandbox.info, { concurrency: 2, extra });
    return dir;
  }
  const cli = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
    runCli(args, { cwd, env });
  const stockAtApi = async (name: string): Promise<number | undefined> =>
    (await sandboxTemplates(sandbox)).find((t) => JSON.stringify(t.content).includes(`"${name}"`))?.stock;
  const stateStock = async (dir: string, address: string): Promise<number | undefined> => {
    const rows = JSON.parse((await cli(['state', 'list', '--format', 'json'], dir)).stdout) as {
      address: string;
      stock?: number;
      templateCode?: string;
    }[];
    return rows.find((r) => r.address === address)?.stock;
  };
  const codeIn = async (dir: string, address: string): Promise<string> => {
    const rows = JSON.parse((await cli(['state', 'list', '--format', 'json'], dir)).stdout) as {
      address: string;
      templateCode?: string;
    }[];
    return rows.find((r) => r.address === address)?.templateCode ?? '';
  };
  const mutating = async (): Promise<number> => {
    const stats = await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats');
    const { detail: _, ...writes } = stats.requests ?? {};
    return Object.values(writes).reduce((a, b) => a + b, 0);
  };

  /** Another checkout (its own state) that imports the template and sets its stock to `stock`. */
  async function otherCheckoutSets(code: string, name: string, stock: number): Promise<void> {
    const other = project();
    writeCampaign(other, 'drift', { coffee: { name, stock } });
    expect((await cli(['state', 'import', 'drift/coffee', code], other)).code).toBe(0);
    const r = await cli(['apply', '--auto-approve'], other);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await stockAtApi(name)).toBe(stock);
  }

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(root, 'sandbox-data'), root);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('corrects stock changed by another checkout from what the API holds: a refreshed saved plan, then a plain apply', async () => {
    const dir = project();
    const name = 'Drifting stock';
    writeCampaign(dir, 'drift', { coffee: { name, stock: 100 } });
    expect((await cli(['apply', '--auto-approve'], dir)).code).toBe(0);
    const code = await codeIn(dir, 'drift/coffee');
    await otherCheckoutSets(code, name, 150);

    // The refreshed plan shows the drift and the correction; applied as saved, the API ends at 100.
    const plan = await cli(['plan', '--refresh', '--out', 'fix.json'], dir);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/stock: 150 in state, |stock: 100 in state, 150 remotely/);
    const applied = await cli(['apply', 'fix.json'], dir);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await stockAtApi(name)).toBe(100);
    expect(await stateStock(dir, 'drift/coffee')).toBe(100);
    const again = await cli(['apply', '--auto-approve'], dir);
    expect(again.stdout).toContain('No changes.');
    expect(await stockAtApi(name)).toBe(100);

    // Changed again outside: a plain apply reads only what its plan changes (nothing here), so the
    // drift stays; a sweeping apply reads every template first and ends at the files' value too.
    await otherCheckoutSets(code, name, 170);
    const targeted = await cli(['apply', '--auto-approve'], dir);
    expect(targeted.stdout).toContain('No changes.');
    expect(await stockAtApi(name)).toBe(170);
    const plain = await cli(['apply', '--auto-approve', '--refresh=all'], dir);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(await stockAtApi(name)).toBe(100);
    expect(await stateStock(dir, 'drift/coffee')).toBe(100);
    // And the files' own change is carried out against the API's figure.
    await otherCheckoutSets(code, name, 130);
    writeCampaign(dir, 'drift', { coffee: { name, stock: 120 } });
    const raised = await cli(['apply', '--auto-approve'], dir);
    expect(raised.code, raised.stdout + raised.stderr).toBe(0);
    expect(await stockAtApi(name)).toBe(120);
    expect(await stateStock(dir, 'drift/coffee')).toBe(120);
  });

  it('refuses a hand-edited saved plan, naming the first request that differs; nothing is sent', async () => {
    const dir = project();
    writeCampaign(dir, 'edited', { coffee: { name: 'Edited plan', stock: 100 } });
    expect((await cli(['apply', '--auto-approve'], dir)).code).toBe(0);
    writeCampaign(dir, 'edited', { coffee: { name: 'Edited plan', stock: 120 } });
    expect((await cli(['plan', '--out', 'p.json'], dir)).code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'));
    const budget = saved.changes[0].requests.find((r: { endpoint: string }) => r.endpoint === 'updateBudget');
    expect(budget.stockTarget).toBe(120);
    budget.stockTarget = 90000;
    writeFileSync(join(dir, 'p.json'), JSON.stringify(saved));
    const before = await mutating();
    const r = await cli(['apply', 'p.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PLAN_DIVERGED');
    expect(r.stderr).toContain('edited/coffee: request 2 (updateBudget) stock: 90000 → 120');
    expect(await mutating()).toBe(before);
    expect(await stockAtApi('Edited plan')).toBe(100);
  });

  it('refuses a saved plan for another environment, whether named by -e or by IPASS_ENV', async () => {
    const dir = project('');
    const staging = [
      '  staging:',
      `    endpoint: ${sandbox.info.url}`,
      `    clientId: ${sandbox.info.clientId}`,
      `    merchantId: "${sandbox.info.merchantId}"`,
      ...sandboxKeyLines(dir, sandbox.info),
    ].join('\n');
    appendFileSync(join(dir, 'ipass.config.yaml'), `\n${staging}\n`);
    writeCampaign(dir, 'envs', { coffee: { name: 'Other environment' } });
    expect((await cli(['plan', '-e', 'dev', '--out', 'p.json'], dir)).code).toBe(0);
    const before = await mutating();
    for (const [args, env] of [
      [['apply', 'p.json'], { IPASS_ENV: 'staging' }],
      [['apply', '-e', 'staging', 'p.json'], {}],
    ] as const) {
      const r = await cli([...args], dir, env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('PLAN_WRONG_ENVIRONMENT');
      expect(r.stderr).toContain('"dev"');
    }
    expect(await mutating()).toBe(before);
    // With the plan's own environment it runs.
    const ok = await cli(['apply', 'p.json'], dir, { IPASS_ENV: 'dev' });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
  });

  it('refuses a saved plan before re-sending anything an interrupted apply left in doubt', async () => {
    const dir = project();
    writeCampaign(dir, 'unsettled', { base: { name: 'Unsettled base' } });
    expect((await cli(['apply', '--auto-approve'], dir)).code).toBe(0);
    writeCampaign(dir, 'unsettled', { base: { name: 'Unsettled base' }, first: { name: 'Unsettled first' } });
    expect((await cli(['plan', '--out', 'p.json'], dir)).code).toBe(0);
    // Another apply creates it, but every answer is lost: the create is in doubt.
    await sandbox.setFaults({
      script: [{ endpoint: 'createTemplate', fault: 'drop-after-commit', times: 10 }],
    });
    const lost = await cli(['apply', '--auto-approve'], dir);
    await sandbox.setFaults({});
    expect(lost.code).toBe(1);
    const before = await mutating();
    const r = await cli(['apply', 'p.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PLAN_STALE|PLAN_UNSETTLED/);
    expect(r.stdout).not.toContain('Re-sending');
    expect(await mutating()).toBe(before);
  });
});
