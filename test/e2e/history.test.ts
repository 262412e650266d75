// Run history and the rollback guard, end to end: the built CLI in a real git repository against a
// standalone sandbox, with the state in files and in PostgreSQL. Three applies from three commits
// are listed newest first; an older commit is refused with nothing sent, then applied on purpose
// (--allow-rollback) and recorded as a rollback; a shallow clone is deepened, or refused with the
// fix; outside git the apply works and says it cannot check; state import and migrate are runs.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/state/run-record.js';
import { type BackendKind, fileKind, postgresKind } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';
import { describePostgres } from '../helpers/postgres.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    encoding: 'utf8',
  }).trim();
}

const short = (commit: string): string => commit.slice(0, 12);

function historySuite(kind: BackendKind): void {
  const place = kind.newPlace();
  const dir = tempDir(`history-${kind.name}`);
  let sandbox: SandboxProcess;
  const cli = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd, env });
  const commit = (templates: Record<string, TemplateSpec>, message: string): string => {
    writeCampaign(dir, 'promo', templates);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', message);
    return git(dir, 'rev-parse', 'HEAD');
  };
  const runs = async (cwd = dir): Promise<RunRecord[]> =>
    JSON.parse((await cli(cwd, ['history', '--format', 'json'])).stdout).runs;
  const requests = async (): Promise<number> => {
    const stats = await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats');
    return Object.values(stats.requests ?? {}).reduce((a, b) => a + b, 0);
  };
  const commits: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(tempDir('history-sandbox'), 'data'), dir);
    writeConfig(dir, sandbox.info);
    appendFileSync(join(dir, 'ipass.config.yaml'), `\n${kind.configLines(place).join('\n')}\n`);
    git(dir, 'init', '-q', '-b', 'main');
  });
  afterAll(async () => {
    await sandbox?.stop();
    await kind.cleanup();
  });

  it('lists three applies from three commits newest first, with commits, counts and each change', async () => {
    commits.push(commit({ a: { stock: 10 }, b: { stock: 20 } }, 'one'));
    expect((await cli(dir, ['apply', '--auto-approve'])).code).toBe(0);
    commits.push(commit({ a: { stock: 11 }, b: { stock: 20 } }, 'two'));
    expect((await cli(dir, ['apply', '--auto-approve'])).code).toBe(0);
    commits.push(commit({ a: { stock: 12 }, b: { stock: 20 } }, 'three'));
    // A hostile CI variable: it must not move the cursor or start a line of its own.
    const third = await cli(dir, ['apply', '--auto-approve'], {
      GITHUB_ACTOR: 'mallory\u001b[2J\n::error::forged',
    });
    expect(third.code, third.stderr).toBe(0);

    const text = await cli(dir, ['history']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^r-\d{8}-\d{6}-[0-9a-f]{6} /);
    expect(lines[0]).toContain(short(commits[2] ?? ''));
    expect(lines[0]).toContain('1 stock changed');
    expect(lines[0]).toContain('mallory\\x1b[2J\\n::error::forged');
    expect(lines[2]).toContain(short(commits[0] ?? ''));
    expect(lines[2]).toContain('2 created');

    const json = await runs();
    expect(json.map((r) => r.commit)).toEqual([...commits].reverse());
    expect(json.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(json.every((r) => r.dirty === false && /^[0-9a-f]{64}$/.test(r.planHash ?? ''))).toBe(true);
    expect((await cli(dir, ['history', '--limit', '1'])).stdout.trimEnd().split('\n')).toHaveLength(1);

    const first = json[2]?.id ?? '';
    const show = await cli(dir, ['history', 'show', first]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/promo\/a \(\d+\): create done/);
    expect(show.stdout).toMatch(/promo\/b \(\d+\): create done/);
    const shown: RunRecord = JSON.parse(
      (await cli(dir, ['history', 'show', first, '--format', 'json'])).stdout,
    );
    expect(shown.changes.map((c) => [c.address, c.action, c.outcome])).toEqual([
      ['promo/a', 'create', 'done'],
      ['promo/b', 'create', 'done'],
    ]);
    const unknown = await cli(dir, ['history', 'show', 'r-nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('HISTORY_RUN_UNKNOWN');
  });

  it('refuses an older commit with nothing sent, then applies it on purpose as a recorded rollback', async () => {
    const [, two, three] = commits as [string, string, string];
    git(dir, 'checkout', '-q', two);
    const before = await requests();
    const refused = await cli(dir, ['apply', '--auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('APPLY_OLDER_COMMIT');
    expect(refused.stderr).toContain(short(two));
    expect(refused.stderr).toContain(short(three));
    expect(refused.stderr).toContain('--allow-rollback');
    expect(await requests()).toBe(before);
    // A saved plan of the older commit is refused the same way.
    const planFile = join(tempDir('history-plan'), 'plan.json');
    expect((await cli(dir, ['plan', '--out', planFile])).code).toBe(0);
    const saved = await cli(dir, ['apply', planFile]);
    expect(saved.code).toBe(1);
    expect(saved.stderr).toContain('APPLY_OLDER_COMMIT');
    expect(await requests()).toBe(before);

    const rollback = await cli(dir, ['apply', '--auto-approve', '--allow-rollback']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain('1 stock changed');
    const [latest, failedSaved, failed] = await runs();
    expect(failedSaved).toMatchObject({ command: `apply ${planFile}`, error: 'APPLY_OLDER_COMMIT' });
    expect(latest).toMatchObject({ command: 'apply --allow-rollback', rollback: { from: three, to: two } });
    expect(failed).toMatchObject({ outcome: 'failed', error: 'APPLY_OLDER_COMMIT', changes: [] });
    expect((await cli(dir, ['history'])).stdout.split('\n')[0]).toContain(
      `rollback from ${short(three)} to ${short(two)}`,
    );
    git(dir, 'checkout', '-q', 'main');
  });

  it('deepens a shallow clone that lacks the last applied commit, or refuses with the fix', async () => {
    const [, two, three] = commits as [string, string, string];
    // The last applied commit is `two` (the rollback); a clone of depth 1 has only `three`.
    const clone = join(tempDir('history-clone'), 'repo');
    git(dir, 'clone', '-q', '--depth', '1', `file://${dir}`, clone);
    const deepened = await cli(clone, ['apply', '--auto-approve']);
    expect(deepened.code, deepened.stderr).toBe(0);
    expect(git(clone, 'cat-file', '-t', two)).toBe('commit');
    expect((await runs(clone))[0]).toMatchObject({ commit: three, outcome: 'succeeded' });

    // Now `three` is the last applied; a clone of a newer commit whose remote is gone cannot tell.
    commits.push(commit({ a: { stock: 13 }, b: { stock: 20 } }, 'four'));
    const cut = join(tempDir('history-cut'), 'repo');
    git(dir, 'clone', '-q', '--depth', '1', `file://${dir}`, cut);
    git(cut, 'remote', 'remove', 'origin');
    const before = await requests();
    const unknown = await cli(cut, ['apply', '--auto-approve']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('APPLY_COMMIT_UNKNOWN');
    expect(unknown.stderr).toContain('fetch-depth: 0');
    expect(await requests()).toBe(before);
  });
}

describe('run history and the rollback guard: file', () => historySuite(fileKind()));
await describePostgres('run history and the rollback guard: postgres', () => {
  historySuite(postgresKind());

  it("records state migrate as a run of the database it copied to, after the runs of the folder's history", async () => {
    const kind = postgresKind();
    const dir = tempDir('history-migrate');
    const sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    try {
      writeConfig(dir, sandbox.info);
      writeCampaign(dir, 'promo', { a: { stock: 10 } });
      expect((await runCli(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
      appendFileSync(join(dir, 'ipass.config.yaml'), `\n${kind.configLines(kind.newPlace()).join('\n')}\n`);
      const migrate = await runCli(['state', 'migrate', '--from-dir', '.ipass'], { cwd: dir });
      expect(migrate.code, migrate.stderr).toBe(0);
      // The folder's history comes along, older than the migration itself.
      const [run, applied] = JSON.parse(
        (await runCli(['history', '--format', 'json'], { cwd: dir })).stdout,
      ).runs;
      expect(run).toMatchObject({ command: 'state migrate --from-dir .ipass', outcome: 'succeeded' });
      expect(run.counts).toMatchObject({ templates: 1, runs: 1 });
      expect(applied).toMatchObject({ command: 'apply', outcome: 'succeeded', counts: { created: 1 } });
      const shown = await runCli(['history', 'show', applied.id, '--format', 'json'], { cwd: dir });
      expect(JSON.parse(shown.stdout).changes).toMatchObject([{ address: 'promo/a', action: 'create' }]);
    } finally {
      await sandbox.stop();
      await kind.cleanup();
    }
  });
});

describe('outside git', () => {
  const dir = tempDir('history-nogit');
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info);
    writeCampaign(dir, 'promo', { a: { stock: 10 } });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('applies, says once that it cannot check for a rollback, and records the run without a commit', async () => {
    const apply = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr.match(/not in a git repository/g)).toHaveLength(1);
    const history = await runCli(['history'], { cwd: dir });
    expect(history.stdout).toContain('no commit');
  });

  it('records state import as a run', async () => {
    const list = JSON.parse((await runCli(['state', 'list', '--format', 'json'], { cwd: dir })).stdout);
    const code = list[0].templateCode as string;
    expect((await runCli(['state', 'rm', 'promo/a'], { cwd: dir })).code).toBe(0);
    const imported = await runCli(['state', 'import', 'promo/a', code], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const [listed] = JSON.parse((await runCli(['history', '--format', 'json'], { cwd: dir })).stdout).runs;
    const run = JSON.parse(
      (await runCli(['history', 'show', listed.id, '--format', 'json'], { cwd: dir })).stdout,
    );
    expect(run).toMatchObject({
      command: `state import promo/a ${code}`,
      outcome: 'succeeded',
      counts: { imported: 1 },
      changes: [{ address: 'promo/a', action: 'import', templateCode: code, outcome: 'done' }],
    });
  });

  it('records an apply where only recipients failed as partial, with the failures by code', async () => {
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    writeFileSync(
      join(dir, 'campaigns', 'recipients', 'gift.csv'),
      'userId\n2160000000000001\n2160000000000002\n2999000000000001\n',
    );
    const passes = [
      'passes:',
      '  gift:',
      '    template: a',
      '    recipients: recipients/gift.csv',
      '    codeInfo: { $codemsg$: "GIFT", $codevalue$: "GIFT" }',
      '    dataInfo: { en_US: { $shopname$: Test shop } }',
    ].join('\n');
    writeCampaign(dir, 'promo', { a: { stock: 10 } }, passes);
    const apply = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.stderr).toContain('USER_NOT_EXIST');
    const [listed] = JSON.parse((await runCli(['history', '--format', 'json'], { cwd: dir })).stdout).runs;
    expect(listed).toMatchObject({ outcome: 'partial', counts: { passesIssued: 2, passesFailed: 1 } });
    const shown = await runCli(['history', 'show', listed.id], { cwd: dir });
    expect(shown.stdout).toContain('promo/gift: issue 2 issued');
    expect(shown.stdout).toContain('promo/gift: issue 1 failed USER_NOT_EXIST');
  });

  it('keeps the outcome of an apply whose run cannot be written, and says so', async () => {
    // The history's place is taken by a folder: appending to it fails (root ignores file modes).
    rmSync(join(dir, '.ipass', 'dev.history.jsonl'));
    mkdirSync(join(dir, '.ipass', 'dev.history.jsonl'));
    writeCampaign(dir, 'promo', { a: { stock: 11 } });
    const apply = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('1 stock changed');
    expect(apply.stderr).toContain('HISTORY_WRITE_FAILED');
    expect(apply.stderr).toContain('The outcome printed above stands');
  });
});

describe('the embedded sandbox', () => {
  it('is not guarded against rollback: switching branches on a laptop is none', async () => {
    const dir = tempDir('history-embedded');
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'one');
    const one = git(dir, 'rev-parse', 'HEAD');
    expect((await runCli(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const example = join(dir, 'campaigns', 'example.yaml');
    writeFileSync(example, readFileSync(example, 'utf8').replace(/stock: \d+/, 'stock: 4242'));
    git(dir, 'commit', '-q', '-am', 'two');
    const two = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(two.stdout).toContain('1 stock changed');
    git(dir, 'checkout', '-q', one);
    const older = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(older.code, older.stderr).toBe(0);
    expect(older.stderr).not.toContain('APPLY_OLDER_COMMIT');
    expect(older.stdout).toContain('1 stock changed');
    const runs = JSON.parse((await runCli(['history', '--format', 'json'], { cwd: dir })).stdout).runs;
    expect(runs[0]).toMatchObject({ commit: one });
  });
});
