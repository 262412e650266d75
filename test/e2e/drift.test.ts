// The drift watch through the built CLI against a standalone sandbox: `ipass drift` finds a
// template changed outside ipass (exit 2, the field named, "the files say X, AlipayHK has Y"), not
// the stock that issued passes took; the sweep is recorded, so a plan without the key says when
// AlipayHK was last read and what drifted. An apply of one changed template among 80 sends a
// handful of `detail` requests (counted at the sandbox) and leaves the drift alone; --refresh=all
// reads every template and puts it back.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpassClient } from '../../src/api/client.js';
import { parsePrivateKey, parsePublicKey } from '../../src/shared/keys.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const TEMPLATES = 80;
const PASSES = `passes:
  gift:
    template: t000
    recipients: recipients/gift.csv
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
`;

describe('ipass drift, and apply reading only what it changes', () => {
  const dir = tempDir('drift');
  let sandbox: SandboxProcess;
  const cli = (...args: string[]): Promise<CliResult> => runCli(args, { cwd: dir });

  function templates(renamed = false): Record<string, TemplateSpec> {
    const out: Record<string, TemplateSpec> = {};
    for (let i = 0; i < TEMPLATES; i++) {
      const key = `t${String(i).padStart(3, '0')}`;
      out[key] = { name: `Fleet ${i}${renamed && i === 10 ? ' (new name)' : ''}`, stock: 50 };
    }
    return out;
  }
  const detailCalls = async (): Promise<number> => {
    const stats = await sandbox.get<{ byEndpoint: Record<string, Record<string, number>> }>(
      '/__sandbox/stats',
    );
    return Object.values(stats.byEndpoint.detail ?? {}).reduce((a, b) => a + b, 0);
  };
  const codeOf = (address: string): string => {
    const state = JSON.parse(readFileSync(join(dir, '.ipass', 'dev.state.json'), 'utf8'));
    return state.templates[address].templateCode;
  };

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info);
    writeCampaign(dir, 'fleet', templates(), PASSES);
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    const rows = [0, 1, 2].map((i) => `${2_160_000_000_000_100 + i},C${i}`);
    writeFileSync(join(dir, 'campaigns', 'recipients', 'gift.csv'), `userId,code\n${rows.join('\n')}\n`);
    const applied = await cli('apply', '--auto-approve');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('finds a template changed outside ipass, not the stock passes took, and records the sweep', async () => {
    const clean = await cli('drift', '--format', 'json');
    expect(clean.code, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ environment: 'dev', templates: TEMPLATES, drift: [] });

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
    expect((await console.switchStatus({ templateCode: codeOf('fleet/t050'), status: 'paused' })).ok).toBe(
      true,
    );
    await console.close();

    const [text, markdown] = await Promise.all([cli('drift'), cli('drift', '--format', 'markdown')]);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain('fleet/t050');
    expect(text.stdout).toContain('status: the files say "valid", AlipayHK has "paused"');
    expect(text.stdout).not.toContain('fleet/t000');
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toMatch(/\| `fleet\/t050` \| .* \| `status` \| `"valid"` \| `"paused"` \|/);

    // A plan without the key (no --refresh) says when AlipayHK was last read and what drifted.
    const plan = await cli('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(
      /AlipayHK was last read at \S+ \(ipass drift, 80 templates\): 1 field differed/,
    );
    expect(plan.stdout).toContain('fleet/t050 status: the files say "valid", AlipayHK had "paused"');
  });

  it('applies a change to 1 of 80 templates with a handful of detail requests; --refresh=all sweeps', async () => {
    writeCampaign(dir, 'fleet', templates(true), PASSES);
    const before = await detailCalls();
    const targeted = await cli('apply', '--auto-approve');
    expect(targeted.code, targeted.stdout + targeted.stderr).toBe(0);
    const sent = (await detailCalls()) - before;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThanOrEqual(5);
    // The drift elsewhere was not read, so it is still there.
    const paused = () => sandbox.get<{ status: string }>(`/__sandbox/templates/${codeOf('fleet/t050')}`);
    expect((await paused()).status).toBe('paused');

    const sweepBefore = await detailCalls();
    const all = await cli('apply', '--auto-approve', '--refresh=all');
    expect(all.code, all.stdout + all.stderr).toBe(0);
    expect((await detailCalls()) - sweepBefore).toBeGreaterThanOrEqual(TEMPLATES);
    expect((await paused()).status).toBe('valid');
    const after = await cli('drift');
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain('No drift in dev');
  }, 120_000);
});
