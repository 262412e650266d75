// The postgres state backend against the file backend, measured in one run on the same machine:
// `ipass plan` over a 1,000,000-row recipients file whose 1,000,000 passes are all issued already,
// and `ipass apply` issuing 100,000 passes against a standalone sandbox. Prints wall time, CPU time
// of the CLI (all threads) and of the PostgreSQL session serving it, peak RSS, and the ratios.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  cpuSeconds,
  figure,
  mb,
  root,
  runCli,
  secs,
  startSandboxProcess,
  writePassProject,
  writeRecipients,
} from './lib.mjs';

const PLAN_ROWS = Number(process.env.IPASS_BENCH_PLAN_ROWS ?? 1_000_000);
const ISSUE = Number(process.env.IPASS_BENCH_PASSES ?? 100_000);
const CONCURRENCY = Number(process.env.IPASS_BENCH_CONCURRENCY ?? 32);
const DATABASE =
  process.env.IPASS_BENCH_DATABASE_URL ??
  process.env.IPASS_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

async function sql(text, values = []) {
  const client = new pg.Client({ connectionString: DATABASE });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * runCli, plus the CPU seconds of the PostgreSQL backends serving it (found by application_name,
 * sampled while it runs; /proc of the server processes, which run on this machine).
 */
async function runWithServerCpu(args, options) {
  const seen = new Map();
  const sample = async () => {
    try {
      for (const { pid } of await sql(
        "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'ipass%'",
      )) {
        const s = cpuSeconds(pid);
        if (!Number.isNaN(s)) seen.set(pid, s);
      }
    } catch {}
  };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sample();
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    const result = await runCli(args, options);
    return { ...result, serverCpuMs: [...seen.values()].reduce((a, b) => a + b, 0) * 1000 };
  } finally {
    sampling = false;
    await sampler;
  }
}

/** A file-backend ledger in which every row of the recipients file is issued. */
async function writeIssuedLedger(path, address, templateCode, rows) {
  const { deriveBizSerialId } = await import('../dist/passes/index.js');
  mkdirSync(join(path, '..'), { recursive: true });
  const out = createWriteStream(path);
  out.write(`# ipass pass ledger v1 ${address}\nT\t${templateCode}\t1\n`);
  for (let i = 0; i < rows; i += 10_000) {
    let chunk = '';
    for (let j = i; j < Math.min(rows, i + 10_000); j++) {
      const id = deriveBizSerialId(address, { userId: String(2_160_000_000_000_000 + j) });
      chunk += `I\t${id}\nS\t${id}\tP${String(j).padStart(30, '0')}\t1800000000000\n`;
    }
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

const ratio = (a, b) => (a / b).toFixed(2);
const cpu = (ms) => `${(ms / 1000).toFixed(2)} s CPU`;

async function planBench(work, sandbox, schema) {
  const fileDir = join(work, 'plan-file');
  const pgDir = join(work, 'plan-pg');
  for (const dir of [fileDir, pgDir]) mkdirSync(dir, { recursive: true });
  await writeRecipients(join(work, 'plan-recipients.csv'), PLAN_ROWS);
  const pgConfig = ['state:', '  backend: postgres', `  url: ${DATABASE}`, `  schema: ${schema}`];
  const project = (dir, passes, extraConfig = []) =>
    writePassProject(dir, sandbox.info, {
      recipients: '../../plan-recipients.csv',
      concurrency: CONCURRENCY,
      passes,
      extraConfig,
    });

  // The template for real, then a ledger that has every recipient issued, then the batch itself.
  project(fileDir, false);
  const created = await runCli(['apply', '--auto-approve'], { cwd: fileDir });
  if (created.code !== 0) throw new Error(`apply failed:\n${created.stdout}\n${created.stderr}`);
  const statePath = join(fileDir, '.ipass', 'bench.state.json');
  const state = JSON.parse(readFileSync(statePath, 'utf8'));
  const templateCode = state.templates['bench/coffee'].templateCode;
  const ledger = 'bench.passes/bench/giveaway.ledger';
  await writeIssuedLedger(join(fileDir, '.ipass', ledger), 'bench/giveaway', templateCode, PLAN_ROWS);
  state.passBatches['bench/giveaway'] = { templateCode, ledger, issued: PLAN_ROWS, failed: 0 };
  writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
  project(fileDir, true);
  project(pgDir, true, pgConfig);

  const migrate = await runCli(['state', 'migrate', '--from-dir', '../plan-file/.ipass'], { cwd: pgDir });
  if (migrate.code !== 0) throw new Error(`migrate failed:\n${migrate.stdout}\n${migrate.stderr}`);
  figure(
    `state migrate of ${PLAN_ROWS.toLocaleString('en')} issued passes`,
    `${secs(migrate.ms)}, ${mb(migrate.rssBytes)}`,
  );

  const runs = { file: [], postgres: [] };
  for (let round = 0; round < 2; round++) {
    for (const [name, dir] of [
      ['file', fileDir],
      ['postgres', pgDir],
    ]) {
      const r = await runWithServerCpu(['plan', '--format', 'json'], { cwd: dir });
      if (r.code !== 0) throw new Error(`plan (${name}) failed (${r.code}):\n${r.stderr}`);
      const batch = JSON.parse(r.stdout).passBatches?.[0];
      if (batch?.alreadyIssued !== PLAN_ROWS)
        throw new Error(`plan (${name}) counted ${batch?.alreadyIssued} issued`);
      runs[name].push(r);
    }
  }
  const best = (list, key) => Math.min(...list.map((r) => r[key]));
  const f = {
    ms: best(runs.file, 'ms'),
    cpu: best(runs.file, 'cpuMs'),
    rss: Math.max(...runs.file.map((r) => r.rssBytes)),
  };
  const p = {
    ms: best(runs.postgres, 'ms'),
    cpu: best(runs.postgres, 'cpuMs'),
    server: best(runs.postgres, 'serverCpuMs'),
    rss: Math.max(...runs.postgres.map((r) => r.rssBytes)),
  };
  figure(
    `plan, ${PLAN_ROWS.toLocaleString('en')} rows all issued: file`,
    `${secs(f.ms)} wall, ${cpu(f.cpu)}, ${mb(f.rss)}`,
  );
  figure('  postgres', `${secs(p.ms)} wall, ${cpu(p.cpu)} + ${cpu(p.server)} in the server, ${mb(p.rss)}`);
  figure(
    '  postgres / file (goal ≤ 2.0, ≤ 300 MB)',
    `wall ${ratio(p.ms, f.ms)}, CLI CPU ${ratio(p.cpu, f.cpu)}, CLI+server CPU ${ratio(p.cpu + p.server, f.cpu)}`,
  );
}

async function issueBench(work, schema) {
  const results = {};
  for (const name of ['file', 'postgres']) {
    const sandbox = await startSandboxProcess(join(work, `sandbox-${name}`));
    try {
      const dir = join(work, `issue-${name}`);
      mkdirSync(dir, { recursive: true });
      await writeRecipients(join(dir, 'recipients.csv'), ISSUE);
      writePassProject(dir, sandbox.info, {
        recipients: '../recipients.csv',
        concurrency: CONCURRENCY,
        extraConfig:
          name === 'postgres'
            ? ['state:', '  backend: postgres', `  url: ${DATABASE}`, `  schema: ${schema}_issue`]
            : [],
      });
      const sandboxCpu0 = cpuSeconds(sandbox.pid);
      const r = await runWithServerCpu(['apply', '--auto-approve'], { cwd: dir });
      const sandboxCpu = cpuSeconds(sandbox.pid) - sandboxCpu0;
      if (r.code !== 0) throw new Error(`apply (${name}) failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
      const rates = [...r.stdout.matchAll(/\(([\d,]+)\/s\)/g)];
      const rate = Number((rates.at(-1)?.[1] ?? 'NaN').replace(/,/g, ''));
      results[name] = { ...r, rate, sandboxCpu };
      const perPass = (ms) => `${((ms * 1000) / ISSUE).toFixed(0)} µs`;
      figure(
        `apply issuing ${ISSUE.toLocaleString('en')} passes: ${name}`,
        `${rate.toLocaleString('en')} passes/s while issuing (wall clock), ${secs(r.ms)}, ${mb(r.rssBytes)}`,
      );
      figure(
        '  CPU per pass: CLI / sandbox / database',
        `${perPass(r.cpuMs)} / ${perPass(sandboxCpu * 1000)} / ${name === 'postgres' ? perPass(r.serverCpuMs) : '-'}`,
      );
    } finally {
      await sandbox.stop();
    }
  }
  const f = results.file;
  const p = results.postgres;
  figure('  postgres / file issuing rate (goal ≥ 0.9)', ratio(p.rate, f.rate));
  figure('  postgres / file CLI CPU per pass', ratio(p.cpuMs, f.cpuMs));
}

export default async function stateBackendsBench() {
  try {
    await sql('SELECT 1');
  } catch (error) {
    console.log(`  skipped: no PostgreSQL at ${DATABASE.replace(/:[^:@/]*@/, ':***@')} (${error.message})`);
    return;
  }
  const work = join(root, 'bench/.work/state-backends');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
  console.log(`  load average at start ${load()}`);
  if (PLAN_ROWS > 0) {
    const sandbox = await startSandboxProcess(join(work, 'sandbox'));
    try {
      await planBench(work, sandbox, schema);
    } finally {
      await sandbox.stop();
    }
  }
  console.log(`  load average ${load()}`);
  try {
    await issueBench(work, schema);
  } finally {
    console.log(`  load average at end ${load()}`);
    await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await sql(`DROP SCHEMA IF EXISTS "${schema}_issue" CASCADE`);
  }
}
