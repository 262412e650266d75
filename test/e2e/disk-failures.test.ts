// The state folder on a small tmpfs (mounting one needs root: without it the suite is skipped saying
// so, and fails under CI): the disk
// fills while passes are issued, then the folder turns read-only, then a folder stands where the
// state's backup goes. Each time apply stops with a coded error that names the path and says what to
// do, never a stack; the state stays intact; and once the disk is fixed the next apply finishes with
// every recipient holding exactly one pass.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseState } from '../../src/state/state-format.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { describeNeeding } from '../helpers/needs.js';
import { tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const RECIPIENTS = 4000;
const userId = (i: number): string => String(2_160_000_000_000_000 + i);
const PASSES = `passes:
  gift:
    template: coffee
    recipients: recipients/gift.csv
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
`;

const mount = (...args: string[]): void => {
  execFileSync('mount', args, { stdio: 'pipe' });
};

/** Why this machine cannot mount a tmpfs (the suite needs root), or undefined when it can. */
function mountProblem(): string | undefined {
  const probe = tempDir('mount-probe');
  try {
    mount('-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', probe);
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    const why = String((error as { stderr?: unknown }).stderr ?? '').trim() || (error as Error).message;
    return `mounting a tmpfs needs root (uid ${process.getuid?.()}): ${why.split('\n')[0]}`;
  } finally {
    rmdirSync(probe);
  }
}

describeNeeding('a full, read-only or obstructed state folder', mountProblem(), () => {
  const dir = tempDir('disk');
  const stateDir = join(dir, 'state');
  let sandbox: SandboxProcess;
  let mounted = false;

  beforeAll(async () => {
    mkdirSync(stateDir);
    // Room for the state and a part of the ledger only (about 120 bytes per pass).
    mount('-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', stateDir);
    mounted = true;
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info, { concurrency: 8, extra: `stateDir: state` });
    writeCampaign(dir, 'disk', { coffee: { name: 'Disk full', stock: 10_000 } });
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => `${userId(i)},C${i}`);
    writeFileSync(join(dir, 'campaigns', 'recipients', 'gift.csv'), `userId,code\n${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    await sandbox?.stop();
    if (mounted) execFileSync('umount', ['-l', stateDir]);
  });

  const apply = (): Promise<CliResult> => runCli(['apply', '--auto-approve'], { cwd: dir });
  const stateIsIntact = (): void => {
    const parsed = parseState(readFileSync(join(stateDir, 'dev.state.json'), 'utf8'));
    expect(parsed.ok).toBe(true);
  };
  const noStack = (r: CliResult): void => {
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };

  it('stops when the disk fills during pass issuance, says where and what to do, and finishes once there is room', async () => {
    expect((await apply()).code).toBe(0); // the template, and a state to keep intact
    writeCampaign(dir, 'disk', { coffee: { name: 'Disk full', stock: 10_000 } }, PASSES);
    const full = await apply();
    expect(full.code).toBe(1);
    noStack(full);
    expect(full.stderr).toContain('DISK_FULL');
    expect(full.stderr).toContain('the disk is full');
    expect(full.stderr).toContain('state/dev.passes/disk/gift');
    expect(full.stderr).toContain('Free some space');
    stateIsIntact();
    const { passes } = await sandbox.get<{ passes: number }>('/__sandbox/info');
    expect(passes).toBeGreaterThan(0);
    expect(passes).toBeLessThan(RECIPIENTS);

    mount('-o', 'remount,size=8m', stateDir);
    let done: CliResult | undefined;
    for (let i = 0; i < 3; i++) {
      done = await apply();
      if (done.code === 0) break;
    }
    expect(done?.code, `${done?.stdout}${done?.stderr}`).toBe(0);
    const code = JSON.parse(readFileSync(join(stateDir, 'dev.state.json'), 'utf8')).templates['disk/coffee']
      .templateCode as string;
    const issued = (
      await sandbox.get<{ passes: { userId: string }[] }>(`/__sandbox/passes?templateCode=${code}`)
    ).passes;
    expect(issued).toHaveLength(RECIPIENTS);
    expect(new Set(issued.map((p) => p.userId)).size).toBe(RECIPIENTS);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('stops on a read-only state folder with the path and a fix; the state is untouched', async () => {
    writeCampaign(dir, 'disk', { coffee: { name: 'Disk full', stock: 10_001 } }, PASSES);
    const before = readFileSync(join(stateDir, 'dev.state.json'), 'utf8');
    mount('-o', 'remount,ro', stateDir);
    let r: CliResult;
    try {
      r = await apply();
    } finally {
      mount('-o', 'remount,rw', stateDir);
    }
    expect(r.code).toBe(1);
    noStack(r);
    expect(r.stderr).toContain('FILE_READ_ONLY');
    expect(r.stderr).toContain('state/');
    expect(readFileSync(join(stateDir, 'dev.state.json'), 'utf8')).toBe(before);
    const again = await apply();
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('stops when a folder stands where the state backup goes, and keeps the state', async () => {
    writeCampaign(dir, 'disk', { coffee: { name: 'Disk full', stock: 10_002 } }, PASSES);
    const backup = join(stateDir, 'dev.state.json.backup');
    rmSync(backup, { force: true });
    mkdirSync(backup);
    const r = await apply();
    expect(r.code).toBe(1);
    noStack(r);
    expect(r.stderr).toContain('FILE_IS_FOLDER');
    expect(r.stderr).toContain('dev.state.json.backup');
    stateIsIntact();
    rmSync(backup, { recursive: true });
    const again = await apply();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });
});
