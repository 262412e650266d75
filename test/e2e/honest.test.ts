// What an apply reports, and what it takes as a definite outcome, when the world misbehaves:
// an unsigned refusal after the API applied a create, signed answers replayed for other requests,
// a request that could not even be built, an apply that only settles what an earlier one left in
// doubt, and SIGTERM (a cancelled CI job) in the template phase and while passes are issued. The
// built CLI against a standalone sandbox, whose fault script plays each part.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

const userId = (i: number): string => String(2_160_000_000_000_000 + i);
const PASSES = `passes:
  gift:
    template: coffee
    recipients: recipients/gift.csv
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
`;

function recipients(dir: string, from: number, count: number): void {
  mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
  const rows = Array.from({ length: count }, (_, i) => `${userId(from + i)},C${from + i}`);
  writeFileSync(join(dir, 'campaigns', 'recipients', 'gift.csv'), `userId,code\n${rows.join('\n')}\n`);
}

describe('honest outcomes', () => {
  const root = tempDir('honest');
  let sandbox: SandboxProcess;
  let n = 0;
  /** A fresh project on the shared sandbox. */
  function project(options: { concurrency?: number; extra?: string } = {}): string {
    const dir = join(root, `p${++n}`);
    mkdirSync(dir, { recursive: true });
    writeConfig(dir, sandbox.info, {
      concurrency: options.concurrency ?? 1,
      ...(options.extra ? { extra: options.extra } : {}),
    });
    return dir;
  }
  const passesOf = async (templateCode: string) =>
    (
      await sandbox.get<{ passes: { bizSerialId: string; userId: string }[] }>(
        `/__sandbox/passes?templateCode=${templateCode}`,
      )
    ).passes;
  const codeOf = async (dir: string, address: string): Promise<string> => {
    const list = await runCli(['state', 'list', '--format', 'json'], { cwd: dir });
    const rows = JSON.parse(list.stdout) as { address: string; templateCode?: string }[];
    return rows.find((r) => r.address === address)?.templateCode ?? '';
  };

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(root, 'sandbox-data'), root);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('takes an unsigned refusal after the API applied a create as unknown, and never creates it twice', async () => {
    const dir = project();
    writeCampaign(dir, 'unsigned', { coffee: { name: 'Unsigned after commit' } });
    await sandbox.setFaults({
      script: [{ endpoint: 'createTemplate', fault: 'unsigned-after-commit', times: 1 }],
    });
    const first = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('ACCESS_DENIED');
    expect(first.stderr).toContain('unsigned');
    await sandbox.setFaults({});
    const second = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain('Re-sending 1 request');
    const named = (await sandboxTemplates(sandbox)).filter((t) =>
      JSON.stringify(t.content).includes('Unsigned after commit'),
    );
    expect(named).toHaveLength(1);
    expect(await codeOf(dir, 'unsigned/coffee')).toBe(named[0]?.templateCode);
  });

  it('does not record a replayed createPass success for other recipients; the next apply gives each their own pass', async () => {
    const dir = project();
    writeCampaign(dir, 'replay', { coffee: { name: 'Replayed passes' } }, PASSES);
    recipients(dir, 100, 21);
    writeCampaign(dir, 'replay', { coffee: { name: 'Replayed passes' } });
    expect((await runCli(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0); // the template first
    writeCampaign(dir, 'replay', { coffee: { name: 'Replayed passes' } }, PASSES);
    // The first createPass is answered for real; the next 20 get that same signed answer again.
    await sandbox.setFaults({ script: [{ endpoint: 'createPass', fault: 'replay-success', times: 20 }] });
    const first = await runCli(['apply', '--auto-approve'], { cwd: dir });
    await sandbox.setFaults({});
    expect(first.code).toBe(1);
    expect(first.stdout + first.stderr).toContain('RESPONSE_OUT_OF_PLACE');
    // Only what was really answered counts as issued (the requests in flight before the first
    // answer are answered for real), and the sandbox holds exactly those.
    const issued = Number(/(\d+) passes issued/.exec(first.stdout)?.[1]);
    expect(issued).toBeGreaterThan(0);
    expect(issued).toBeLessThan(21);
    expect(first.stdout).toContain(`${21 - issued} answer(s) were signed but not for their request`);
    const code = await codeOf(dir, 'replay/coffee');
    expect(await passesOf(code)).toHaveLength(issued);
    const plan = await runCli(['plan'], { cwd: dir });
    expect(plan.stdout).toContain(`issue ${21 - issued} passes`);
    const second = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const passes = await passesOf(code);
    expect(passes).toHaveLength(21);
    expect(new Set(passes.map((p) => p.userId)).size).toBe(21);
  });

  it("does not let a replayed createTemplate success give a second address the first one's template", async () => {
    const dir = project();
    writeCampaign(dir, 'twins', { a: { name: 'Twin A' } });
    expect((await runCli(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const a = await codeOf(dir, 'twins/a');
    // B's create is answered with the sandbox's last createTemplate success: A's, signed and recent.
    await sandbox.setFaults({ script: [{ endpoint: 'createTemplate', fault: 'replay-success', times: 1 }] });
    writeCampaign(dir, 'twins', { a: { name: 'Twin A' }, b: { name: 'Twin B' } });
    const withB = await runCli(['apply', '--auto-approve'], { cwd: dir });
    await sandbox.setFaults({});
    expect(withB.code).toBe(1);
    expect(withB.stderr).toContain('RESPONSE_OUT_OF_PLACE');
    expect(withB.stderr).toContain(`template ${a} belongs to twins/a`);
    expect(await codeOf(dir, 'twins/b')).toBe('');
    // Re-sent with the same requestId, B gets a template of its own; A keeps its own.
    const again = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const b = await codeOf(dir, 'twins/b');
    expect(b).not.toBe('');
    expect(b).not.toBe(a);
    expect(await codeOf(dir, 'twins/a')).toBe(a);
    const named = (await sandboxTemplates(sandbox)).filter((t) =>
      JSON.stringify(t.content).includes('"Twin B"'),
    );
    expect(named).toHaveLength(1);
  });

  it('reports a run that only settled requests left in doubt as done, exit 0', async () => {
    const dir = project();
    writeCampaign(dir, 'settle', { coffee: { name: 'Settled later' } });
    // Applied, but every answer lost through all the client's retries: in doubt.
    await sandbox.setFaults({
      script: [{ endpoint: 'createTemplate', fault: 'drop-after-commit', times: 10 }],
    });
    const lost = await runCli(['apply', '--auto-approve'], { cwd: dir });
    await sandbox.setFaults({});
    expect(lost.code).toBe(1);
    const settled = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(settled.code, settled.stdout + settled.stderr).toBe(0);
    expect(settled.stdout).toContain('finished 1 request(s) an earlier apply left with an unknown outcome');
    expect(settled.stdout).toContain('The campaigns match environment dev');
    expect(settled.stdout).not.toContain('cancelled');
  });

  it('never records a request that could not be built as in doubt', async () => {
    const dir = project();
    writeCampaign(dir, 'unbuilt', { coffee: { name: 'Never sent' } });
    // A line break in clientId: no HTTP request can carry it.
    writeConfig(dir, { ...sandbox.info, clientId: '"ABC\\nDEF"' }, { concurrency: 1 });
    const broken = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('API_REQUEST_INVALID');
    expect(broken.stderr).not.toContain('internal error');
    writeConfig(dir, sandbox.info, { concurrency: 1 });
    const fixed = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).not.toContain('Re-sending');
    expect(fixed.stdout).toContain('1 created');
  });

  /** Start an apply, send SIGTERM once `ready` holds, then check it stopped cleanly. */
  async function terminate(dir: string, ready: (stdout: string) => boolean | Promise<boolean>) {
    const { child, done } = spawnCli(['apply', '--auto-approve'], { cwd: dir });
    let stdout = '';
    let sent = false;
    child.stdout?.on('data', async (d: Buffer) => {
      stdout += d.toString();
      if (!sent && (await ready(stdout))) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    const r = await done;
    expect(sent, 'SIGTERM was sent mid-apply').toBe(true);
    expect(r.signal).toBeNull();
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('Stopping (SIGTERM)');
    expect(r.stdout).toContain('Apply interrupted');
    expect(r.stderr).not.toContain('internal error');
    return r;
  }

  it('stops on SIGTERM like on Ctrl-C while templates are created: in flight finished and recorded, lock released', async () => {
    const dir = project({ concurrency: 2 });
    const templates: Record<string, TemplateSpec> = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`t${i}`, { name: `Term ${i}` }]),
    );
    writeCampaign(dir, 'term', templates);
    await sandbox.setFaults({ latencyMs: 150 });
    try {
      await terminate(dir, (out) => out.includes('✓'));
    } finally {
      await sandbox.setFaults({});
    }
    // Released: a state command takes the lock at once; nothing is left in doubt.
    const list = await runCli(['state', 'rm', 'term/none'], { cwd: dir });
    expect(list.stderr).toContain('STATE_NO_ADDRESS');
    const rest = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(rest.code, rest.stdout + rest.stderr).toBe(0);
    expect(rest.stdout).not.toContain('Re-sending');
    const live = (await sandboxTemplates(sandbox)).filter((t) =>
      JSON.stringify(t.content).includes('"Term '),
    );
    expect(live).toHaveLength(12);
  });

  it('stops on SIGTERM while passes are issued; every recipient ends with one pass', async () => {
    const dir = project({ concurrency: 4 });
    writeCampaign(dir, 'termpass', { coffee: { name: 'Term passes', stock: 1000 } }, PASSES);
    recipients(dir, 5000, 400);
    await sandbox.setFaults({ latencyMs: 20 });
    try {
      await terminate(dir, (out) => /termpass\/gift: [1-9][\d,]* issued/.test(out));
    } finally {
      await sandbox.setFaults({});
    }
    const rest = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(rest.code, rest.stdout + rest.stderr).toBe(0);
    const passes = await passesOf(await codeOf(dir, 'termpass/coffee'));
    expect(passes).toHaveLength(400);
    expect(new Set(passes.map((p) => p.userId)).size).toBe(400);
  });
});
