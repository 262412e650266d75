// Pass giveaways: `ipass apply` issuing 100,000 passes against a standalone sandbox process on
// 127.0.0.1 (no injected latency), then a re-run with nothing to do, then `ipass plan` over a
// 1,000,000-row recipients file. The issuing run is reported as CPU per pass of the CLI and of the
// sandbox against the crypto floor (one RSA-2048 sign + one verify, sampled in a third process during
// the run), as ratios that hold on a busy machine; wall time, passes/s and peak RSS are
// printed too, labelled as wall-clock. IPASS_BENCH_COMPARE=<another built checkout> issues with that
// one too, first, in the same run; IPASS_BENCH_PLAN_ROWS=0 skips the plan.
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describeFloor, perOpUs, processThreadsNs, ratio, startCryptoFloor, us } from './cpu.mjs';
import {
  figure,
  heading,
  mb,
  root,
  runCli,
  secs,
  startSandboxProcess,
  writePassProject,
  writeRecipients,
} from './lib.mjs';

const ISSUE = Number(process.env.IPASS_BENCH_PASSES ?? 100_000);
const PLAN_ROWS = Number(process.env.IPASS_BENCH_PLAN_ROWS ?? 1_000_000);
const CONCURRENCY = Number(process.env.IPASS_BENCH_CONCURRENCY ?? 32);

/**
 * runCli, plus the child's CPU split into its main thread and the others, sampled from /proc every
 * 100 ms (the last sample before exit; the total is exact, from the child itself).
 */
async function runMeasured(args, cwd, checkout) {
  const byThread = new Map();
  let pid;
  const bin = join(checkout, 'bin/ipass.js');
  const sampler = setInterval(() => {
    pid ??= findChild(bin, args[0], cwd);
    if (pid === undefined) return;
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
        byThread.set(tid, ns / 1e9);
      }
    } catch {}
  }, 100);
  try {
    const result = await runCli(args, { cwd, checkout });
    const cpu = { main: 0, others: 0 };
    for (const [tid, seconds] of byThread) cpu[tid === String(pid) ? 'main' : 'others'] += seconds;
    return { ...result, cpu };
  } finally {
    clearInterval(sampler);
  }
}

/** The pid of our running `ipass <command>` child started in `cwd`. */
function findChild(bin, command, cwd) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes(bin) && argv.includes(command) && readlinkSync(`/proc/${entry}/cwd`) === cwd)
        return Number(entry);
    } catch {}
  }
  return undefined;
}

/** The issuing phase in this process against an API that answers at once: the passes module's own cost. */
async function passesModuleAlone(csv, rows) {
  const { createPassPhase } = await import('../dist/passes/index.js');
  const { Execution } = await import('../dist/apply/execute.js');
  const { FileBackend } = await import('../dist/state/file/file-backend.js');
  const dir = join(root, 'bench/.work/passes/alone');
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const api = {
    async call(_endpoint, body) {
      JSON.stringify(body);
      n++;
      return {
        ok: true,
        data: { passId: String(n).padStart(31, '0') },
        result: {},
        tracerId: undefined,
        attempts: 1,
      };
    },
  };
  const template = { templateCode: 'T1' };
  const batch = {
    address: 'bench/alone',
    campaign: 'bench',
    key: 'alone',
    file: 'bench.yaml',
    source: { file: 'bench.yaml', line: 1, col: 1 },
    template,
    recipients: csv,
    recipientsDisplay: 'recipients.csv',
    type: 'COUPON',
    product: 'GIFT_CARD',
    codeInfo: { $codemsg$: 'BENCH-{{code}}', $codevalue$: 'BENCH-{{code}}' },
    dataInfo: { en_US: { $shopname$: 'Bench shop', $username$: '{{name}}' } },
    startDate: Date.now() + 86_400_000,
    endDate: Date.now() + 90 * 86_400_000,
    fields: {},
  };
  const store = await new FileBackend(dir, 'alone').lock({ command: 'bench', timeoutMs: 0 });
  const journal = await store.openJournal();
  const execution = new Execution(api, journal, store.state, store.ledgers);
  const phase = createPassPhase({
    batches: [batch],
    stateDir: dir,
    environment: 'alone',
    concurrency: CONCURRENCY,
  });
  const change = { address: batch.address, action: 'issue', template, templateCode: 'T1', recipients: rows };
  const plan = {
    changes: [],
    passBatches: [{ ...change, alreadyIssued: 0, toIssue: rows, removed: 0, failedBefore: 0 }],
  };
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await phase.run(execution, plan);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  await journal.close();
  await store.release();
  return { perSecond: rows / (ms / 1000), cpuMs: (cpu.user + cpu.system) / 1000 / rows };
}

/** `ipass apply` of `build` issuing ISSUE passes against a sandbox of its own; figures per pass. */
async function issueWith(build, work) {
  const sandbox = await startSandboxProcess(join(work, `sandbox-${build.key}`), build.dir);
  try {
    const dir = join(work, `issue-${build.key}`);
    mkdirSync(dir, { recursive: true });
    writePassProject(dir, sandbox.info, { recipients: '../../recipients.csv', concurrency: CONCURRENCY });
    const sampler = await startCryptoFloor(sandbox.info.privateKeyPath);
    const s0 = processThreadsNs(sandbox.pid);
    const run = await runMeasured(['apply', '--auto-approve'], dir, build.dir);
    const s1 = processThreadsNs(sandbox.pid);
    const measuredFloor = await sampler.stop();
    if (run.code !== 0) throw new Error(`apply failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
    const { count } = await sandbox.get('/__sandbox/passes?count=1');
    const floor = measuredFloor.totalUs;
    const cli = {
      total: (run.cpuMs * 1000) / ISSUE,
      main: (run.cpu.main * 1e6) / ISSUE,
      others: (run.cpu.others * 1e6) / ISSUE,
    };
    const server = perOpUs(s0, s1, ISSUE);
    // The same apply with nothing left to issue: start-up, plan, reading the CSV and the ledger.
    const again = await runCli(['apply', '--auto-approve'], { cwd: dir, checkout: build.dir });
    if (again.code !== 0) throw new Error(`re-run failed (${again.code}):\n${again.stderr}`);
    const issuing = ((run.cpuMs - again.cpuMs) * 1000) / ISSUE;
    heading(
      `apply issuing ${ISSUE.toLocaleString('en')} passes, concurrency ${CONCURRENCY} — ${build.label}`,
    );
    figure('  passes on the sandbox afterwards', count.toLocaleString('en'));
    figure(
      '  CLI CPU per pass (main + other threads, sampled)',
      `${us(cli.total)} (${cli.main.toFixed(0)} + ${cli.others.toFixed(0)})`,
    );
    figure(
      '  sandbox CPU per pass (main + other threads)',
      `${us(server.total)} (${server.main.toFixed(0)} + ${server.others.toFixed(0)})`,
    );
    figure('  crypto floor, 1 sign + 1 verify (during the run)', describeFloor(measuredFloor));
    figure('  CLI CPU per pass / floor', ratio(cli.total / floor));
    figure(
      '  CLI CPU per pass, issuing only / floor',
      `${ratio(issuing / floor)} (${us(issuing)}: minus ${(again.cpuMs / 1000).toFixed(2)} s of a re-run with nothing to issue)`,
    );
    figure('  sandbox CPU per pass / floor', ratio(server.total / floor));
    const rates = [...run.stdout.matchAll(/\(([\d,]+)\/s\)/g)];
    figure(
      '  whole apply (wall-clock, machine-dependent)',
      `${secs(run.ms)}, ${(ISSUE / (run.ms / 1000)).toFixed(0)} passes/s`,
    );
    figure("  while issuing (the apply's progress line, wall-clock)", `${rates.at(-1)?.[1] ?? '?'} passes/s`);
    figure('  peak RSS of the CLI', mb(run.rssBytes));
    return { build, dir, sandbox, floor, cli: cli.total, issuing, server: server.total, again };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}

export default async function passesBench() {
  const work = join(root, 'bench/.work/passes');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  await writeRecipients(join(work, 'recipients.csv'), ISSUE);
  const builds = [{ key: 'this', label: 'this checkout', dir: root }];
  if (process.env.IPASS_BENCH_COMPARE) {
    const dir = resolve(process.env.IPASS_BENCH_COMPARE);
    builds.unshift({ key: 'compare', label: `compare: ${basename(dir)}`, dir });
  }
  const runs = [];
  try {
    // 1. Issue ISSUE passes (with each build).
    for (const build of builds) {
      const r = await issueWith(build, work);
      runs.push(r);
      if (build.key === 'compare') await r.sandbox.stop();
    }
    if (runs.length > 1) {
      heading('CPU per pass / crypto floor (each run against the floor sampled during it)');
      for (const r of runs)
        figure(
          `  ${r.build.label}: CLI / CLI issuing only / sandbox`,
          `${ratio(r.cli / r.floor)} / ${ratio(r.issuing / r.floor)} / ${ratio(r.server / r.floor)} (floor ${us(r.floor)})`,
        );
    }
    const { dir: issueDir, sandbox, again } = runs.at(-1);
    const ledger = join(issueDir, '.ipass/bench.passes/bench/giveaway.ledger');
    figure(
      'ledger size',
      `${mb(statSync(ledger).size)} (${(statSync(ledger).size / ISSUE).toFixed(0)} B/pass)`,
    );

    // 2. Nothing left to issue (run above).
    figure(
      're-run with everything issued (reads ledger + CSV)',
      `${secs(again.ms)} wall, ${(again.cpuMs / 1000).toFixed(2)} s CPU, ${mb(again.rssBytes)}`,
    );

    // 3. Plan over PLAN_ROWS recipients (no API calls).
    if (PLAN_ROWS > 0) {
      const planDir = join(work, 'plan');
      mkdirSync(planDir, { recursive: true });
      await writeRecipients(join(planDir, 'recipients.csv'), PLAN_ROWS);
      writePassProject(planDir, sandbox.info, { recipients: '../recipients.csv', concurrency: CONCURRENCY });
      const plan = await runCli(['plan', '--format', 'json'], { cwd: planDir });
      if (plan.code !== 0 && plan.code !== 2) throw new Error(`plan failed (${plan.code}):\n${plan.stderr}`);
      const toIssue = JSON.parse(plan.stdout).passBatches?.[0]?.toIssue;
      figure(
        `plan over ${PLAN_ROWS.toLocaleString('en')} recipients`,
        `${secs(plan.ms)} wall, ${(plan.cpuMs / 1000).toFixed(2)} s CPU (to issue: ${toIssue?.toLocaleString('en')})`,
      );
      figure('  peak RSS of the CLI', mb(plan.rssBytes));
    }

    // 4. The passes module's own share.
    const alone = await passesModuleAlone(join(work, 'recipients.csv'), ISSUE);
    figure('passes module alone (API answering at once)', `${us(alone.cpuMs * 1000)} CPU per pass`);
  } finally {
    for (const r of runs) await r.sandbox.stop();
  }
}
