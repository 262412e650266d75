// Pass giveaways: `ipass apply` issuing 100,000 passes against a standalone sandbox process on
// 127.0.0.1 (no injected latency), then a re-run with nothing to do, then `ipass plan` over a
// 1,000,000-row recipients file. Prints wall time, passes/s, peak RSS of the CLI and where CPU goes.
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  cli,
  figure,
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
/** CPU seconds of a process so far, split into its main thread and the others (libuv pool, GC). */
function threadCpu(pid) {
  const out = { main: 0, others: 0 };
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      if (tid === String(pid)) out.main += seconds;
      else out.others += seconds;
    }
  } catch {
    return undefined;
  }
  return out;
}

/** runCli, plus the child's CPU by thread (sampled from /proc; threads that end keep their last figure). */
async function runMeasured(args, cwd) {
  const byThread = new Map();
  let pid;
  const sampler = setInterval(() => {
    pid ??= findChild(args[0], cwd);
    if (pid === undefined) return;
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        byThread.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
      }
    } catch {}
  }, 100);
  try {
    const result = await runCli(args, { cwd });
    const cpu = { main: 0, others: 0 };
    for (const [tid, seconds] of byThread) cpu[tid === String(pid) ? 'main' : 'others'] += seconds;
    return { ...result, cpu };
  } finally {
    clearInterval(sampler);
  }
}

/** The pid of our running `ipass <command>` child started in `cwd`. */
function findChild(command, cwd) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes(cli) && argv.includes(command) && readlinkSync(`/proc/${entry}/cwd`) === cwd)
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

function signCostMs() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = Buffer.alloc(700, 'x');
  for (let i = 0; i < 50; i++) sign('sha256', data, privateKey);
  const t = performance.now();
  for (let i = 0; i < 500; i++) sign('sha256', data, privateKey);
  return (performance.now() - t) / 500;
}

export default async function passesBench() {
  const work = join(root, 'bench/.work/passes');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const sandbox = await startSandboxProcess(join(work, 'sandbox'));
  try {
    // 1. Issue ISSUE passes.
    const issueDir = join(work, 'issue');
    mkdirSync(issueDir, { recursive: true });
    await writeRecipients(join(issueDir, 'recipients.csv'), ISSUE);
    writePassProject(issueDir, sandbox.info, { recipients: '../recipients.csv', concurrency: CONCURRENCY });
    const sandboxCpu0 = threadCpu(sandbox.pid);
    const issue = await runMeasured(['apply', '--auto-approve'], issueDir);
    const sandboxCpu1 = threadCpu(sandbox.pid);
    if (issue.code !== 0) throw new Error(`apply failed (${issue.code}):\n${issue.stdout}\n${issue.stderr}`);
    const { count } = await sandbox.get('/__sandbox/passes?count=1');
    // The apply's own progress line: passes issued per second since the batch started.
    const rates = [...issue.stdout.matchAll(/\(([\d,]+)\/s\)/g)];
    const issuing = rates.at(-1)?.[1] ?? '?';
    figure(`apply issuing ${ISSUE.toLocaleString('en')} passes (concurrency ${CONCURRENCY})`, secs(issue.ms));
    figure('  passes on the sandbox afterwards', count.toLocaleString('en'));
    figure('  passes/s, whole apply (load, plan, create, issue)', (ISSUE / (issue.ms / 1000)).toFixed(0));
    figure("  passes/s while issuing (the apply's progress line)", issuing);
    figure('  peak RSS of the CLI', mb(issue.rssBytes));
    const perPass = (seconds) => `${((seconds / ISSUE) * 1000).toFixed(2)} ms`;
    figure(
      '  CPU per pass, CLI: main thread + other threads',
      `${perPass(issue.cpu.main)} + ${perPass(issue.cpu.others)} (signing runs on the libuv pool)`,
    );
    figure(
      '  CPU per pass, sandbox: main thread + other threads',
      `${perPass(sandboxCpu1.main - sandboxCpu0.main)} + ${perPass(sandboxCpu1.others - sandboxCpu0.others)}`,
    );
    const ledger = join(issueDir, '.ipass/bench.passes/bench/giveaway.ledger');
    figure(
      '  ledger size',
      `${mb(statSync(ledger).size)} (${(statSync(ledger).size / ISSUE).toFixed(0)} B/pass)`,
    );

    // 2. Nothing left to issue.
    const again = await runCli(['apply', '--auto-approve'], { cwd: issueDir });
    figure('re-run with everything issued (reads ledger + CSV)', `${secs(again.ms)}, ${mb(again.rssBytes)}`);

    // 3. Plan over PLAN_ROWS recipients (no API calls).
    const planDir = join(work, 'plan');
    mkdirSync(planDir, { recursive: true });
    await writeRecipients(join(planDir, 'recipients.csv'), PLAN_ROWS);
    writePassProject(planDir, sandbox.info, { recipients: '../recipients.csv', concurrency: CONCURRENCY });
    const plan = await runCli(['plan', '--format', 'json'], { cwd: planDir });
    if (plan.code !== 0 && plan.code !== 2) throw new Error(`plan failed (${plan.code}):\n${plan.stderr}`);
    const toIssue = JSON.parse(plan.stdout).passBatches?.[0]?.toIssue;
    figure(
      `plan over ${PLAN_ROWS.toLocaleString('en')} recipients`,
      `${secs(plan.ms)} (to issue: ${toIssue?.toLocaleString('en')})`,
    );
    figure('  peak RSS of the CLI', mb(plan.rssBytes));

    // 4. Where the time goes.
    figure('one RSA-2048 signature on this machine', `${signCostMs().toFixed(2)} ms (two per pass)`);
    const alone = await passesModuleAlone(join(issueDir, 'recipients.csv'), ISSUE);
    figure(
      'passes module alone (API answering at once)',
      `${alone.perSecond.toFixed(0)} passes/s, ${(alone.cpuMs * 1000).toFixed(0)} µs CPU per pass`,
    );
  } finally {
    await sandbox.stop();
  }
}
