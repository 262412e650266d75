import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IpassError } from '../../diagnostics/errors.js';
import { acquireLock, holderIsDead } from './lock.js';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('environment lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ipass-lock-'));

  it('names its holder, refuses a second taker, and is free again after release', async () => {
    const path = join(dir, 'a.lock');
    const first = await acquireLock(path, { command: 'apply', timeoutMs: 0 });
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written).toMatchObject({ pid: process.pid, host: hostname(), command: 'apply' });
    const refused = await acquireLock(path, { command: 'apply', timeoutMs: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IpassError);
    expect((refused as IpassError).code).toBe('LOCK_HELD');
    expect((refused as IpassError).message).toContain(`pid ${process.pid}`);
    first.release();
    expect(existsSync(path)).toBe(false);
    const again = await acquireLock(path, { command: 'apply', timeoutMs: 0 });
    again.release();
  });

  it('waits up to the timeout for a live holder', async () => {
    const path = join(dir, 'b.lock');
    const first = await acquireLock(path, { command: 'apply', timeoutMs: 0 });
    let slept = 0;
    const waitedFor: unknown[] = [];
    const second = acquireLock(path, {
      command: 'apply',
      timeoutMs: 60_000,
      sleep: async () => {
        slept++;
        if (slept === 3) first.release();
      },
      onWait: (holder) => waitedFor.push(holder?.token),
    });
    const lock = await second;
    expect(slept).toBe(3);
    expect(waitedFor).toEqual([first.holder.token]); // told once, with the holder
    expect(lock.takenOverFrom).toBeUndefined();
    lock.release();
  });

  it('takes over a lock whose holder process is dead, and says so', async () => {
    const path = join(dir, 'c.lock');
    const pid = deadPid();
    const stale = {
      pid,
      host: hostname(),
      command: 'apply',
      startedAt: '2026-01-01T00:00:00Z',
      token: 'old',
    };
    writeFileSync(path, JSON.stringify(stale));
    expect(holderIsDead(stale)).toBe(true);
    const lock = await acquireLock(path, { command: 'apply', timeoutMs: 0 });
    expect(lock.takenOverFrom).toMatchObject({ pid, token: 'old' });
    lock.release();
  });

  it('does not take over a lock from another host it cannot check', async () => {
    const path = join(dir, 'd.lock');
    writeFileSync(
      path,
      JSON.stringify({
        pid: deadPid(),
        host: 'elsewhere.example',
        command: 'apply',
        startedAt: 'x',
        token: 't',
      }),
    );
    const refused = await acquireLock(path, { command: 'apply', timeoutMs: 0 }).catch((e: unknown) => e);
    expect((refused as IpassError).code).toBe('LOCK_HELD');
    expect((refused as IpassError).message).toContain('elsewhere.example');
  });
});
