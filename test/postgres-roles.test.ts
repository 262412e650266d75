// The three database roles of docs/production.md, with exactly the GRANTs documented there: the
// owner creates the tables (`ipass state init`), the applier only reads and writes rows (apply,
// state migrate needs the owner), the reader only SELECTs (validate, plan, state list, history); doctor says
// which is which. Before the tables exist, the read commands say there is no state and create
// nothing. Roles are created here and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliResult, runCli } from './helpers/cli.js';
import { describePostgres, sql, TEST_DATABASE_URL } from './helpers/postgres.js';
import { tempDir, writeCampaign, writeConfig } from './helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from './helpers/sandbox-process.js';

const tag = randomBytes(4).toString('hex');
const schema = `ipass_roles_${tag}`;
const role = { owner: `ipass_owner_${tag}`, applier: `ipass_apply_${tag}`, reader: `ipass_read_${tag}` };
type Role = keyof typeof role;

/** The GRANTs of docs/production.md ("Database roles"), for this test's names. */
function grants(): string[] {
  const { owner, applier, reader } = role;
  const db = new URL(TEST_DATABASE_URL).pathname.slice(1);
  return [
    `CREATE ROLE ${owner} LOGIN`,
    `CREATE ROLE ${applier} LOGIN`,
    `CREATE ROLE ${reader} LOGIN`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${owner}`,
    `GRANT CONNECT ON DATABASE ${db} TO ${applier}, ${reader}`,
    `CREATE SCHEMA ${schema} AUTHORIZATION ${owner}`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${applier}, ${reader}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${applier}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${applier}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${reader}`,
  ];
}

await describePostgres('state database roles: owner, applier, reader', () => {
  const dir = tempDir('pg-roles');
  let sandbox: SandboxProcess;

  const urlOf = (r: Role): string => {
    const url = new URL(TEST_DATABASE_URL);
    url.username = role[r];
    url.password = '';
    return url.toString();
  };
  const as = (r: Role, args: string[]): Promise<CliResult> =>
    runCli(args, { cwd: dir, env: { IPASS_STATE_URL: urlOf(r) } });
  const tables = async (): Promise<number> =>
    Number(
      (await sql<{ n: string }>('SELECT count(*) AS n FROM pg_tables WHERE schemaname = $1', [schema]))[0]?.n,
    );

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info, {
      extra: [
        '    state:',
        '      backend: postgres',
        '      url: env:IPASS_STATE_URL',
        `      schema: ${schema}`,
      ].join('\n'),
    });
    writeCampaign(dir, 'roles', { a: { stock: 10 }, b: { stock: 20 } });
    for (const statement of grants()) await sql(statement);
  });
  afterAll(async () => {
    await sandbox?.stop();
    await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const r of Object.values(role)) {
      await sql(`DROP OWNED BY ${r}`).catch(() => undefined);
      await sql(`DROP ROLE IF EXISTS ${r}`);
    }
  });

  it('before the tables exist: validate, plan, state list and history say there is no state and create nothing', async () => {
    for (const r of ['reader', 'applier'] as const) {
      const [validate, plan, list, history] = await Promise.all([
        as(r, ['validate', '-e', 'dev']),
        as(r, ['plan', '-e', 'dev']),
        as(r, ['state', 'list', '-e', 'dev']),
        as(r, ['history', '-e', 'dev']),
      ]);
      expect(history.code, history.stderr).toBe(0);
      expect(history.stdout).toContain('No runs yet');
      expect(validate.code, validate.stderr).toBe(0);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('(no state yet)');
      expect(list.stdout).toContain('There is no state of dev yet');
    }
    expect(await tables()).toBe(0);
  });

  it('the applier and the reader cannot create the tables; the owner does, with state init', async () => {
    const [applier, reader] = await Promise.all([
      as('applier', ['apply', '-e', 'dev', '--auto-approve']),
      as('reader', ['state', 'init', '-e', 'dev']),
    ]);
    for (const r of [applier, reader]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('STATE_DB_PERMISSION');
      expect(r.stderr).toContain('ipass state init');
    }
    expect(await tables()).toBe(0);
    const init = await as('owner', ['state', 'init', '-e', 'dev']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/were created \(version \d+\)/);
    const again = await as('owner', ['state', 'init', '-e', 'dev']);
    expect(again.stdout).toContain('already at version');
  });

  it('the applier applies; the reader plans and lists but may not apply', async () => {
    const apply = await as('applier', ['apply', '-e', 'dev', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(0);
    const [plan, list, validate, history] = await Promise.all([
      as('reader', ['plan', '-e', 'dev', '--detailed-exitcode']),
      as('reader', ['state', 'list', '-e', 'dev']),
      as('reader', ['validate', '-e', 'dev']),
      as('reader', ['history', '-e', 'dev', '--format', 'json']),
    ]);
    expect(history.code, history.stderr).toBe(0);
    const [run] = JSON.parse(history.stdout).runs;
    expect(run).toMatchObject({ command: 'apply', outcome: 'succeeded', counts: { created: 2 } });
    const shown = await as('reader', ['history', 'show', run.id, '-e', 'dev']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('roles/a');
    expect(plan.code, plan.stderr).toBe(0);
    expect(list.stdout).toContain('roles/a');
    expect(validate.code, validate.stderr).toBe(0);
    writeCampaign(dir, 'roles', { a: { stock: 11 }, b: { stock: 20 } });
    const refused = await as('reader', ['apply', '-e', 'dev', '--auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('STATE_DB_PERMISSION');
    const again = await as('applier', ['apply', '-e', 'dev', '--auto-approve']);
    expect(again.code, again.stderr).toBe(0);
  });

  it('doctor says what each role is fit for: owner and applier pass, the reader cannot write', async () => {
    const state = (r: CliResult) =>
      (JSON.parse(r.stdout) as { checks: { name: string; status: string; detail: string }[] }).checks.find(
        (c) => c.name === 'state',
      );
    const [owner, applier, reader] = await Promise.all([
      as('owner', ['doctor', '-e', 'dev', '--format', 'json']),
      as('applier', ['doctor', '-e', 'dev', '--format', 'json']),
      as('reader', ['doctor', '-e', 'dev', '--format', 'json']),
    ]);
    expect(owner.code, owner.stdout).toBe(0);
    expect(state(owner)?.detail).toContain('the role may read, write, create');
    expect(applier.code, applier.stdout).toBe(0);
    expect(state(applier)?.detail).toMatch(/the role may read, write$/);
    expect(reader.code).toBe(1);
    expect(state(reader)).toMatchObject({ status: 'fail' });
    expect(state(reader)?.detail).toContain('cannot write rows');
  });
});
