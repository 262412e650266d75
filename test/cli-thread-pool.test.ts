// The CLI sizes libuv's thread pool (which signs requests and responses) to the cores, at least two,
// before the pool starts, and leaves a size the user set alone. Seen from outside: the threads of a
// running `ipass sandbox`, whose start-up has used the pool, against runs with the size given.

import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnCli } from './helpers/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipass-pool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Threads of `ipass sandbox` once it listens, with UV_THREADPOOL_SIZE as given (undefined: unset). */
async function sandboxThreads(poolSize: string | undefined): Promise<number> {
  const { child, done } = spawnCli(['sandbox', '--port', '0', '--json', '--data', join(dir, 'data')], {
    cwd: dir,
    env: { UV_THREADPOOL_SIZE: poolSize },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`ipass sandbox exited with ${code}`)));
    });
    return readdirSync(`/proc/${child.pid}/task`).length;
  } finally {
    child.kill('SIGTERM');
    await done;
  }
}

describe.skipIf(process.platform !== 'linux')('libuv thread pool of the CLI', () => {
  it('has one thread per core, at least two, unless UV_THREADPOOL_SIZE says otherwise', async () => {
    const cores = Math.max(2, availableParallelism());
    const given = await sandboxThreads(String(cores));
    expect(await sandboxThreads(String(cores + 3))).toBe(given + 3);
    expect(await sandboxThreads(undefined)).toBe(given);
  });
});
