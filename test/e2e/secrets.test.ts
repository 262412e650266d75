// Secrets never reach stdout, stderr, state or plan files: run every command (successes and
// failures, including a rejected signature and an unreachable endpoint) with keys given through
// env: and file:, and grep everything produced for key material and signature values.
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeCampaign } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'sandbox-data' ? [] : filesUnder(path);
    return name.endsWith('.pem') ? [] : [path];
  });
}

describe('secrets stay secret', () => {
  const dir = tempDir('secrets');
  let sandbox: SandboxProcess;
  let clientPem = '';
  const wrong = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    clientPem = readFileSync(sandbox.info.privateKeyPath, 'utf8');
    const env = (name: string, endpoint: string, key: string) =>
      [
        `  ${name}:`,
        `    endpoint: ${endpoint}`,
        `    clientId: ${sandbox.info.clientId}`,
        `    merchantId: "${sandbox.info.merchantId}"`,
        `    privateKey: ${key}`,
        `    alipayPublicKey: file:${sandbox.info.sandboxPublicKeyPath}`,
        '    maxRetries: 1',
        '    timeoutMs: 1000',
      ].join('\n');
    writeFileSync(join(dir, 'wrong.pem'), wrong);
    writeFileSync(
      join(dir, 'ipass.config.yaml'),
      [
        'campaigns: campaigns',
        'defaultEnvironment: dev',
        'environments:',
        env('dev', sandbox.info.url, 'env:IPASS_TEST_KEY'),
        env('wrongkey', sandbox.info.url, 'file:wrong.pem'),
        env('offline', 'http://127.0.0.1:9', 'env:IPASS_TEST_KEY'),
      ].join('\n'),
    );
    writeCampaign(dir, 'sec', { a: { name: 'A' }, b: { name: 'B' } });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('appear nowhere in what any command prints or writes', async () => {
    const env = { IPASS_TEST_KEY: clientPem };
    const runs = [
      ['validate'],
      ['plan'],
      ['plan', '--format', 'json'],
      ['plan', '--format', 'markdown', '--out', 'plan.json'],
      ['apply', '--auto-approve'],
      ['state', 'list', '--format', 'json'],
      ['state', 'show', 'sec/a', '--format', 'json'],
      ['plan', '--refresh'],
      ['apply', '--auto-approve', '-e', 'wrongkey'],
      ['state', 'import', 'sec/a', '82000000000000000000000000000001', '-e', 'wrongkey'],
      ['apply', '--auto-approve', '-e', 'offline'],
    ];
    const outputs: string[] = [];
    const codes: (number | null)[] = [];
    for (const args of runs) {
      const r = await runCli(args, { cwd: dir, env });
      codes.push(r.code);
      outputs.push(r.stdout, r.stderr);
    }
    // The failing environments really failed, for the reasons under test.
    const text = outputs.join('\n');
    expect(codes, text.slice(0, 3000)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(text).toContain('INVALID_SIGNATURE');
    expect(text).toMatch(/CONNECTION_ERROR|ECONNREFUSED|could not connect/i);

    const written = filesUnder(dir).map((f) => readFileSync(f, 'utf8'));
    const everything = [text, ...written].join('\n');
    for (const pem of [
      clientPem,
      wrong,
      readFileSync(join(sandbox.info.dataDir, '..', 'sandbox-private.pem'), 'utf8'),
    ]) {
      const body = pem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----'));
      expect(body.length).toBeGreaterThan(10);
      for (const line of body) expect(everything).not.toContain(line);
      expect(everything).not.toContain(body.join(''));
    }
    // No signature value: no "signature=" with a value, and no long base64 or percent-encoded run.
    expect(everything).not.toMatch(/signature=(?!\[redacted\])[A-Za-z0-9%+/=]{20,}/i);
    expect(everything).not.toMatch(/[A-Za-z0-9+/%]{200,}/);
  });
});
