// Every plan action, end to end: the built CLI as a subprocess against a standalone sandbox on
// 127.0.0.1, checked through the sandbox's inspection routes. Steps build on each other, in order.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpassClient } from '../../src/api/client.js';
import { parsePrivateKey, parsePublicKey } from '../../src/shared/keys.js';
import { runCli } from '../helpers/cli.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

interface StateRow {
  address: string;
  templateCode: string;
  status: string;
  stock: number;
}

describe('plan and apply, action by action', () => {
  const dir = tempDir('actions');
  let sandbox: SandboxProcess;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });
  const campaign = (templates: Record<string, TemplateSpec>, extra = '') =>
    writeCampaign(dir, 'promo', templates, extra);
  const stateRows = async (): Promise<StateRow[]> =>
    JSON.parse((await cli('state', 'list', '--format', 'json')).stdout);
  const codeOf = async (address: string) =>
    (await stateRows()).find((r) => r.address === address)?.templateCode ?? '';
  const remote = async (code: string) =>
    (await sandboxTemplates(sandbox)).find((t) => t.templateCode === code);
  /** Requests that change something (apply also reads every template with `detail` first). */
  const requestCount = async () => {
    const stats = await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats');
    const { detail: _, ...changes } = stats.requests ?? {};
    return Object.values(changes).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0);
  };

  const base: Record<string, TemplateSpec> = {
    latte: { name: 'Latte', stock: 100 },
    mocha: { name: 'Mocha', stock: 50, protect: true },
    tea: { name: 'Tea', stock: 10 },
  };

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('creates every new template, and a second apply is a no-op', async () => {
    campaign(base);
    const plan = await cli('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('Plan: 3 to create.');
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 3 created.');
    const rows = await stateRows();
    expect(rows.map((r) => r.address)).toEqual(['promo/latte', 'promo/mocha', 'promo/tea']);
    expect(await sandboxTemplates(sandbox)).toHaveLength(3);

    const again = await cli('apply', '--auto-approve');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
    expect(await sandboxTemplates(sandbox)).toHaveLength(3);
  });

  it('sends nothing when the campaign files have an error', async () => {
    const before = await requestCount();
    campaign({ ...base, latte: { name: 'L'.repeat(51), stock: 100 } });
    const r = await cli('apply', '--auto-approve');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/campaigns\/promo\.yaml:\d+:\d+: error TEMPLATE_NAME_TOO_LONG/);
    expect(r.stderr).toContain('nothing was sent');
    expect(await requestCount()).toBe(before);
    campaign(base);
  });

  it('edits text → update', async () => {
    campaign({ ...base, latte: { name: 'Latte (large)', stock: 100 } });
    const plan = await cli('plan');
    expect(plan.stdout).toContain('localeInfo.en_US.name: "Latte" → "Latte (large)"');
    expect((await cli('apply', '--auto-approve')).code).toBe(0);
    const t = await remote(await codeOf('promo/latte'));
    expect(JSON.stringify(t?.content)).toContain('Latte (large)');
  });

  it('edits stock → stock (updateBudget by the difference)', async () => {
    campaign({ ...base, latte: { name: 'Latte (large)', stock: 140 } });
    const plan = await cli('plan');
    expect(plan.stdout).toMatch(/~ promo\/latte {2}stock/);
    expect((await cli('apply', '--auto-approve')).code).toBe(0);
    expect((await remote(await codeOf('promo/latte')))?.stock).toBe(140);
  });

  it('pauses → status', async () => {
    base.latte = { name: 'Latte (large)', stock: 140 };
    campaign({ ...base, tea: { ...base.tea, status: 'paused' } });
    expect((await cli('apply', '--auto-approve')).code).toBe(0);
    expect((await remote(await codeOf('promo/tea')))?.status).toBe('paused');
  });

  it('changes codeType → replace: a new template, the old one closed', async () => {
    base.tea = { ...base.tea, status: 'paused' };
    const old = await codeOf('promo/tea');
    campaign({ ...base, tea: { ...base.tea, codeType: 'barcode', codeStandard: 'CODE128' } });
    const plan = await cli('plan');
    expect(plan.stdout).toContain('± promo/tea  replace');
    expect(plan.stdout).toContain('irreversible');
    expect((await cli('apply', '--auto-approve')).code).toBe(0);
    const fresh = await codeOf('promo/tea');
    expect(fresh).not.toBe(old);
    expect((await remote(old))?.status).toBe('closed');
    expect(await remote(fresh)).toMatchObject({ codeType: 'barcode', status: 'paused' });
    base.tea = { ...base.tea, codeType: 'barcode', codeStandard: 'CODE128' };
  });

  it('deleting a template closes nothing; a removed: entry → close', async () => {
    const code = await codeOf('promo/latte');
    const { latte: _gone, ...rest } = base;
    const before = await requestCount();
    campaign(rest);
    const refused = await cli('plan');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error TEMPLATE_MISSING_FROM_FILES: promo/latte');
    expect((await cli('apply', '--auto-approve')).code).toBe(1);
    expect(await requestCount()).toBe(before);
    campaign(rest, 'removed:\n  - promo/latte\n');
    const plan = await cli('plan');
    expect(plan.stdout).toContain('- promo/latte  close');
    expect((await cli('apply', '--auto-approve')).code).toBe(0);
    expect((await remote(code))?.status).toBe('closed');
    delete base.latte;
  });

  it('protect blocks the close of a protected template; nothing is sent', async () => {
    const before = await requestCount();
    const { mocha: _m, ...rest } = base;
    campaign(rest, 'removed:\n  - promo/mocha\n');
    const plan = await cli('plan');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('TEMPLATE_PROTECTED');
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code).toBe(1);
    expect(await requestCount()).toBe(before);
    expect((await remote(await codeOf('promo/mocha')))?.status).toBe('valid');
  });

  it('renames with `moved` → move, with no request at all', async () => {
    const code = await codeOf('promo/mocha');
    const before = await requestCount();
    const { mocha, ...rest } = base;
    campaign(
      { ...rest, 'mocha-2027': mocha as TemplateSpec },
      'moved:\n  - { from: promo/mocha, to: promo/mocha-2027 }\n',
    );
    const plan = await cli('plan');
    expect(plan.stdout).toContain('> promo/mocha-2027  move (from promo/mocha)');
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    expect(await codeOf('promo/mocha-2027')).toBe(code);
    expect(await requestCount()).toBe(before);
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
    base['mocha-2027'] = mocha as TemplateSpec;
    delete base.mocha;
  });

  it('imports an existing template for a declared address', async () => {
    const code = await codeOf('promo/mocha-2027');
    expect((await cli('state', 'rm', 'promo/mocha-2027')).code).toBe(0);
    expect((await cli('plan')).stdout).toContain('+ promo/mocha-2027  create');
    const imported = await cli('state', 'import', 'promo/mocha-2027', code);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('verified');
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
    const unknown = await cli('state', 'import', 'promo/tea', '82000000000000000000000000009999');
    expect(unknown.code).toBe(1);
  });

  it('applies a saved plan, and refuses it once the state moved on', async () => {
    campaign({ ...base, tea: { ...base.tea, stock: 25 } });
    expect((await cli('plan', '--out', 'p1.json')).code).toBe(0);
    const applied = await cli('apply', 'p1.json');
    expect(applied.code, applied.stderr).toBe(0);
    expect((await remote(await codeOf('promo/tea')))?.stock).toBe(25);
    // The same file again: the state's serial moved on.
    const stale = await cli('apply', 'p1.json');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('PLAN_STALE');
    // A plan from before a state change is refused too, and nothing is sent.
    campaign({ ...base, tea: { ...base.tea, stock: 30 } });
    expect((await cli('plan', '--out', 'p2.json')).code).toBe(0);
    const code = await codeOf('promo/mocha-2027');
    await cli('state', 'rm', 'promo/mocha-2027');
    await cli('state', 'import', 'promo/mocha-2027', code);
    const before = await requestCount();
    const refused = await cli('apply', 'p2.json');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('PLAN_STALE');
    expect(await requestCount()).toBe(before);
    // Edited campaign files make a saved plan foreign too.
    expect((await cli('plan', '--out', 'p3.json')).code).toBe(0);
    campaign({ ...base, tea: { ...base.tea, stock: 31 } });
    expect((await cli('apply', 'p3.json')).stderr).toContain('PLAN_INPUTS_CHANGED');
  });

  it('reports drift with --refresh when a template is changed outside ipass', async () => {
    campaign({ ...base, tea: { ...base.tea, stock: 31 } });
    expect((await cli('apply', '--auto-approve')).code).toBe(0);
    const console = new IpassClient({
      baseUrl: sandbox.info.url,
      clientId: sandbox.info.clientId,
      merchantId: sandbox.info.merchantId,
      privateKey: parsePrivateKey(readFileSync(sandbox.info.privateKeyPath, 'utf8')),
      alipayPublicKey: parsePublicKey(readFileSync(sandbox.info.sandboxPublicKeyPath, 'utf8')),
      keyVersion: 1,
      timeoutMs: 5000,
      maxRetries: 0,
      concurrency: 1,
      requestsPerSecond: Number.POSITIVE_INFINITY,
    });
    const code = await codeOf('promo/mocha-2027');
    expect((await console.switchStatus({ templateCode: code, status: 'paused' })).ok).toBe(true);
    await console.close();
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
    const refreshed = await cli('plan', '--refresh', '--detailed-exitcode');
    expect(refreshed.code).toBe(2);
    expect(refreshed.stdout).toContain('Drift');
    expect(refreshed.stdout).toMatch(/promo\/mocha-2027 .*status: "valid" in state, "paused" remotely/);
    expect((await cli('plan', '--refresh', '--format', 'json')).stdout).toContain('"drift"');
  });

  it('prints markdown and JSON plans', async () => {
    campaign({ ...base, tea: { ...base.tea, stock: 40 } });
    const md = await cli('plan', '--format', 'markdown');
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('**ipass plan** for `dev`: 1 stock change.');
    const json = JSON.parse((await cli('plan', '--format', 'json')).stdout);
    expect(json).toMatchObject({ formatVersion: 1, environment: 'dev', summary: { stock: 1 } });
    writeFileSync(join(dir, 'noop.txt'), '');
  });
});
