// A credentials failure (the API refuses our signature) stops the whole apply at once: nothing new
// starts after the first refusal, what finished is recorded, and the message says what to fix.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type TemplateSpec, tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

describe('credentials failures', () => {
  const dir = tempDir('credentials');
  let sandbox: SandboxProcess;

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    const wrong = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    writeFileSync(join(dir, 'wrong.pem'), wrong);
    writeConfig(dir, { ...sandbox.info, privateKeyPath: join(dir, 'wrong.pem') }, { concurrency: 2 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('stop the whole apply after the requests already in flight', async () => {
    const templates: Record<string, TemplateSpec> = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`t${i}`, { name: `Cred ${i}` }]),
    );
    writeCampaign(dir, 'cred', templates);
    const r = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('INVALID_SIGNATURE');
    expect(r.stderr).toContain('Stopped the whole apply');
    const stats = await sandbox.get<{ results: Record<string, number> }>('/__sandbox/stats');
    // Two in flight when the first refusal arrived; nothing started after it (no retries either).
    expect(stats.results.INVALID_SIGNATURE).toBeGreaterThan(0);
    expect(stats.results.INVALID_SIGNATURE).toBeLessThanOrEqual(2);
    expect((await runCli(['state', 'list', '--format', 'json'], { cwd: dir })).stdout.trim()).toBe('[]');
  });
});
