// Lock control through the built CLI, on files and on PostgreSQL: an apply paused with SIGSTOP
// mid-way is shown by `state lock` as alive with its lock id (exit 3); a second apply exits 3 naming
// that id; a wrong id releases nothing; `state unlock --force ID` ends the holder's session
// (postgres) or removes its lock (files, with --even-if-alive as the holder still runs); the next
// apply finishes; the paused holder, resumed, stops at its next write and changes nothing; no
// template or pass exists twice. On postgres, a role without pg_signal_backend is told what to grant.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveBizSerialId } from '../../src/passes/index.js';
import { type CliResult, runCli, spawnCli } from '../helpers/cli.js';
import { describePostgres, dropSchema, freshSchema, sql, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

const HOLD_LOCK = fileURLToPath(new URL('../helpers/hold-lock.mjs', import.meta.url));
const TEMPLATES = 6;
const RECIPIENTS = 40;
const userId = (i: number): string => String(2_160_000_000_000_000 + i);

interface LockJson {
  state: string;
  lockId: string | null;
  holder: { pid: number; host: string; command: string; since: string } | null;
  alive: boolean | null;
}

function scenario(kind: 'file' | 'postgres'): void {
  const dir = tempDir(`locks-${kind}`);
  const schema = freshSchema('ipass_locks');
  const env = { IPASS_STATE_URL: TEST_DATABASE_URL };
  const campaign = `locks${kind === 'file' ? 'f' : 'p'}`;
  let sandbox: SandboxProcess;
  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
    runCli(args, { cwd: dir, env: { ...env, ...extraEnv } });
  const templates = (): Record<string, TemplateSpec> =>
    Object.fromEntries(
      Array.from({ length: TEMPLATES }, (_, i) => [`t${i}`, { name: `Locks ${kind} ${i}`, stock: 500 }]),
    );

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    const state =
      kind === 'postgres'
        ? ['state:', '  backend: postgres', '  url: env:IPASS_STATE_URL', `  schema: ${schema}`].join('\n')
        : '';
    writeConfig(dir, sandbox.info, { concurrency: 1, extra: state });
    writeCampaign(
      dir,
      campaign,
      templates(),
      [
        'passes:',
        '  gift:',
        '    template: t0',
        '    recipients: recipients/gift.csv',
        '    codeInfo: { $codemsg$: "GIFT-{{userId}}", $codevalue$: "GIFT-{{userId}}" }',
        '',
      ].join('\n'),
    );
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => userId(i));
    writeFileSync(join(dir, 'campaigns', 'recipients', 'gift.csv'), `userId\n${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    await sandbox?.stop();
    if (kind === 'postgres') await dropSchema(schema);
  });

  async function lockJson(): Promise<{ code: number | null; json: LockJson }> {
    const r = await cli(['state', 'lock', '--format', 'json']);
    return { code: r.code, json: JSON.parse(r.stdout) as LockJson };
  }

  async function checkExactlyOnce(): Promise<void> {
    const live = (await sandboxTemplates(sandbox)).filter(
      (t) => t.status !== 'closed' && JSON.stringify(t.content).includes(`Locks ${kind} `),
    );
    expect(live, 'one live template per address').toHaveLength(TEMPLATES);
    const list = await cli(['state', 'list', '--format', 'json']);
    const rows = JSON.parse(list.stdout) as { address: string; templateCode?: string }[];
    for (const [key, spec] of Object.entries(templates())) {
      const named = live.filter((t) => JSON.stringify(t.content).includes(`"${spec.name}"`));
      expect(named, `templates named ${spec.name}`).toHaveLength(1);
      expect(rows.find((r) => r.address === `${campaign}/${key}`)?.templateCode).toBe(named[0]?.templateCode);
    }
    const code = rows.find((r) => r.address === `${campaign}/t0`)?.templateCode;
    const { passes } = await sandbox.get<{ passes: { bizSerialId: string }[] }>(
      `/__sandbox/passes?templateCode=${code}`,
    );
    expect(passes, 'one pass per recipient').toHaveLength(RECIPIENTS);
    expect(new Set(passes.map((p) => p.bizSerialId))).toEqual(
      new Set(
        Array.from({ length: RECIPIENTS }, (_, i) =>
          deriveBizSerialId(`${campaign}/gift`, { userId: userId(i) }),
        ),
      ),
    );
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  }

  it('is free before any apply: state lock exits 0 and creates nothing', async () => {
    const r = await cli(['state', 'lock']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('is free');
    if (kind === 'postgres') {
      const tables = await sql('SELECT 1 FROM pg_tables WHERE schemaname = $1', [schema]);
      expect(tables).toHaveLength(0);
    }
  });

  it('shows a paused apply as alive, refuses a second apply with exit 3, and unlocks only by the right id', async () => {
    // Slow answers, one request at a time: the apply is mid-way for seconds.
    await sandbox.setFaults({ latencyMs: 300 });
    const first = spawnCli(['apply', '--auto-approve'], { cwd: dir, env });
    let stdout = '';
    first.child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    let stderr = '';
    first.child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    while (!stdout.includes('✓') && first.child.exitCode === null) await sleep(20);
    expect(first.child.exitCode, `the apply ended before it was paused:\n${stdout}${stderr}`).toBeNull();
    first.child.kill('SIGSTOP');
    await sandbox.setFaults({});
    try {
      const text = await cli(['state', 'lock']);
      expect(text.code, text.stdout + text.stderr).toBe(3);
      expect(text.stdout).toMatch(/alive: +yes/);
      expect(text.stdout).toContain(`pid ${first.child.pid}`);
      const { code, json } = await lockJson();
      expect(code).toBe(3);
      expect(json).toMatchObject({ state: 'held', alive: true, holder: { pid: first.child.pid } });
      const id = json.lockId as string;
      expect(id).toMatch(/^[0-9a-f]{12}$/);
      expect(text.stdout).toContain(`ipass state unlock --force ${id}`);

      const second = await cli(['apply', '--auto-approve']);
      expect(second.code, second.stderr).toBe(3);
      expect(second.stderr).toContain('LOCK_HELD');
      expect(second.stderr).toContain(`lock id ${id}`);
      const waited = await cli(['apply', '--auto-approve', '--lock-timeout', '1s']);
      expect(waited.code, waited.stderr).toBe(3);
      expect(waited.stderr).toContain('LOCK_HELD');

      const noForce = await cli(['state', 'unlock', id]);
      expect(noForce.code).toBe(1);
      expect(noForce.stderr).toContain('UNLOCK_NEEDS_FORCE');
      const wrong = await cli(['state', 'unlock', '--force', '0123456789ab']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('UNLOCK_WRONG_ID');
      expect(wrong.stderr).toContain(`lock id ${id}`);
      expect((await lockJson()).json.lockId).toBe(id);

      if (kind === 'file') {
        const alive = await cli(['state', 'unlock', '--force', id]);
        expect(alive.code).toBe(1);
        expect(alive.stderr).toContain('UNLOCK_HOLDER_ALIVE');
        expect((await lockJson()).json.lockId).toBe(id);
      }
      const unlock = await cli([
        'state',
        'unlock',
        '--force',
        id,
        ...(kind === 'file' ? ['--even-if-alive'] : []),
      ]);
      expect(unlock.code, unlock.stderr).toBe(0);
      expect(unlock.stdout).toContain(kind === 'file' ? 'removed the lock file' : 'ended database session');
      const after = await cli(['state', 'lock']);
      expect(after.code, after.stdout).toBe(0);
      // The unlock is a run in the history, naming the holding it released.
      const history = await cli(['history', '--format', 'json']);
      expect(history.code, history.stderr).toBe(0);
      const runs = JSON.parse(history.stdout).runs as { command: string; outcome: string }[];
      expect(runs[0]?.command).toContain(`state unlock --force ${id} (pid `);
      expect(runs[0]?.outcome).toBe('succeeded');

      const next = await cli(['apply', '--auto-approve']);
      expect(next.code, next.stdout + next.stderr).toBe(0);
      await checkExactlyOnce();
    } finally {
      // The paused holder goes on: it must stop at its next write and change nothing.
      first.child.kill('SIGCONT');
    }
    const resumed = await first.done;
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(1);
    expect(resumed.stderr).toContain(kind === 'file' ? 'LOCK_LOST' : 'STATE_DB_LOST');
    expect(resumed.stderr).not.toContain('internal error');
    expect((await cli(['state', 'lock'])).code).toBe(0);
    await checkExactlyOnce();
    const again = await cli(['apply', '--auto-approve']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    await checkExactlyOnce();
  });

  if (kind === 'file') {
    it('prints a hostile holder escaped, with no line starting with its text', async () => {
      const lock = join(dir, '.ipass', 'dev.lock');
      mkdirSync(join(dir, '.ipass'), { recursive: true });
      const hostile = 'ipass apply\n::error::pwned\u001b[2J';
      writeFileSync(
        lock,
        JSON.stringify({
          pid: process.pid,
          host: hostname(),
          command: hostile,
          startedAt: '2027-01-01T00:00:00Z\n##[warning]x',
          token: '0f0f0f0f-1111-4222-8333-444455556666',
        }),
      );
      try {
        for (const args of [
          ['state', 'lock'],
          ['state', 'lock', '--format', 'json'],
          ['apply', '--auto-approve'],
        ]) {
          const r = await cli(args);
          expect(r.code, args.join(' ')).toBe(3);
          for (const line of `${r.stdout}${r.stderr}`.split('\n')) {
            expect(line.trimStart().startsWith('::'), line).toBe(false);
            expect(line).not.toContain('##[');
            expect(line).not.toContain('\u001b');
          }
        }
        const json = JSON.parse((await cli(['state', 'lock', '--format', 'json'])).stdout) as LockJson;
        expect(json.holder?.command).toBe(hostile);
        expect(json.lockId).toBe('0f0f0f0f1111');
      } finally {
        unlinkSync(lock);
      }
    });
  }

  if (kind === 'postgres') {
    it('shows the lock to a reader, tells a role without pg_signal_backend what to grant, and releases nothing until then', async () => {
      const tag = randomBytes(4).toString('hex');
      const holderRole = `ipass_lockholder_${tag}`;
      const unlocker = `ipass_unlocker_${tag}`;
      const urlOf = (role: string): string => {
        const url = new URL(TEST_DATABASE_URL);
        url.username = role;
        url.password = '';
        return url.toString();
      };
      let child: ChildProcess | undefined;
      try {
        const init = await cli(['state', 'init']);
        expect(init.code, init.stderr).toBe(0);
        // The holder applies (rows only); the one who unlocks is a reader (SELECT only).
        for (const role of [holderRole, unlocker]) {
          await sql(`CREATE ROLE ${role} LOGIN`);
          await sql(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
        }
        await sql(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${holderRole}`);
        await sql(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${holderRole}`);
        await sql(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${unlocker}`);
        child = spawn(process.execPath, [HOLD_LOCK, 'postgres', urlOf(holderRole), schema, 'dev'], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        await new Promise<void>((resolve, reject) => {
          child?.stdout?.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
          child?.on('exit', (code) => reject(new Error(`hold-lock exited with ${code}`)));
        });
        const asUnlocker = { IPASS_STATE_URL: urlOf(unlocker) };
        const seen = await cli(['state', 'lock', '--format', 'json'], asUnlocker);
        expect(seen.code, seen.stderr).toBe(3);
        const id = (JSON.parse(seen.stdout) as LockJson).lockId as string;
        const refused = await cli(['state', 'unlock', '--force', id], asUnlocker);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('UNLOCK_NOT_PERMITTED');
        expect(refused.stderr).toContain(`GRANT pg_signal_backend TO "${unlocker}"`);
        expect((await cli(['state', 'lock'], asUnlocker)).code).toBe(3);
        await sql(`GRANT pg_signal_backend TO ${unlocker}`);
        const done = await cli(['state', 'unlock', '--force', id], asUnlocker);
        expect(done.code, done.stderr).toBe(0);
        expect(done.stdout).toContain('ended database session');
        // A reader may not delete the row: it stays, stale, and the next run takes it over.
        expect(done.stdout).not.toContain('removed the row');
        const after = await cli(['state', 'lock', '--format', 'json'], asUnlocker);
        expect(after.code, after.stderr).toBe(0);
        expect(JSON.parse(after.stdout)).toMatchObject({ state: 'stale', alive: false, lockId: id });
        const next = await cli(['apply', '--auto-approve']);
        expect(next.code, next.stdout + next.stderr).toBe(0);
        expect(next.stderr).toContain('took over the lock left by');
      } finally {
        child?.kill('SIGKILL');
        for (const role of [holderRole, unlocker]) {
          await sql(`DROP OWNED BY ${role}`).catch(() => undefined);
          await sql(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
        }
      }
    });
  }
}

describe('lock control (files)', () => scenario('file'));
await describePostgres('lock control (postgres)', () => scenario('postgres'));
