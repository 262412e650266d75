// The run history's size: bytes per 1,000 runs in the file backend's <env>.history.jsonl, and the
// rows and bytes of the runs/run_changes tables on PostgreSQL (pg_total_relation_size), for runs
// shaped like an apply from CI: five template changes and two pass batches each.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { figure, root } from './lib.mjs';

const RUNS = Number(process.env.IPASS_BENCH_HISTORY_RUNS ?? 1000);
const DATABASE =
  process.env.IPASS_BENCH_DATABASE_URL ??
  process.env.IPASS_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

function sampleRun(i) {
  const at = new Date(Date.UTC(2027, 0, 1) + i * 60_000).toISOString();
  const changes = [];
  for (let c = 0; c < 5; c++)
    changes.push({
      address: `summer-2027/template-${c}`,
      action: c === 0 ? 'create' : 'stock',
      templateCode: `8202701010013500000000000000${String(c).padStart(4, '0')}`,
      outcome: 'done',
    });
  changes.push({ address: 'summer-2027/welcome-gift', action: 'issue', outcome: 'issued', count: 4990 });
  changes.push({
    address: 'summer-2027/welcome-gift',
    action: 'issue',
    outcome: 'failed',
    code: 'USER_NOT_EXIST',
    count: 10,
  });
  return {
    formatVersion: 1,
    id: `r-20270101-${String(i).padStart(6, '0')}-${randomBytes(3).toString('hex')}`,
    environment: 'production',
    command: 'apply',
    who: 'octocat',
    ciRun: `https://github.com/acme/campaigns/actions/runs/${9_000_000_000 + i}/attempts/1`,
    commit: randomBytes(20).toString('hex'),
    dirty: false,
    version: '0.1.0',
    planHash: randomBytes(32).toString('hex'),
    startedAt: at,
    endedAt: at,
    outcome: 'partial',
    counts: { created: 1, stock: 4, passesIssued: 4990, passesFailed: 10 },
    changes,
  };
}

async function postgres(PostgresBackend, describeTarget) {
  const schema = `ipass_bench_history_${randomBytes(4).toString('hex')}`;
  const target = { url: DATABASE, schema };
  const backend = new PostgresBackend(target, 'production', describeTarget(target));
  const client = new pg.Client({ connectionString: DATABASE });
  try {
    const store = await backend.lock({ command: 'bench', timeoutMs: 0 });
    try {
      for (let i = 0; i < RUNS; i++) await store.history.append(sampleRun(i));
    } finally {
      await store.release();
    }
    await client.connect();
    const size = async (table) =>
      Number(
        (await client.query('SELECT pg_total_relation_size($1) AS n', [`"${schema}".${table}`])).rows[0].n,
      );
    const count = async (table) =>
      Number((await client.query(`SELECT count(*) AS n FROM "${schema}".${table}`)).rows[0].n);
    const bytes = (await size('runs')) + (await size('run_changes'));
    figure(
      `postgres, per ${RUNS.toLocaleString('en')} runs`,
      `${(await count('runs')).toLocaleString('en')} runs rows + ${(await count('run_changes')).toLocaleString('en')} run_changes rows, ${(bytes / 1024).toFixed(0)} KiB with indexes`,
    );
  } catch (error) {
    figure('postgres', `skipped: ${error.message}`);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await client.end().catch(() => undefined);
    await backend.close();
  }
}

export default async function bench() {
  const { FileRunHistory } = await import(join(root, 'dist/state/file/file-history.js'));
  const { PostgresBackend } = await import(join(root, 'dist/state/postgres/pg-backend.js'));
  const { describeTarget } = await import(join(root, 'dist/state/postgres/pg-connect.js'));
  const dir = mkdtempSync(join(tmpdir(), 'ipass-bench-history-'));
  try {
    const path = join(dir, 'production.history.jsonl');
    const history = new FileRunHistory(path);
    for (let i = 0; i < RUNS; i++) await history.append(sampleRun(i));
    const bytes = statSync(path).size;
    figure(
      'file, bytes per 1,000 runs',
      `${Math.round((bytes * 1000) / RUNS).toLocaleString('en')} bytes (${(bytes / 1024).toFixed(0)} KiB for ${RUNS.toLocaleString('en')} runs of 7 changes each)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await postgres(PostgresBackend, describeTarget);
}
