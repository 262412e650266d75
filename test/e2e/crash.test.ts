// No duplicates after a crash: kill -9 a real `ipass apply` process at many points while requests
// are in flight (sandbox latency; then the commit-then-drop fault), run apply again until it is
// done, and check through the sandbox's inspection route that every address has exactly one live
// template, and that the state parses and agrees with the sandbox.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseState } from '../../src/state/state-format.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

const TEMPLATES = 24;
const RUNS = 12;

function desired(round: number): Record<string, TemplateSpec> {
  const out: Record<string, TemplateSpec> = {};
  for (let i = 0; i < TEMPLATES; i++) {
    // Later rounds also edit text and stock, so updates and budget changes are killed mid-way too.
    const edited = round >= 4 && i % 2 === 0;
    out[`t${String(i).padStart(2, '0')}`] = {
      name: `Crash ${i}${edited ? ` r${round}` : ''}`,
      stock: 100 + (edited ? round : 0),
    };
  }
  return out;
}

/** Start an apply and SIGKILL it once `completions` changes were reported done (plus a little). */
async function killDuringApply(
  dir: string,
  completions: number,
  extraMs: number,
): Promise<{ killed: boolean; resumed: boolean }> {
  const { child, done } = spawnCli(['apply', '--auto-approve'], { cwd: dir });
  let seen = 0;
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    setTimeout(() => child.kill('SIGKILL'), extraMs);
  };
  child.stdout?.on('data', (d: Buffer) => {
    seen += (d.toString().match(/✓/g) ?? []).length;
    if (seen >= completions) kill();
  });
  if (completions === 0) kill();
  // If the run finishes before the kill point, that is fine too: the next rounds kill elsewhere.
  const r = await done;
  return { killed: r.signal === 'SIGKILL', resumed: /Re-sending \d+ request/.test(r.stdout) };
}

async function applyUntilDone(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await runCli(['apply', '--auto-approve'], { cwd: dir });
    if (r.code === 0) return;
  }
  throw new Error('apply did not finish after 5 attempts');
}

async function checkExactlyOnce(dir: string, sandbox: SandboxProcess, round: number): Promise<void> {
  const live = (await sandboxTemplates(sandbox)).filter((t) => t.status !== 'closed');
  const state = parseState(readFileSync(join(dir, '.ipass', 'dev.state.json'), 'utf8'));
  expect(state.ok).toBe(true);
  if (!state.ok) return;
  const want = desired(round);
  // On failure, say which templates the state does not know (and the request that made each).
  const known = new Set(Object.values(state.state.templates).map((t) => t?.templateCode));
  const unknown = live
    .filter((t) => !known.has(t.templateCode))
    .map((t) => `${t.templateCode} requestId=${t.requestId} ${JSON.stringify(t.content).slice(0, 120)}`);
  expect(live, `live templates the state does not know:\n${unknown.join('\n')}`).toHaveLength(TEMPLATES);
  for (const [key, spec] of Object.entries(want)) {
    const entry = state.state.templates[`crash/${key}`];
    const matching = live.filter((t) => JSON.stringify(t.content).includes(`"${spec.name}"`));
    expect(matching, `live templates named ${spec.name}`).toHaveLength(1);
    expect(entry?.templateCode).toBe(matching[0]?.templateCode);
    expect(matching[0]?.stock).toBe(spec.stock);
  }
  expect(state.state.pending).toEqual([]);
  const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir });
  expect(plan.code, plan.stdout + plan.stderr).toBe(0);
}

describe.each([
  // 100 ms: the later rounds have 12 changes (three waves of 4), so even the latest kill point
  // (5 done, which ends the second wave, +47 ms) lands before the third wave is answered.
  { name: 'requests in flight (latency)', faults: { latencyMs: 100, seed: 1 } },
  { name: 'commit-then-drop', faults: { latencyMs: 20, dropAfterCommitRate: 0.25, seed: 2 } },
])('kill -9 during apply: $name', ({ faults }) => {
  const dir = tempDir('crash');
  let sandbox: SandboxProcess;

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    await sandbox.setFaults(faults);
    // Few requests at a time, so each apply lasts long enough to be killed mid-way.
    // Enough retries that apply's first reads (detail of every template) get through the dropped answers.
    writeConfig(dir, sandbox.info, { concurrency: 4, maxRetries: 5 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it(`leaves exactly one live template per address after ${RUNS} killed runs`, async () => {
    let killed = 0;
    let resumed = 0;
    for (let run = 0; run < RUNS; run++) {
      writeCampaign(dir, 'crash', desired(run));
      const r = await killDuringApply(dir, run % 6, (run * 37) % 90);
      if (r.killed) killed++;
      if (r.resumed) resumed++;
    }
    // The kills must really land mid-apply, and in-doubt requests must really be re-sent.
    expect(killed, `runs killed mid-apply (of ${RUNS})`).toBeGreaterThanOrEqual(RUNS - 2);
    expect(resumed, 'runs that re-sent requests left in doubt').toBeGreaterThan(0);
    writeCampaign(dir, 'crash', desired(RUNS - 1));
    await applyUntilDone(dir);
    await checkExactlyOnce(dir, sandbox, RUNS - 1);
  });
});
