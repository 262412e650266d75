// Sandbox persistence: the journal survives a restart (and replays stay replays), the data-folder
// lock refuses a second sandbox and takes over a dead one's, damaged journals, and the identity files.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentToSign, signContent, verifyContent } from '../src/api/signing.js';
import { createEmbeddedSandbox, ensureSandboxIdentity, startSandbox } from '../src/sandbox/index.js';
import {
  passBody,
  startTestSandbox,
  templateBody,
  testRegistration,
} from '../src/sandbox/testing/harness.js';
import { SignedClient } from '../src/sandbox/testing/signed-client.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipass-sandbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('journal', () => {
  it('restores templates, passes, budgets and statuses after a restart, replays included', async () => {
    const first = await startTestSandbox({ dataDir: dir });
    const template = templateBody();
    const templateCode = (await first.client.call('createTemplate', template)).json.templateCode as string;
    const pass = passBody(templateCode);
    const passId = (await first.client.call('createPass', pass)).json.passId as string;
    const budget = { requestId: 'b-1', templateCode, updateType: 'APPEND_BUDGET', number: 5 };
    expect((await first.client.call('updateBudget', budget)).result?.resultCode).toBe('SUCCESS');
    await first.client.call('updatePass', { userId: pass.userId, passId, status: 'USED' });
    await first.client.call('switchStatus', { templateCode, status: 'paused' });
    await first.close();

    const second = await startTestSandbox({ dataDir: dir });
    try {
      expect(second.sandbox.store.template(templateCode)).toMatchObject({
        status: 'paused',
        stock: 105,
        availableStock: 104,
        issued: 1,
        requestId: template.requestId,
      });
      expect(second.sandbox.store.pass(templateCode, pass.bizSerialId as string)).toMatchObject({
        passId,
        status: 'used',
      });
      const replay = await second.client.call('createTemplate', template);
      expect(replay.json).toMatchObject({ templateCode, status: 'valid' });
      expect((await second.client.call('updateBudget', budget)).result?.resultCode).toBe('SUCCESS');
      expect(second.sandbox.store.template(templateCode)?.stock).toBe(105);
      expect((await second.client.call('createPass', pass)).result?.resultCode).toBe('PASS_HAS_EXIST');
      const next = (await second.client.call('createTemplate', templateBody())).json.templateCode as string;
      expect(next).not.toBe(templateCode);
    } finally {
      await second.close();
    }
  });

  it('keeps nothing on disk without a dataDir', async () => {
    const t = await startTestSandbox();
    await t.client.call('createTemplate', templateBody());
    await t.close();
    const again = await startTestSandbox();
    expect(again.sandbox.store.templates()).toEqual([]);
    await again.close();
  });

  it('drops a last line cut short by a crash, and refuses a journal damaged in the middle', async () => {
    const t = await startTestSandbox({ dataDir: dir });
    await t.client.call('createTemplate', templateBody());
    await t.close();
    const journal = join(dir, 'journal.jsonl');
    appendFileSync(journal, '{"e":"template","at":1,"templ');
    const again = await startTestSandbox({ dataDir: dir });
    expect(again.sandbox.store.templates()).toHaveLength(1);
    await again.close();
    expect(readFileSync(journal, 'utf8').endsWith('\n')).toBe(true);

    writeFileSync(journal, `garbage\n${readFileSync(journal, 'utf8')}`);
    await expect(startTestSandbox({ dataDir: dir })).rejects.toMatchObject({
      code: 'SANDBOX_JOURNAL_CORRUPT',
    });
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });
});

describe('data folder lock', () => {
  it('refuses a second sandbox on the same folder while the first runs, and frees it on close', async () => {
    const first = await startTestSandbox({ dataDir: dir });
    await expect(startSandbox({ identity: testRegistration(), dataDir: dir })).rejects.toMatchObject({
      code: 'SANDBOX_DATA_LOCKED',
      message: expect.stringContaining(dir),
    });
    await first.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    const second = await startTestSandbox({ dataDir: dir });
    await second.close();
  });

  it('takes over a stale lock left by a dead process', async () => {
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: deadPid(), token: 'x', startedAt: 'then' }));
    const t = await startTestSandbox({ dataDir: dir });
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')).pid).toBe(process.pid);
    await t.close();
  });

  it('releases the lock when the port cannot be bound', async () => {
    const first = await startTestSandbox();
    await expect(
      startSandbox({ identity: testRegistration(), dataDir: dir, port: first.sandbox.port }),
    ).rejects.toMatchObject({ code: 'SANDBOX_LISTEN_FAILED' });
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    await first.close();
  });
});

describe('identity', () => {
  it('is created once (private keys 0600) and loaded afterwards', async () => {
    const made = await ensureSandboxIdentity(dir);
    expect(made.clientId).toMatch(/^SANDBOX_[0-9A-Z]+$/);
    expect(made.merchantId).toMatch(/^2160\d{12}$/);
    expect(made.keyVersion).toBe(1);
    for (const path of [made.clientPrivateKeyPath, made.sandboxPrivateKeyPath]) {
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(made.clientPrivateKeyPath, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(JSON.parse(readFileSync(join(dir, 'identity.json'), 'utf8'))).toEqual({
      clientId: made.clientId,
      merchantId: made.merchantId,
      keyVersion: 1,
    });
    const loaded = await ensureSandboxIdentity(dir);
    expect(loaded.clientId).toBe(made.clientId);
    const content = contentToSign('POST', '/x', made.clientId, 't', '{}');
    expect(verifyContent(content, signContent(content, loaded.clientPrivateKey), made.clientPublicKey)).toBe(
      true,
    );
    expect(
      verifyContent(content, signContent(content, loaded.sandboxPrivateKey), made.sandboxPublicKey),
    ).toBe(true);
  });

  it('gives concurrent first uses the same identity', async () => {
    const [a, b, c] = await Promise.all([
      ensureSandboxIdentity(dir),
      ensureSandboxIdentity(dir),
      ensureSandboxIdentity(dir),
    ]);
    expect(new Set([a.clientId, b.clientId, c.clientId]).size).toBe(1);
    expect(existsSync(join(dir, 'identity.lock'))).toBe(false);
  });
});

describe('embedded sandbox', () => {
  it('keeps its identity and data under <stateDir>/sandbox/ from one run to the next', async () => {
    const clock = () => Date.parse('2027-01-01T00:00:00+08:00');
    const first = await createEmbeddedSandbox(dir, { now: clock, env: {} });
    const client = (url: string) =>
      new SignedClient({
        url,
        clientId: first.identity.clientId,
        merchantId: first.identity.merchantId,
        privateKey: first.identity.clientPrivateKey,
        sandboxPublicKey: first.identity.sandboxPublicKey,
      });
    const created = await client(first.sandbox.url).call('createTemplate', templateBody());
    expect(created.verified).toBe(true);
    await first.sandbox.close();
    expect(existsSync(join(dir, 'sandbox', 'identity.json'))).toBe(true);
    expect(existsSync(join(dir, 'sandbox', 'data', 'journal.jsonl'))).toBe(true);

    const second = await createEmbeddedSandbox(dir, { now: clock, env: {} });
    try {
      expect(second.identity.clientId).toBe(first.identity.clientId);
      const detail = await client(second.sandbox.url).call('detail', {
        templateCode: created.json.templateCode,
      });
      expect(detail.result?.resultCode).toBe('SUCCESS');
      expect(detail.verified).toBe(true);
    } finally {
      await second.sandbox.close();
    }
  });
});
