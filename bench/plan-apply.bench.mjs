// (a) `ipass plan` on 10,000 templates in 1,000 files against a state that holds all of them (no
// changes): wall time, peak RSS, and the ratio to merely reading + YAML.parse-ing the files.
// (b) `ipass apply` creating 1,000 templates against a standalone sandbox with 20 ms latency at
// concurrency 16: creates per second (sandbox-side window and whole command) vs the ideal 800/s.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBaseline, writeCampaigns } from './campaign-gen.mjs';
import { figure, mb, root, runCli, secs, startSandboxProcess, writeBenchConfig } from './lib.mjs';

const work = join(root, 'bench/.work/plan-apply');

async function planBench() {
  const dir = join(work, 'plan');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ipass.config.yaml'), 'campaigns: campaigns\n');
  const bytes = writeCampaigns(dir, { files: 1000, perFile: 10 });
  // The state an apply of these campaigns leaves: every address with its applied spec.
  const { loadCampaigns } = await import('../dist/campaign/load-campaigns.js');
  const { emptyState, serializeState } = await import('../dist/state/state-format.js');
  const loaded = await loadCampaigns({
    cwd: dir,
    rootDir: dir,
    patterns: ['campaigns'],
    now: Date.parse('2027-01-01T00:00:00+08:00'),
  });
  const state = emptyState('sandbox', '00000000-0000-4000-8000-000000000000');
  state.serial = 1;
  loaded.set.templates.forEach((t, i) => {
    state.templates[t.address] = {
      templateCode: String(82027010100135000000000000000000n + BigInt(i)),
      status: t.status,
      stock: t.body.stock,
      protect: t.protect,
      generation: 1,
      requestId: `bench${i}`,
      spec: t.body,
      superseded: [],
    };
    state.createAttempts[t.address] = 1;
  });
  mkdirSync(join(dir, '.ipass'), { recursive: true });
  writeFileSync(join(dir, '.ipass', 'sandbox.state.json'), serializeState(state));

  // The files were just written (page cache); the second pass runs with warm code.
  const cold = parseBaseline(dir).ms;
  const baselineMs = parseBaseline(dir).ms;
  const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir });
  if (plan.code !== 0)
    throw new Error(`plan should report no changes (exit 0), got ${plan.code}: ${plan.stderr.slice(0, 500)}`);
  figure('(a) plan: templates / files / bytes', `${loaded.set.templates.length} / 1000 / ${mb(bytes)}`);
  figure('(a) plan, no changes: wall', secs(plan.ms));
  figure('(a) read + YAML.parse the same files, 1st / 2nd pass', `${secs(cold)} / ${secs(baselineMs)}`);
  figure('(a) ratio plan / parse 1st pass (target ≤ 3)', (plan.ms / cold).toFixed(2));
  figure('(a) ratio plan / parse 2nd pass', (plan.ms / baselineMs).toFixed(2));
  figure('(a) plan peak RSS (target ≤ 400 MB)', mb(plan.rssBytes));
}

async function applyBench() {
  const dir = join(work, 'apply');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sandbox = await startSandboxProcess(join(dir, 'sandbox'));
  const { info } = sandbox;
  try {
    await sandbox.setFaults({ latencyMs: 20 });
    writeBenchConfig(dir, info, 16);
    writeCampaigns(dir, { files: 100, perFile: 10 });
    const apply = await runCli(['apply', '--auto-approve'], { cwd: dir });
    if (apply.code !== 0) throw new Error(`apply failed (${apply.code}): ${apply.stderr.slice(0, 500)}`);
    const { templates } = await sandbox.get('/__sandbox/templates');
    const created = templates.map((t) => t.createdAt).sort((a, b) => a - b);
    const windowMs = created.at(-1) - created[0] + 20; // + one latency: the last create's own time
    const rate = (templates.length / windowMs) * 1000;
    const paused = templates.filter((t) => t.status === 'paused').length;
    figure(
      '(b) apply: templates created (100 paused after create)',
      `${templates.length} (${paused} paused)`,
    );
    figure('(b) apply: whole command wall', secs(apply.ms));
    figure('(b) creates/s while creating (sandbox clock)', rate.toFixed(0));
    figure('(b) ratio to ideal 16 / 0.020 s = 800/s (target ≥ 0.75)', (rate / 800).toFixed(2));
    figure('(b) apply peak RSS', mb(apply.rssBytes));
  } finally {
    await sandbox.stop();
  }
}

export default async function run() {
  await planBench();
  await applyBench();
}
