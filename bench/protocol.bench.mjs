// CPU per signed request of the API client and of the sandbox, each in a process of its own
// (createPass at concurrency 16, 0 ms and 20 ms injected latency), against the crypto floor (one
// RSA-2048 sign + one verify, sampled in a third process during each run) as ratios. CPU time
// holds on a busy machine where wall-clock rates do not; throughput is printed too, labelled so.
// IPASS_BENCH_COMPARE=<another built checkout> measures that one too, alternating, in the same run.
import { fork } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { describeFloor, perOpUs, processThreadsNs, ratio, startCryptoFloor, us } from './cpu.mjs';
import { figure, heading, root, startSandboxProcess } from './lib.mjs';

const REQUESTS = Number(process.env.IPASS_BENCH_PROTOCOL_REQUESTS ?? 4000);
const WARMUP = Math.min(1000, REQUESTS);
const CONCURRENCY = 16;
const LATENCIES = [0, 20];

/** The client of `checkout` in a process of its own, driven over IPC (bench/protocol-client.cjs). */
function startClient(checkout) {
  const child = fork(join(root, 'bench/protocol-client.cjs'), [checkout], { stdio: 'inherit' });
  const ask = (message) =>
    new Promise((resolveAsk, reject) => {
      child.once('message', (m) => (m.ok ? resolveAsk(m.result) : reject(new Error(m.error))));
      child.send(message);
    });
  return { pid: child.pid, ask, exited: new Promise((r) => child.once('exit', r)) };
}

async function startSession(build, work) {
  const sandbox = await startSandboxProcess(join(work, `sandbox-${build.key}`), build.dir);
  const client = startClient(build.dir);
  const { pool } = await client.ask({ type: 'setup', info: sandbox.info, concurrency: CONCURRENCY });
  await client.ask({ type: 'run', prefix: 'warm', count: WARMUP, concurrency: CONCURRENCY });
  return { build, sandbox, client, pool };
}

async function measure(session, latencyMs) {
  await session.sandbox.setFaults({ latencyMs });
  const sampler = await startCryptoFloor(session.sandbox.info.privateKeyPath);
  const s0 = processThreadsNs(session.sandbox.pid);
  const r = await session.client.ask({
    type: 'run',
    prefix: `run${latencyMs}`,
    count: REQUESTS,
    concurrency: CONCURRENCY,
  });
  const s1 = processThreadsNs(session.sandbox.pid);
  const floor = await sampler.stop();
  const client = { main: r.mainUs, others: r.othersUs, total: r.mainUs + r.othersUs };
  return { ...r, client, sandbox: perOpUs(s0, s1, REQUESTS), floor };
}

const split = (cpu) => `${us(cpu.total)} (${cpu.main.toFixed(0)} + ${cpu.others.toFixed(0)})`;

function report(session, latencyMs, r) {
  const floor = r.floor.totalUs;
  heading(
    `createPass × ${REQUESTS}, concurrency ${CONCURRENCY}, latency ${latencyMs} ms — ${session.build.label}`,
  );
  if (r.failed > 0 || r.retried > 0) figure('  failed / retried', `${r.failed} / ${r.retried}`);
  figure('  client CPU per request (main + other threads)', split(r.client));
  figure('  sandbox CPU per request (main + other threads)', split(r.sandbox));
  figure('  crypto floor, 1 sign + 1 verify (during the run)', describeFloor(r.floor));
  figure('  client CPU / floor', ratio(r.client.total / floor));
  figure('  sandbox CPU / floor', ratio(r.sandbox.total / floor));
  figure(
    '  throughput (wall-clock, machine-dependent)',
    `${(REQUESTS / (r.wallMs / 1000)).toFixed(0)} requests/s in ${(r.wallMs / 1000).toFixed(2)} s`,
  );
  return { build: session.build.label, latencyMs, floor, client: r.client.total, sandbox: r.sandbox.total };
}

export default async function protocolBench() {
  const builds = [{ key: 'this', label: 'this checkout', dir: root }];
  if (process.env.IPASS_BENCH_COMPARE) {
    const dir = resolve(process.env.IPASS_BENCH_COMPARE);
    builds.unshift({ key: 'compare', label: `compare: ${basename(dir)}`, dir });
  }
  const work = join(root, 'bench/.work', `protocol-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const sessions = [];
  try {
    for (const build of builds) sessions.push(await startSession(build, work));
    figure(
      'cores / libuv pool threads of the client process',
      `${availableParallelism()} / ${sessions.map((s) => s.pool).join(', ')}`,
    );
    const rows = [];
    for (const latencyMs of LATENCIES) {
      for (const session of sessions)
        rows.push(report(session, latencyMs, await measure(session, latencyMs)));
    }
    if (sessions.length > 1) {
      heading('CPU per request / crypto floor (each run against the floor sampled during it)');
      for (const row of rows) {
        figure(
          `  ${row.build}, latency ${row.latencyMs} ms: client / sandbox`,
          `${ratio(row.client / row.floor)} / ${ratio(row.sandbox / row.floor)} (${us(row.client)} / ${us(row.sandbox)})`,
        );
      }
    }
  } finally {
    for (const s of sessions) {
      await s.client.ask({ type: 'close' }).catch(() => {});
      await s.client.exited;
      await s.sandbox.stop();
    }
    rmSync(work, { recursive: true, force: true });
  }
}
