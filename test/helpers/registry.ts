// The own-repository tests install ipass the way the README says, which needs the npm registry (for
// ipass's dependencies). Outside CI without a registry they are skipped with one line saying so;
// under CI=true they fail instead.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'vitest';
import { inCi } from '../../src/shared/ci.js';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** An environment for npm and git in tests: no colour, no funding or audit talk, a git identity. */
export const NPM_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CI: 'true',
  NO_COLOR: '1',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_update_notifier: 'false',
  GIT_AUTHOR_NAME: 'Marketing Ops',
  GIT_AUTHOR_EMAIL: 'ops@example.com',
  GIT_COMMITTER_NAME: 'Marketing Ops',
  GIT_COMMITTER_EMAIL: 'ops@example.com',
};

/** Why the npm registry cannot be used, or undefined when it answers. */
function registryProblem(): string | undefined {
  const ping = spawnSync('npm', ['ping'], { env: NPM_ENV, encoding: 'utf8', timeout: 60_000 });
  if (ping.status === 0) return undefined;
  const why = `${ping.stderr ?? ''}${ping.error?.message ?? ''}`.trim().split('\n').pop();
  return why || `npm ping exited ${ping.status}`;
}

let told = false;

/** `describe` for suites that need the npm registry: fail under CI=true without it, else skip saying so. */
export function describeWithRegistry(name: string, suite: () => void): void {
  const problem = registryProblem();
  if (!problem) {
    describe(name, suite);
    return;
  }
  if (inCi()) {
    describe(name, () => {
      it('needs the npm registry', () => {
        throw new Error(`The npm registry does not answer (${problem}); CI runs the own-repository tests.`);
      });
    });
    return;
  }
  if (!told) {
    told = true;
    console.warn(`Own-repository tests skipped: the npm registry does not answer (${problem}).`);
  }
  describe.skip(name, suite);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A shell command line, as a person types it. */
export function sh(line: string, cwd: string, env: NodeJS.ProcessEnv = NPM_ENV): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * What a fresh clone of this checkout holds: every tracked or new (not ignored) file as it is in the
 * working tree, so uncommitted work is tested too; no node_modules, no dist.
 */
export function freshClone(to: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0')) {
    if (!file || !existsSync(join(ROOT, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(ROOT, file), join(to, file));
  }
}

/** The ```sh blocks of one README section ("## Title" up to the next "## "), each as its lines. */
export function readmeBlocks(readme: string, title: string): string[][] {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`README has no section "${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const blocks: string[][] = [];
  const fence = /```sh\n([\s\S]*?)```/g;
  for (let m = fence.exec(section); m; m = fence.exec(section))
    blocks.push((m[1] ?? '').trimEnd().split('\n'));
  return blocks;
}
