// Adopting templates made outside ipass, through the built CLI against a standalone sandbox playing
// the merchant console: import generate → validate → plan (imports only) → apply (only `detail`) →
// plan clean; a hand-written import that differs; unknown and foreign codes; a code adopted twice;
// kill -9 during an import of 50 templates.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseState } from '../../src/state/state-format.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { consoleTemplate, consoleVariety } from '../helpers/console-templates.js';
import { tempDir, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

type Stats = { requests: Record<string, number> };

let sandbox: SandboxProcess;
let root: string;

beforeAll(async () => {
  root = tempDir('import');
  sandbox = await startSandboxProcess(join(root, 'sb'), root);
});
afterAll(async () => {
  await sandbox.stop();
});

function project(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeConfig(dir, sandbox.info, { concurrency: 4 });
  return dir;
}

/**
 * Make templates "in the console" (its route, as `ipass sandbox template create` does: that command
 * has its own test); their codes, in order.
 */
async function made(_dir: string, templates: Record<string, unknown>[]): Promise<string[]> {
  const ms = (v: unknown): unknown => (typeof v === 'string' ? Date.parse(v) : v);
  const body = templates.map((t) => ({ ...t, startDate: ms(t.startDate), endDate: ms(t.endDate) }));
  const res = await request(`${sandbox.info.url}/__sandbox/console/templates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ templates: body }),
  });
  const answer = (await res.body.json()) as { templates: { templateCode: string }[] };
  expect(res.statusCode).toBe(200);
  return answer.templates.map((t) => t.templateCode);
}

const stats = (): Promise<Stats> => sandbox.get<Stats>('/__sandbox/stats');
const changing = (s: Stats): number =>
  ['createTemplate', 'updateTemplate', 'switchStatus', 'updateBudget'].reduce(
    (n, e) => n + (s.requests[e] ?? 0),
    0,
  );

describe('ipass import generate, then plan and apply', () => {
  it('round-trips every kind of template exactly: imports only, only detail sent, then a clean plan', async () => {
    const dir = project('round-trip');
    const codes = await made(dir, [
      ...consoleVariety(),
      consoleTemplate(20, { status: 'paused' }),
      consoleTemplate(21, { status: 'closed' }),
      consoleTemplate(22, { status: 'frozen' }),
      consoleTemplate(23, {
        startDate: '2025-01-01T00:00:00.250+08:00',
        endDate: '2025-06-01T00:00:00+08:00',
      }),
    ]);
    writeFileSync(join(dir, 'codes.txt'), `# from the console\n${codes.join('\n')}\n`);
    const gen = await runCli(['import', 'generate', '--from-file', 'codes.txt', '--campaign', 'console'], {
      cwd: dir,
    });
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    const text = readFileSync(join(dir, 'campaigns', 'console.yaml'), 'utf8');
    expect(text).toContain('defaults:');
    expect(text).toContain('# status: expired at AlipayHK');

    const valid = await runCli(['validate'], { cwd: dir });
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    // apply plans with the API's view (as `plan --refresh` does) and prints that plan first.
    const before = await stats();
    const apply = await runCli(['apply', '--auto-approve'], { cwd: dir });
    // Only the note that outside git no rollback check is possible.
    expect(apply.stderr.trim().split('\n')).toEqual([expect.stringContaining('not in a git repository')]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain(`Plan: ${codes.length} to import.`);
    expect(apply.stdout.match(/^ {2}<= console\//gm)).toHaveLength(codes.length);
    expect(apply.stdout).not.toContain('updated right after the import');
    expect(apply.stdout).toContain(`${codes.length} imported`);
    const after = await stats();
    expect(changing(after)).toBe(changing(before));
    expect((after.requests.detail ?? 0) - (before.requests.detail ?? 0)).toBeGreaterThanOrEqual(codes.length);

    for (const args of [
      ['plan', '--refresh', '--detailed-exitcode'],
      ['plan', '--detailed-exitcode'],
    ]) {
      const again = await runCli(args, { cwd: dir });
      expect(again.stdout).toContain('Plan: no changes.');
      expect(again.code).toBe(0);
    }
    const list = await runCli(['state', 'list'], { cwd: dir });
    expect(list.stdout.match(/\(imported\)/g)).toHaveLength(codes.length);
    const again = await runCli(['import', 'generate', codes[0] ?? '', '--campaign', 'console'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('IMPORT_GENERATE_EXISTS');
    expect(readFileSync(join(dir, 'campaigns', 'console.yaml'), 'utf8')).toBe(text);
  }, 120_000);

  it('a hand-written import that differs: --refresh shows the update; a plan made without it imports only', async () => {
    const dir = project('differs');
    const [code = '', other = ''] = await made(dir, [consoleTemplate(60), consoleTemplate(61)]);
    await runCli(['import', 'generate', code, '--campaign', 'legacy'], { cwd: dir });
    // The second one's file waits outside the campaigns folder until the end.
    await runCli(
      ['import', 'generate', other, '--campaign', 'legacy-two', '--out', 'later/legacy-two.yaml'],
      {
        cwd: dir,
      },
    );
    const file = join(dir, 'campaigns', 'legacy.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: Console card 60', 'name: Renamed card'));

    const refreshed = await runCli(['plan', '--refresh'], { cwd: dir });
    expect(refreshed.stdout).toContain('<= legacy/console-card-60');
    expect(refreshed.stdout).toContain('localeInfo.en_US.name: "Console card 60" → "Renamed card"');

    const saved = await runCli(['plan', '--out', 'plan.json'], { cwd: dir });
    expect(saved.stdout).toContain('compared with the files at apply');
    const apply = await runCli(['apply', 'plan.json'], { cwd: dir });
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('legacy/console-card-60 was imported as AlipayHK has it');
    expect(apply.stdout).toContain(
      'localeInfo.en_US.name: files say "Renamed card", AlipayHK has "Console card 60"',
    );
    const live = await sandbox.get<{ content: { localeInfo: { en_US: { name: string } } } }>(
      `/__sandbox/templates/${code}`,
    );
    expect(live.content.localeInfo.en_US.name).toBe('Console card 60');

    // A plan that shows the update carries it out: the pending one, and an import with its update.
    const two = join(dir, 'campaigns', 'legacy-two.yaml');
    writeFileSync(
      two,
      readFileSync(join(dir, 'later', 'legacy-two.yaml'), 'utf8').replace(
        'name: Console card 61',
        'name: Renamed too',
      ),
    );
    const next = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('~ legacy/console-card-60  update');
    expect(next.stdout).toContain('1 updated, 1 imported (1 updated right after).');
    expect(next.stdout).toMatch(
      /<= legacy-two\/console-card-61 {2}import \d+\n.*\n\s+content: differs from the files: updated right after the import/,
    );
    for (const [which, name] of [
      [code, 'Renamed card'],
      [other, 'Renamed too'],
    ]) {
      const t = await sandbox.get<{ content: { localeInfo: { en_US: { name: string } } } }>(
        `/__sandbox/templates/${which}`,
      );
      expect(t.content.localeInfo.en_US.name).toBe(name);
    }
  }, 90_000);

  it('names unknown codes, codes of another merchant, and a code adopted twice', async () => {
    const dir = project('errors');
    const [mine = '', foreign = ''] = await made(dir, [
      consoleTemplate(70),
      consoleTemplate(71, { merchantId: '2160999999999999' }),
    ]);
    const unknown = await runCli(['import', 'generate', mine, foreign, '82000000000000000000000000000099'], {
      cwd: dir,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('IMPORT_GENERATE_UNKNOWN');
    expect(unknown.stderr).toContain(foreign);
    expect(unknown.stderr).toContain('82000000000000000000000000000099');

    await runCli(['import', 'generate', mine, '--campaign', 'one'], { cwd: dir });
    const file = join(dir, 'campaigns', 'one.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `${text}  - { to: one/other, templateCode: "${mine}" }\n`);
    const twice = await runCli(['validate'], { cwd: dir });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('IMPORT_DUPLICATE');
    expect(twice.stderr).toContain(`Template ${mine} is imported twice: to one/console-card-70`);

    writeFileSync(file, text.replace(mine, foreign));
    const plan = await runCli(['plan', '--refresh'], { cwd: dir });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('IMPORT_UNKNOWN_CODE');
  }, 60_000);
});

describe('kill -9 during an import of 50 templates', () => {
  it('the next apply finishes, each template adopted once', async () => {
    const dir = project('crash');
    const codes = await made(
      dir,
      Array.from({ length: 50 }, (_, i) => consoleTemplate(100 + i)),
    );
    await runCli(['import', 'generate', ...codes, '--campaign', 'bulk'], { cwd: dir });
    await sandbox.setFaults({ latencyMs: 40 });
    try {
      const base = (await stats()).requests.detail ?? 0;
      const { child, done } = spawnCli(['apply', '--auto-approve', '--refresh=false'], { cwd: dir });
      for (let i = 0; i < 600; i++) {
        if (((await stats()).requests.detail ?? 0) - base >= 12) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
    } finally {
      await sandbox.setFaults({});
    }
    const before = await stats();
    const apply = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.stderr).not.toContain('error');
    expect(apply.code).toBe(0);
    expect(changing(await stats())).toBe(changing(before));
    const state = parseState(readFileSync(join(dir, '.ipass', 'dev.state.json'), 'utf8'));
    if (!state.ok) throw new Error(state.problem);
    const adopted = Object.values(state.state.templates).map((t) => t?.templateCode);
    expect(adopted).toHaveLength(50);
    expect(new Set(adopted)).toEqual(new Set(codes));
    expect(Object.values(state.state.templates).every((t) => t?.imported === true)).toBe(true);
    expect((await sandboxTemplates(sandbox)).filter((t) => codes.includes(t.templateCode))).toHaveLength(50);
    const clean = await runCli(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(clean.code).toBe(0);
  }, 120_000);
});
