// Helpers shared by the benchmarks: run the built CLI as a child and measure wall time, peak RSS and
// CPU time; print figures, each with the load average beside it.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load1 } from './cpu.mjs';

export const root = new URL('..', import.meta.url).pathname;
export const cli = join(root, 'bin/ipass.js');
// CommonJS, preloaded with --require: an --import preload would start libuv's thread pool before
// bin/ipass.js could size it.
const hook = join(root, 'bench/rss-hook.cjs');

/**
 * Run `node bin/ipass.js ...args` (of `checkout`, default this one); resolves { code, stdout, stderr,
 * ms, rssBytes, cpuMs } (cpuMs: all threads, user + system).
 */
export function runCli(args, { cwd, env = {}, input, checkout = root } = {}) {
  const rssDir = mkdtempSync(join(tmpdir(), 'ipass-rss-'));
  const rssFile = join(rssDir, 'rss');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', hook, join(checkout, 'bin/ipass.js'), ...args], {
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
      let cpuMs = Number.NaN;
      try {
        const [rss, cpu] = readFileSync(rssFile, 'utf8').split(' ');
        rssBytes = Number(rss);
        cpuMs = Number(cpu) / 1000;
      } catch {}
      rmSync(rssDir, { recursive: true, force: true });
      resolve({ code, stdout, stderr, ms, rssBytes, cpuMs });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Print one aligned figure line, with the 1-minute load average at the time beside it. */
export function figure(label, value) {
  console.log(`  ${label.padEnd(52)} ${String(value).padEnd(44)} load ${load1()}`);
}

/** Print a heading line (no figure, so no load average). */
export function heading(text) {
  console.log(`  ${text}`);
}

/** ipass.config.yaml for a project whose only environment, `bench`, is the given sandbox. */
export function writeBenchConfig(dir, info, concurrency, extraConfig = []) {
  writeFileSync(
    join(dir, 'ipass.config.yaml'),
    [
      'campaigns: campaigns',
      ...extraConfig,
      'defaultEnvironment: bench',
      'environments:',
      '  bench:',
      `    endpoint: ${info.url}`,
      `    clientId: ${info.clientId}`,
      `    merchantId: "${info.merchantId}"`,
      `    privateKey: file:${info.privateKeyPath}`,
      `    alipayPublicKey: file:${info.sandboxPublicKeyPath}`,
      `    concurrency: ${concurrency}`,
      '    requestsPerSecond: 1000000',
      '',
    ].join('\n'),
  );
}

/**
 * A standalone sandbox process (`ipass sandbox --port 0 --json`) of `checkout` (default this one);
 * resolves once it listens.
 */
export async function startSandboxProcess(dataDir, checkout = root) {
  const bin = join(checkout, 'bin/ipass.js');
  const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--json', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
      if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0]));
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
  return {
    info,
    pid: child.pid,
    get: async (path) => (await fetch(`${info.url}${path}`)).json(),
    async setFaults(faults) {
      const res = await fetch(`${info.url}/__sandbox/faults`, {
        method: 'POST',
        body: JSON.stringify(faults),
      });
      if (!res.ok) throw new Error(`setting faults failed: ${await res.text()}`);
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

const TICKS = 100; // clock ticks per second in /proc/<pid>/stat

/** CPU seconds (user + system) a process has used so far, or NaN once it is gone. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * A project with one template and one pass batch over `recipients` (relative to campaigns/), for the
 * sandbox `info`; `passes: false` leaves the batch out; `extraConfig` adds top-level config lines.
 */
export function writePassProject(
  dir,
  info,
  { recipients, concurrency, campaign = 'bench', passes = true, extraConfig = [] },
) {
  mkdirSync(join(dir, 'campaigns'), { recursive: true });
  writeBenchConfig(dir, info, concurrency, extraConfig);
  writeFileSync(
    join(dir, 'campaigns', 'bench.yaml'),
    `campaign: ${campaign}
templates:
  coffee:
    type: COUPON
    product: GIFT_CARD
    codeType: qrcode
    codeStandard: QRCODE
    startDate: 2027-06-01T00:00:00+08:00
    endDate: 2027-08-31T23:59:59+08:00
    imageUrl: https://cdn.example.com/i.png
    merchantLogo: https://cdn.example.com/logo.png
    exposure: exposed
    categories: [Food]
    orderPageLink: alipayhk://platformapi/startapp?appId=2160003634300010
    button: { btnType: usage, urlType: CODE_PAY_BTN }
    stock: 1000000
    localeInfo:
      en_US: { name: Coffee, description: One coffee, shops: All shops, brandName: Bench }
${
  passes
    ? `passes:
  giveaway:
    template: coffee
    recipients: ${recipients}
    publishScene: FREE_GIVE
    codeInfo: { $codemsg$: "BENCH-{{code}}", $codevalue$: "BENCH-{{code}}" }
    dataInfo: { en_US: { $shopname$: Bench shop, $username$: "{{name}}" } }
`
    : ''
}`,
  );
}

/** A recipients CSV of `rows` users (userId, code, name). */
export async function writeRecipients(path, rows) {
  const out = createWriteStream(path);
  out.write('userId,code,name\n');
  for (let i = 0; i < rows; i += 10_000) {
    let chunk = '';
    for (let j = i; j < Math.min(rows, i + 10_000); j++)
      chunk += `${2_160_000_000_000_000 + j},C${j},User ${j}\n`;
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}
