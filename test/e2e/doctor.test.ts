// `ipass doctor` through the built CLI against a standalone sandbox and the real PostgreSQL: green
// with good keys, a reachable database and the API answering a signed read; red (exit 1, the check
// named) for a wrong port, a bad or short key, a key that does not match `publicKey`, and a
// read-only database role. No secret (key text, password) is ever printed.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { describePostgres, dropSchema, freshSchema, sql, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { sandboxKeyLines, tempDir } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

function withPort(url: string, port: string): string {
  const u = new URL(url);
  u.port = port;
  return u.toString();
}

interface Report {
  ok: boolean;
  checks: { name: string; status: string; detail: string; code?: string }[];
}

await describePostgres('ipass doctor', () => {
  const dir = tempDir('doctor');
  const schema = freshSchema('ipass_doctor');
  const reader = `ipass_doctor_ro_${randomBytes(4).toString('hex')}`;
  let sandbox: SandboxProcess;
  let keyLines: string[];

  /** A config file `name` for the sandbox, with `over` replacing lines that start the same way. */
  function config(name: string, over: Record<string, string> = {}): string {
    const lines: Record<string, string> = {
      endpoint: `    endpoint: ${sandbox.info.url}`,
      clientId: `    clientId: ${sandbox.info.clientId}`,
      merchantId: `    merchantId: "${sandbox.info.merchantId}"`,
      privateKey: keyLines[0] ?? '',
      alipayPublicKey: keyLines[1] ?? '',
      timeoutMs: '    timeoutMs: 2000',
      maxRetries: '    maxRetries: 0',
      state: `    state: { backend: postgres, url: env:IPASS_STATE_URL, schema: ${schema} }`,
      ...over,
    };
    const text = [
      'campaigns: campaigns',
      'defaultEnvironment: dev',
      'environments:',
      '  dev:',
      ...Object.values(lines),
    ];
    writeFileSync(join(dir, name), `${text.join('\n')}\n`);
    return name;
  }
  const doctor = (file: string, url = TEST_DATABASE_URL): Promise<CliResult> =>
    runCli(['doctor', '-c', file, '--format', 'json'], { cwd: dir, env: { IPASS_STATE_URL: url } });
  const report = (r: CliResult): Report => JSON.parse(r.stdout) as Report;
  const status = (r: CliResult, check: string) => report(r).checks.find((c) => c.name === check);

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    keyLines = sandboxKeyLines(dir, sandbox.info);
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 });
    writeFileSync(join(dir, 'keys', 'short.pem'), short.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(
      join(dir, 'keys', 'other-public.pem'),
      other.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    writeFileSync(
      join(dir, 'keys', 'garbage.pem'),
      '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n',
    );
  });
  afterAll(async () => {
    await sandbox?.stop();
    await dropSchema(schema);
    await sql(`DROP OWNED BY ${reader}`).catch(() => undefined);
    await sql(`DROP ROLE IF EXISTS ${reader}`);
  });

  it('is green with good keys, a reachable database and the API answering; it creates nothing', async () => {
    const r = await doctor(config('good.yaml'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(report(r).checks.map((c) => [c.name, c.status])).toEqual([
      ['config', 'ok'],
      ['private key', 'ok'],
      ['AlipayHK key', 'ok'],
      ['state', 'ok'],
      ['API', 'ok'],
    ]);
    expect(status(r, 'private key')?.detail).toContain('RSA 2048 bits');
    expect(status(r, 'state')?.detail).toContain('no tables yet');
    expect(status(r, 'API')?.detail).toContain('verified');
    expect(await sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toEqual([]);
    const text = await runCli(['doctor', '-c', 'good.yaml'], {
      cwd: dir,
      env: { IPASS_STATE_URL: TEST_DATABASE_URL },
    });
    expect(text.stdout).toMatch(/^ok {4}API/m);
    expect(text.stdout).toContain('All checks passed.');
  });

  it('is red for a wrong port: the API, and the database', async () => {
    const [api, db] = await Promise.all([
      doctor(config('bad-port.yaml', { endpoint: '    endpoint: http://127.0.0.1:9' })),
      doctor('good.yaml', withPort(TEST_DATABASE_URL, '9')),
    ]);
    expect(api.code).toBe(1);
    expect(status(api, 'API')).toMatchObject({ status: 'fail' });
    expect(status(api, 'state')?.status).toBe('ok');
    expect(db.code).toBe(1);
    expect(status(db, 'state')).toMatchObject({ status: 'fail', code: 'STATE_DB_UNREACHABLE' });
  });

  it('is red for a bad key, a short key, and a key that is not the pair of publicKey; never prints a key', async () => {
    const [garbage, short, mismatch] = await Promise.all([
      doctor(config('garbage.yaml', { privateKey: '    privateKey: file:keys/garbage.pem' })),
      doctor(config('short.yaml', { privateKey: '    privateKey: file:keys/short.pem' })),
      doctor(config('mismatch.yaml', { publicKey: '    publicKey: file:keys/other-public.pem' })),
    ]);
    for (const r of [garbage, short, mismatch]) {
      expect(r.code).toBe(1);
      expect(status(r, 'private key')).toMatchObject({ status: 'fail', code: 'CONFIG_BAD_PRIVATE_KEY' });
      expect(r.stdout + r.stderr).not.toMatch(/BEGIN|bm90IGEga2V5/);
    }
    expect(status(short, 'private key')?.detail).toContain('RSA 1024 bits, fewer than 2048');
    expect(status(mismatch, 'private key')?.detail).toContain('does not match');
    expect(status(garbage, 'API')?.status).toBe('skip');
  });

  it('is red for a read-only role: it can read the tables, not write them', async () => {
    const init = await runCli(['state', 'init', '-c', 'good.yaml'], {
      cwd: dir,
      env: { IPASS_STATE_URL: TEST_DATABASE_URL },
    });
    expect(init.code, init.stderr).toBe(0);
    await sql(`CREATE ROLE ${reader} LOGIN`);
    await sql(`GRANT USAGE ON SCHEMA ${schema} TO ${reader}`);
    await sql(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${reader}`);
    const url = new URL(TEST_DATABASE_URL);
    url.username = reader;
    url.password = 'do-not-print-me';
    const r = await doctor('good.yaml', url.toString());
    expect(r.code).toBe(1);
    expect(status(r, 'state')).toMatchObject({ status: 'fail', code: 'STATE_DB_PERMISSION' });
    expect(status(r, 'state')?.detail).toContain('cannot write rows');
    expect(r.stdout + r.stderr).not.toContain('do-not-print-me');
  });
});
