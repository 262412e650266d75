// The life of a pass batch after issuing, through the built CLI against a standalone sandbox: 500
// passes issued; a dataInfo change updates exactly those 500 (each once); one recipient's value
// updates one; `revoked:` of 50 (10 of them redeemed by their customers first) closes 40, reports the
// 10, warns of a revoked recipient never issued, and a re-apply sends nothing. The plan shows each
// step in text, markdown and JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveBizSerialId } from '../src/passes/index.js';
import { runCli } from './helpers/cli.js';
import { tempDir, writeCampaign, writeConfig } from './helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from './helpers/sandbox-process.js';

const RECIPIENTS = 500;
const userId = (i: number): string => String(2_160_000_000_000_000 + i);
const serial = (i: number): string => deriveBizSerialId('promo/gift', { userId: userId(i) });

interface SandboxPass {
  passId: string;
  bizSerialId: string;
  status: string;
  updates: number;
  dataInfo?: { en_US?: Record<string, string> };
}

function batchYaml(shop: string, revoked?: string): string {
  return [
    'passes:',
    '  gift:',
    '    template: coffee',
    '    recipients: recipients/gift.csv',
    '    codeInfo: { $codemsg$: "GIFT-{{userId}}", $codevalue$: "GIFT-{{userId}}" }',
    `    dataInfo: { en_US: { $shopname$: "${shop}", $username$: "{{name}}" } }`,
    ...(revoked ? [`    revoked: ${revoked}`] : []),
    '',
  ].join('\n');
}

describe('updating and revoking issued passes (file backend)', () => {
  const dir = tempDir('passes-life');
  let sandbox: SandboxProcess;
  let templateCode = '';
  const recipientsFile = join(dir, 'campaigns', 'recipients', 'gift.csv');
  const names = Array.from({ length: RECIPIENTS }, (_, i) => `Name ${i}`);
  const writeRecipients = (): void =>
    writeFileSync(recipientsFile, `userId,name\n${names.map((n, i) => `${userId(i)},${n}`).join('\n')}\n`);
  const passes = async (): Promise<SandboxPass[]> =>
    (await sandbox.get<{ passes: SandboxPass[] }>(`/__sandbox/passes?templateCode=${templateCode}`)).passes;
  const updatePassCalls = async (): Promise<number> =>
    (await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats')).requests.updatePass ?? 0;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info);
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    writeRecipients();
    writeCampaign(dir, 'promo', { coffee: { stock: 1000 } }, batchYaml('Harbour Rost'));
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    const state = JSON.parse(
      (await import('node:fs')).readFileSync(join(dir, '.ipass', 'dev.state.json'), 'utf8'),
    );
    templateCode = state.templates['promo/coffee'].templateCode;
    expect(await passes()).toHaveLength(RECIPIENTS);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('updates exactly the 500 issued passes, once each, when dataInfo changes', async () => {
    writeCampaign(dir, 'promo', { coffee: { stock: 1000 } }, batchYaml('Harbour Roast'));
    const plan = await cli('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('~ update 500 issued passes of promo/gift (dataInfo of 500)');
    expect(plan.stdout).toContain('dataInfo.en_US.$shopname$: "Harbour Rost" → "Harbour Roast"');
    expect(plan.stdout).toMatch(
      /example: line 2, userId 2160000000000000: dataInfo .*Harbour Rost.* → dataInfo .*Harbour Roast/,
    );
    const json = JSON.parse((await cli('plan', '--format', 'json')).stdout);
    expect(json.passBatches[0]).toMatchObject({ action: 'update', update: { count: 500, dataInfo: 500 } });
    expect(json.summary).toMatchObject({ passUpdates: 500 });

    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('500 issued passes updated');
    const all = await passes();
    expect(all.every((p) => p.updates === 1 && p.dataInfo?.en_US?.$shopname$ === 'Harbour Roast')).toBe(true);
    expect(await updatePassCalls()).toBe(500);

    const again = await cli('plan', '--detailed-exitcode');
    expect(again.code, again.stdout).toBe(0);
  }, 120_000);

  it("updates one pass when one recipient's value changes; a codeInfo change is refused", async () => {
    names[7] = 'Name seven';
    writeRecipients();
    const plan = await cli('plan');
    expect(plan.stdout).toContain('~ update 1 issued pass of promo/gift (dataInfo of 1)');
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    const all = await passes();
    const seven = all.find((p) => p.bizSerialId === serial(7));
    expect(seven).toMatchObject({ updates: 2, dataInfo: { en_US: { $username$: 'Name seven' } } });
    expect(all.filter((p) => p.updates === 2)).toHaveLength(1);
    expect(await updatePassCalls()).toBe(501);

    const yaml = batchYaml('Harbour Roast').replaceAll('GIFT-{{userId}}', 'NEW-{{userId}}');
    writeCampaign(dir, 'promo', { coffee: { stock: 1000 } }, yaml);
    const refused = await cli('plan');
    expect(refused.code).toBe(1);
    expect(refused.stderr + refused.stdout).toContain('PASS_CODE_INFO_CHANGED');
    expect(refused.stderr + refused.stdout).toContain('add a new pass batch');
    writeCampaign(dir, 'promo', { coffee: { stock: 1000 } }, batchYaml('Harbour Roast'));
  }, 120_000);

  it('closes 50 revoked passes once: 10 redeemed first are reported, a re-apply sends nothing', async () => {
    // Customers redeem 10 of the 50 before the revocation is applied.
    const used = await request(`${sandbox.info.url}/__sandbox/passes/use`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ templateCode, bizSerialIds: Array.from({ length: 10 }, (_, i) => serial(i)) }),
    });
    expect(((await used.body.json()) as { used: string[] }).used).toHaveLength(10);
    const rows = Array.from({ length: 50 }, (_, i) => userId(i));
    rows.push(userId(9999)); // never issued a pass
    writeFileSync(join(dir, 'campaigns', 'recipients', 'wrong.csv'), `userId\n${rows.join('\n')}\n`);
    writeCampaign(
      dir,
      'promo',
      { coffee: { stock: 1000 } },
      batchYaml('Harbour Roast', 'recipients/wrong.csv'),
    );

    const plan = await cli('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(
      "- close 50 passes of promo/gift (irreversible: they disappear from customers' wallets)",
    );
    expect(plan.stdout).toContain('50 customers lose this pass from their wallet');
    expect(plan.stdout + plan.stderr).toContain('PASS_REVOKED_NOT_ISSUED');
    const markdown = (await cli('plan', '--format', 'markdown')).stdout;
    expect(markdown).toMatch(/\| ⚠️ - \| `promo\/gift` \| \*\*close \(irreversible\)\*\* \| close 50 passes/);
    const json = JSON.parse((await cli('plan', '--format', 'json')).stdout);
    expect(json.passBatches[0]).toMatchObject({ action: 'close', close: { count: 50, neverIssued: 1 } });

    const before = await updatePassCalls();
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('40 passes closed');
    expect(apply.stderr).toContain('10 used by customers');
    expect(await updatePassCalls()).toBe(before + 50);
    const all = await passes();
    const revoked = new Set(Array.from({ length: 50 }, (_, i) => serial(i)));
    expect(
      all
        .filter((p) => p.status === 'closed')
        .map((p) => p.bizSerialId)
        .sort(),
    ).toEqual([...revoked].slice(10).sort());
    expect(all.filter((p) => p.status === 'used')).toHaveLength(10);

    const again = await cli('apply', '--auto-approve');
    expect(again.code, again.stderr).toBe(0);
    expect(await updatePassCalls()).toBe(before + 50);
    const show = await cli('state', 'show', 'promo/gift');
    expect(show.stdout).toMatch(/ 40 +closed\n/);
    expect(show.stdout).toMatch(/ 10 +used by customers/);
  }, 120_000);
});
