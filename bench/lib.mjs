// Helpers shared by the benchmarks: run the built CLI as a child and measure wall time and peak RSS.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
export const cli = join(root, 'bin/ipass.js');
const hook = join(root, 'bench/rss-hook.mjs');

/** Run `node bin/ipass.js ...args`; resolves { code, stdout, stderr, ms, rssBytes }. */
export function runCli(args, { cwd, env = {}, input } = {}) {
  const rssDir = mkdtempSync(join(tmpdir(), 'ipass-rss-'));
  const rssFile = join(rssDir, 'rss');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', hook, cli, ...args], {
      cwd,
      env: { ...process.env, CI: 'true', ...env, IPASS_BENCH_RSS_FILE: rssFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssBytes = Number.NaN;
      try {
        rssBytes = Number(readFileSync(rssFile, 'utf8'));
      } catch {}
      rmSync(rssDir, { recursive: true, force: true });
      resolve({ code, stdout, stderr, ms, rssBytes });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Print one aligned figure line. */
export function figure(label, value) {
  console.log(`  ${label.padEnd(48)} ${value}`);
}
