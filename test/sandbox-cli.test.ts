// `ipass sandbox` through the built CLI, as a user runs it: the --json line is usable, SIGTERM/SIGINT
// end it with exit 0, a change answered just before kill -9 is there after a restart, errors are coded.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { passBody, templateBody } from '../src/sandbox/testing/harness.js';
import { SignedClient } from '../src/sandbox/testing/signed-client.js';
import { parsePrivateKey, parsePublicKey } from '../src/shared/keys.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'ipass.js');

interface Started {
  child: ChildProcessWithoutNullStreams;
  first: string;
  exit: Promise<number | null>;
  stdout: string[];
  stderr: () => string;
}

let cwd: string;
const running: ChildProcessWithoutNullStreams[] = [];

beforeAll(() => {
  if (existsSync(join(root, 'dist', 'cli', 'commands', 'sandbox.js'))) return;
  // `npm test` builds first; on a bare checkout build here (tsc emits even if other files have type errors).
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
      },
    );
  } catch {
    if (!existsSync(join(root, 'dist', 'cli', 'commands', 'sandbox.js')))
      throw new Error('could not build dist/');
  }
});
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'ipass-cli-sandbox-'));
});
afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(cwd, { recursive: true, force: true });
});

/** Start `ipass sandbox ARGS` and wait for its first stdout line (or its exit). */
function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, [bin, 'sandbox', ...args], {
    cwd,
    env: { ...process.env, ...env, NO_COLOR: '1', IPASS_SANDBOX_FAULTS: env.IPASS_SANDBOX_FAULTS ?? '' },
  });
  running.push(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stdout: string[] = [];
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve) => {
    lines.on('line', (line) => {
      stdout.push(line);
      if (stdout.length === 1) resolve({ child, first: line, exit, stdout, stderr: () => err });
    });
    exit.then(() => resolve({ child, first: '', exit, stdout, stderr: () => err }));
  });
}

function clientFrom(line: string): SignedClient {
  const facts = JSON.parse(line) as Record<string, string>;
  return new SignedClient({
    url: facts.url as string,
    clientId: facts.clientId as string,
    merchantId: facts.merchantId as string,
    privateKey: parsePrivateKey(readFileSync(facts.privateKeyPath as string, 'utf8')),
    sandboxPublicKey: parsePublicKey(readFileSync(facts.sandboxPublicKeyPath as string, 'utf8')),
  });
}

/** Template bodies that start in the future of the real clock the CLI's sandbox runs on. */
function liveTemplate(): Record<string, unknown> {
  const start = Date.now() + 86_400_000;
  return templateBody({ startDate: start, endDate: start + 30 * 86_400_000 });
}

describe('ipass sandbox', () => {
  it('--port 0 --json prints one usable JSON line and exits 0 on SIGTERM', async () => {
    const s = await start(['--port', '0', '--json', '--data', 'sbx']);
    const facts = JSON.parse(s.first);
    expect(facts).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      clientId: expect.stringMatching(/^SANDBOX_/),
      merchantId: expect.stringMatching(/^2160\d{12}$/),
      privateKeyPath: join(cwd, 'sbx', 'client-private.pem'),
      publicKeyPath: join(cwd, 'sbx', 'client-public.pem'),
      sandboxPublicKeyPath: join(cwd, 'sbx', 'sandbox-public.pem'),
    });
    const client = clientFrom(s.first);
    const reply = await client.call('createTemplate', liveTemplate());
    expect(reply.result?.resultCode).toBe('SUCCESS');
    expect(reply.verified).toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    expect(s.stdout).toHaveLength(1);
  });

  it('prints the URL, ids, key paths and a config snippet, and exits 0 on SIGINT', async () => {
    const s = await start(['--port', '0']);
    expect(s.first).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    while (!s.stdout.some((l) => l.includes('Ctrl-C'))) await new Promise((r) => setTimeout(r, 20));
    const text = s.stdout.join('\n');
    expect(text).toContain('environments:');
    expect(text).toContain('privateKey: file:.ipass/sandbox/client-private.pem');
    expect(text).toContain('alipayPublicKey: file:.ipass/sandbox/sandbox-public.pem');
    expect(text).toMatch(/merchantId: "2160\d{12}"/);
    s.child.kill('SIGINT');
    expect(await s.exit).toBe(0);
  });

  it('keeps a change answered right before kill -9, and the restart takes over the stale lock', async () => {
    const s = await start(['--port', '0', '--json', '--data', 'sbx']);
    const client = clientFrom(s.first);
    const templateCode = (await client.call('createTemplate', liveTemplate())).json.templateCode as string;
    const pass = { ...passBody(templateCode), startDate: Date.now(), endDate: Date.now() + 86_400_000 };
    const created = await client.call('createPass', pass);
    expect(created.result?.resultCode).toBe('SUCCESS');
    s.child.kill('SIGKILL');
    await s.exit;
    expect(existsSync(join(cwd, 'sbx', 'data', 'lock'))).toBe(true);

    const again = await start(['--port', '0', '--json', '--data', 'sbx']);
    const client2 = clientFrom(again.first);
    const detail = await client2.call('detail', { templateCode });
    expect(detail.json).toMatchObject({ status: 'valid', stock: 100, availableStock: 99 });
    expect((await client2.call('createPass', pass)).result?.resultCode).toBe('PASS_HAS_EXIST');
    const passes = await client2.inspect<{ count: number }>(`passes?templateCode=${templateCode}&count=1`);
    expect(passes.count).toBe(1);
    again.child.kill('SIGTERM');
    expect(await again.exit).toBe(0);
  });

  it('refuses a second sandbox on the same data folder (exit 1, SANDBOX_DATA_LOCKED)', async () => {
    const s = await start(['--port', '0', '--json', '--data', 'sbx']);
    const second = await start(['--port', '0', '--json', '--data', 'sbx']);
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toContain('SANDBOX_DATA_LOCKED');
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });

  it('refuses a port in use (exit 1, SANDBOX_LISTEN_FAILED)', async () => {
    const s = await start(['--port', '0', '--json', '--data', 'a']);
    const port = new URL(JSON.parse(s.first).url).port;
    const second = await start(['--port', port, '--json', '--data', 'b']);
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toContain('SANDBOX_LISTEN_FAILED');
    s.child.kill('SIGTERM');
    await s.exit;
  });

  it('takes faults from flags and from IPASS_SANDBOX_FAULTS', async () => {
    const s = await start(['--port', '0', '--json', '--data', 'a', '--unknown-rate', '1']);
    expect((await clientFrom(s.first).call('detail', { templateCode: '1' })).result?.resultCode).toBe(
      'UNKNOWN_EXCEPTION',
    );
    const env = { IPASS_SANDBOX_FAULTS: '{"script":[{"fault":"http500","times":1}]}' };
    const e = await start(['--port', '0', '--json', '--data', 'b'], env);
    expect((await clientFrom(e.first).call('detail', { templateCode: '1' })).statusCode).toBe(500);
    const bad = await start(['--port', '0', '--json', '--data', 'c', '--unknown-rate', 'lots']);
    expect(await bad.exit).toBe(1);
    expect(bad.stderr()).toContain('SANDBOX_FAULTS_INVALID');
    s.child.kill('SIGTERM');
    e.child.kill('SIGTERM');
    await Promise.all([s.exit, e.exit]);
  });
});
