// Updating issued passes: `ipass apply` issuing IPASS_BENCH_UPDATES passes (default 20,000) against a
// standalone sandbox, then the batch's dataInfo changed and applied again: one updatePass per pass.
// Reported as CPU per update of the CLI (minus a re-run with nothing to do) and of the sandbox,
// against the crypto floor (one RSA-2048 sign + one verify, sampled in a third process during the
// run), as for issuing; wall time is printed too, labelled as wall-clock.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFloor, perOpUs, processThreadsNs, ratio, startCryptoFloor, us } from './cpu.mjs';
import {
  figure,
  heading,
  root,
  runCli,
  secs,
  startSandboxProcess,
  writePassProject,
  writeRecipients,
} from './lib.mjs';

const UPDATES = Number(process.env.IPASS_BENCH_UPDATES ?? 20_000);
const CONCURRENCY = Number(process.env.IPASS_BENCH_CONCURRENCY ?? 32);

export default async function passUpdatesBench() {
  const work = join(root, 'bench/.work/pass-updates');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const sandbox = await startSandboxProcess(join(work, 'sandbox'));
  try {
    // The project is the work folder, so the sandbox's keys are inside it.
    const dir = work;
    mkdirSync(join(dir, 'campaigns'), { recursive: true });
    await writeRecipients(join(dir, 'campaigns', 'recipients.csv'), UPDATES);
    writePassProject(dir, sandbox.info, { recipients: 'recipients.csv', concurrency: CONCURRENCY });
    const issue = await runCli(['apply', '--auto-approve'], { cwd: dir });
    if (issue.code !== 0) throw new Error(`issuing failed (${issue.code}):\n${issue.stderr}`);

    const campaign = join(dir, 'campaigns', 'bench.yaml');
    writeFileSync(
      campaign,
      readFileSync(campaign, 'utf8').replace('$shopname$: Bench shop', '$shopname$: Bench Shop'),
    );
    const sampler = await startCryptoFloor(sandbox.info.privateKeyPath);
    const s0 = processThreadsNs(sandbox.pid);
    const run = await runCli(['apply', '--auto-approve'], { cwd: dir });
    const s1 = processThreadsNs(sandbox.pid);
    const measuredFloor = await sampler.stop();
    const floor = measuredFloor.totalUs;
    if (run.code !== 0) throw new Error(`updating failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
    const again = await runCli(['apply', '--auto-approve'], { cwd: dir });
    if (again.code !== 0) throw new Error(`re-run failed (${again.code}):\n${again.stderr}`);
    const { requests } = await sandbox.get('/__sandbox/stats');
    const cli = (run.cpuMs * 1000) / UPDATES;
    const updating = ((run.cpuMs - again.cpuMs) * 1000) / UPDATES;
    const server = perOpUs(s0, s1, UPDATES);

    heading(
      `apply updating ${UPDATES.toLocaleString('en')} issued passes (dataInfo), concurrency ${CONCURRENCY}`,
    );
    figure('  updatePass requests the sandbox received', (requests.updatePass ?? 0).toLocaleString('en'));
    figure('  crypto floor, 1 sign + 1 verify (during the run)', describeFloor(measuredFloor));
    figure('  CLI CPU per update / floor', `${ratio(cli / floor)} (${us(cli)})`);
    figure(
      '  CLI CPU per update, updating only / floor',
      `${ratio(updating / floor)} (${us(updating)}: minus ${(again.cpuMs / 1000).toFixed(2)} s of a re-run with nothing to do)`,
    );
    figure('  sandbox CPU per update / floor', `${ratio(server.total / floor)} (${us(server.total)})`);
    figure(
      '  whole apply (wall-clock, machine-dependent)',
      `${secs(run.ms)}, ${(UPDATES / (run.ms / 1000)).toFixed(0)} updates/s`,
    );
  } finally {
    await sandbox.stop();
  }
}
