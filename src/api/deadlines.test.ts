// The shared deadline timer: every entry fires once, at its own deadline, in order; cancelled ones
// never fire; and with nothing pending the timer keeps no process alive (checked in a real child).
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueue } from './deadlines.js';

describe('DeadlineQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires each entry once, at its own deadline, with one timer', () => {
    const queue = new DeadlineQueue(1000, () => Date.now());
    const fired: string[] = [];
    queue.add(() => fired.push('a'));
    vi.advanceTimersByTime(300);
    queue.add(() => fired.push('b'));
    vi.advanceTimersByTime(300);
    queue.add(() => fired.push('c'));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(399);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a']);
    vi.advanceTimersByTime(299);
    expect(fired).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a', 'b']);
    vi.advanceTimersByTime(300);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(queue.pending).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual(['a', 'b', 'c']);
  });

  it('a cancelled entry never fires, and the ones after it still do', () => {
    const queue = new DeadlineQueue(100, () => Date.now());
    const fired: number[] = [];
    const entries = Array.from({ length: 2000 }, (_, i) => queue.add(() => fired.push(i)));
    // Most exchanges finish in time, in any order; the queue drops them from its front as they go.
    for (let i = 1999; i >= 0; i--) if (i % 500 !== 7) entries[i]?.cancel();
    entries[7]?.cancel();
    entries[7]?.cancel();
    expect(queue.pending).toBe(3);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual([507, 1007, 1507]);
    entries[507]?.cancel();
    expect(queue.pending).toBe(0);
  });

  it('an entry added after a sweep gets a timer of its own', () => {
    const queue = new DeadlineQueue(50, () => Date.now());
    const fired: string[] = [];
    queue.add(() => fired.push('first')).cancel();
    vi.advanceTimersByTime(50);
    queue.add(() => fired.push('second'));
    vi.advanceTimersByTime(49);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['second']);
  });
});

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Runs `code` (an ES module body, with DeadlineQueue imported) in a child; resolves with its output. */
function child(code: string): Promise<{ code: number | null; stdout: string }> {
  const module = new URL('../../dist/api/deadlines.js', import.meta.url).href;
  const source = `import { DeadlineQueue } from ${JSON.stringify(module)};\n${code}`;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', source], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(p);
    let stdout = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.on('error', reject);
    p.on('exit', (exitCode) => resolve({ code: exitCode, stdout }));
  });
}

describe('DeadlineQueue and the event loop', () => {
  it('keeps the process alive while a deadline is pending', async () => {
    const r = await child(`
      const queue = new DeadlineQueue(50);
      queue.add(() => process.stdout.write('expired'));`);
    expect(r).toEqual({ code: 0, stdout: 'expired' });
  });

  it('lets the process exit once nothing is pending, though the timer is still armed', async () => {
    // Were the timer still referenced, this process would live for the whole ten minutes.
    const r = await child(`
      const queue = new DeadlineQueue(600_000);
      queue.add(() => process.stdout.write('expired')).cancel();
      process.on('exit', () => process.stdout.write('exited'));`);
    expect(r).toEqual({ code: 0, stdout: 'exited' });
  });
});
