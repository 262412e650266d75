// Ctrl-C during apply: once stops new requests, lets those in flight finish and be recorded, and
// exits 1; twice exits at once. Either way the next apply finishes the job with nothing done twice.
// Without a terminal, apply refuses to run unconfirmed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseState } from '../../src/state/state-format.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

const N = 24;
const templates = (stock: number): Record<string, TemplateSpec> =>
  Object.fromEntries(Array.from({ length: N }, (_, i) => [`t${i}`, { name: `Interrupt ${i}`, stock }]));

describe('interrupting apply', () => {
  const dir = tempDir('interrupt');
  let sandbox: SandboxProcess;
  const requests = async () => {
    const stats = await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats');
    return Object.values(stats.requests ?? {}).reduce((a, b) => a + b, 0);
  };

  /**
   * Start an apply and send a SIGINT once the first change is done; with `twice`, a second one as
   * soon as apply says it is stopping (signals of one kind do not queue: the second must come after
   * the first was handled, as a person pressing Ctrl-C twice does), while requests are in flight.
   */
  async function interrupt(twice: boolean) {
    const { child, done } = spawnCli(['apply', '--auto-approve'], { cwd: dir });
    let first = false;
    let second = !twice;
    child.stdout?.on('data', (d: Buffer) => {
      if (first || !d.toString().includes('✓')) return;
      first = true;
      child.kill('SIGINT');
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (second || !stderr.includes('Stopping: no new requests')) return;
      second = true;
      child.kill('SIGINT');
    });
    return done;
  }

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    await sandbox.setFaults({ latencyMs: 250 });
    writeConfig(dir, sandbox.info, { concurrency: 4 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('refuses to apply unconfirmed without a terminal, and sends nothing', async () => {
    writeCampaign(dir, 'int', templates(10));
    const before = await requests();
    const r = await runCli(['apply'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('APPLY_NEEDS_APPROVAL');
    expect(await requests()).toBe(before);
  });

  it('first Ctrl-C: finishes what is in flight, records it, exits 1; the next apply does the rest', async () => {
    const r = await interrupt(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Stopping: no new requests');
    expect(r.stdout).toContain('Apply interrupted');
    const created = (await sandboxTemplates(sandbox)).length;
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(N);
    // Everything that was sent is recorded: no journal left, nothing in doubt, state = sandbox.
    expect(existsSync(join(dir, '.ipass', 'dev.journal.jsonl'))).toBe(false);
    const state = parseState(readFileSync(join(dir, '.ipass', 'dev.state.json'), 'utf8'));
    expect(state.ok && state.state.pending).toEqual([]);
    expect(state.ok && Object.keys(state.state.templates)).toHaveLength(created);
    const rest = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(rest.code, rest.stderr).toBe(0);
    expect(await sandboxTemplates(sandbox)).toHaveLength(N);
    // Both are runs in the history: the interrupted one with what it created, then the rest.
    const runs = JSON.parse((await runCli(['history', '--format', 'json'], { cwd: dir })).stdout).runs;
    expect(runs.slice(0, 2).map((run: { outcome: string }) => run.outcome)).toEqual([
      'succeeded',
      'interrupted',
    ]);
    expect(runs[1].counts.created).toBe(created);
    expect(runs[0].counts.created).toBe(N - created);
  });

  it('second Ctrl-C: exits at once; the next apply finishes without doing anything twice', async () => {
    writeCampaign(dir, 'int', templates(25));
    const recorded = async () =>
      JSON.parse((await runCli(['history', '--format', 'json'], { cwd: dir })).stdout).runs.length;
    const before = await recorded();
    const r = await interrupt(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Quitting now');
    // A process that quits at once writes no run (as one killed with SIGKILL).
    expect(await recorded()).toBe(before);
    const rest = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(rest.code, rest.stderr).toBe(0);
    const all = await sandboxTemplates(sandbox);
    expect(all).toHaveLength(N);
    // Each stock change (+15) applied exactly once, even those in flight at the second Ctrl-C.
    expect(all.map((t) => t.stock)).toEqual(Array(N).fill(25));
    expect(await recorded()).toBe(before + 1);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });
});
