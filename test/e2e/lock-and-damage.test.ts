// One apply per environment at a time (the second names the holder), a lock left by a dead process
// is taken over, and a damaged state file stops everything before a request is sent.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

function templates(n: number, stock = 100): Record<string, TemplateSpec> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, { name: `Lock ${i}`, stock }]));
}

describe('locking and damaged state', () => {
  const dir = tempDir('lock');
  let sandbox: SandboxProcess;
  const requests = async () => {
    const stats = await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats');
    return Object.values(stats.requests ?? {}).reduce((a, b) => a + b, 0);
  };

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    // Two requests at a time: with the latency below, an apply holds the lock for about 1.5 s, so
    // the second of two applies started together meets it even if it starts late on a busy machine.
    writeConfig(dir, sandbox.info, { concurrency: 2 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('lets exactly one of two simultaneous applies proceed; the other names the holder', async () => {
    await sandbox.setFaults({ latencyMs: 150 });
    writeCampaign(dir, 'lock', templates(20));
    const a = spawnCli(['apply', '--auto-approve'], { cwd: dir });
    const b = spawnCli(['apply', '--auto-approve'], { cwd: dir });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    await sandbox.setFaults({});
    const results = [
      { r: ra, pid: a.child.pid },
      { r: rb, pid: b.child.pid },
    ];
    const winner = results.find((x) => x.r.code === 0);
    const loser = results.find((x) => x.r.code !== 0);
    expect(winner, `${ra.stderr}\n${rb.stderr}`).toBeDefined();
    expect(loser?.r.code, 'a lock held exits 3').toBe(3);
    expect(loser?.r.stderr).toContain('LOCK_HELD');
    expect(loser?.r.stderr).toMatch(/lock id [0-9a-f]{12}/);
    expect(loser?.r.stderr).toContain(`pid ${winner?.pid}`);
    expect((await sandboxTemplates(sandbox)).filter((t) => t.status === 'valid')).toHaveLength(20);
  });

  it('says whom it waits for, and Ctrl-C while waiting quits at once, sending nothing', async () => {
    // A lock held by a live process on this host (this test runner).
    const lock = join(dir, '.ipass', 'dev.lock');
    const held = {
      pid: process.pid,
      host: hostname(),
      command: 'ipass apply',
      startedAt: '2027-01-01T00:00:00Z',
    };
    writeFileSync(lock, JSON.stringify({ ...held, token: 'held-by-test' }));
    writeCampaign(dir, 'lock', templates(20, 110));
    const before = await requests();
    const { child, done } = spawnCli(['apply', '--auto-approve', '--lock-timeout', '5m'], { cwd: dir });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('Waiting up to 5m')) child.kill('SIGINT');
    });
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain(`Waiting up to 5m for the lock held by pid ${process.pid} on ${hostname()}`);
    expect(r.stderr).toContain('Interrupted before anything was sent.');
    expect(await requests()).toBe(before);
    expect(JSON.parse(readFileSync(lock, 'utf8')).token).toBe('held-by-test'); // not ours to remove
    unlinkSync(lock);
  });

  it('takes over a lock left by a process that is gone, and says so', async () => {
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(
      join(dir, '.ipass', 'dev.lock'),
      JSON.stringify({
        pid: Number(dead),
        host: hostname(),
        command: 'ipass apply',
        startedAt: '2027-01-01T00:00:00Z',
        token: 'x',
      }),
    );
    const r = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`took over the lock left by pid ${dead}`);
    expect(existsSync(join(dir, '.ipass', 'dev.lock'))).toBe(false);
  });

  it('refuses a journal line of the wrong shape in plan and apply alike, naming file and line; sends nothing', async () => {
    // The state the earlier tests left; an interrupted apply's journal with one bad line after a good one.
    const journal = join(dir, '.ipass', 'dev.journal.jsonl');
    const before = await requests();
    for (const line of [
      'null',
      '{"t":"set","address":"x/y","entry":{}}',
      '{"t":"set","address":"lock/t0","entry":null}',
    ]) {
      writeFileSync(journal, `{"t":"begin","lineage":"x","serial":1,"pid":1,"at":"now"}\n${line}\n`);
      for (const args of [['apply', '--auto-approve'], ['plan'], ['state', 'list']]) {
        const r = await runCli(args, { cwd: dir });
        expect(r.code, `${args[0]} with ${line}`).toBe(1);
        expect(r.stderr).toContain('JOURNAL_CORRUPT');
        expect(r.stderr).toContain('dev.journal.jsonl is damaged at line 2');
        expect(r.stderr).not.toContain('internal error');
      }
    }
    expect(await requests()).toBe(before);
    rmSync(journal);
  });

  it('stops on a damaged state file, points at the backup, and sends nothing', async () => {
    writeCampaign(dir, 'lock', templates(20, 120));
    expect((await runCli(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const statePath = join(dir, '.ipass', 'dev.state.json');
    expect(existsSync(`${statePath}.backup`)).toBe(true);
    writeFileSync(statePath, '{"formatVersion":1,"lineage":"abc');
    writeCampaign(dir, 'lock', templates(21, 120));
    const before = await requests();
    for (const args of [['apply', '--auto-approve'], ['plan']]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('STATE_CORRUPT');
      expect(r.stderr).toContain(`${join('.ipass', 'dev.state.json')}.backup`);
      expect(r.stderr).not.toContain('internal error');
    }
    expect(await requests()).toBe(before);
  });
});
