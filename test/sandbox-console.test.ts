// `ipass sandbox template create`: the sandbox plays AlipayHK's merchant console, through the built CLI
// against a standalone sandbox (--url and an environment's endpoint) and the embedded one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { consoleTemplate, consoleVariety, writeConsoleFile } from './helpers/console-templates.js';
import { tempDir, writeConfig } from './helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from './helpers/sandbox-process.js';

interface Listed {
  templates: {
    templateCode: string;
    merchantId: string;
    status: string;
    codeType: string;
    content: Record<string, unknown>;
  }[];
}

describe('ipass sandbox template create', () => {
  let dir: string;
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    dir = tempDir('console');
    sandbox = await startSandboxProcess(join(dir, 'sb'), dir);
    writeConfig(dir, sandbox.info);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates every variety, in any status, outside ipass (nothing in any state)', async () => {
    const templates = [
      ...consoleVariety(),
      consoleTemplate(20, { status: 'paused' }),
      consoleTemplate(21, { status: 'closed' }),
      consoleTemplate(22, { status: 'frozen' }),
      consoleTemplate(23, { startDate: '2025-01-01T00:00:00+08:00', endDate: '2025-06-01T00:00:00+08:00' }),
    ];
    writeConsoleFile(dir, 'console.yaml', templates);
    const r = await runCli(
      ['sandbox', 'template', 'create', 'console.yaml', '--url', sandbox.info.url, '--format', 'json'],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const created = JSON.parse(r.stdout).templates as { templateCode: string; status: string }[];
    expect(created).toHaveLength(templates.length);
    expect(created.slice(-4).map((t) => t.status)).toEqual(['paused', 'closed', 'frozen', 'valid']);
    const listed = await sandbox.get<Listed>('/__sandbox/templates');
    const byCode = new Map(listed.templates.map((t) => [t.templateCode, t]));
    expect(byCode.get(created.at(-1)?.templateCode ?? '')?.status).toBe('expired');
    const rich = byCode.get(created[5]?.templateCode ?? '');
    expect(rich?.content.passExtInfo).toEqual({
      tier: 'gold',
      'odd key': 'a: b # c',
      nested: { yes: 'no', n: '007' },
    });
    expect(rich?.merchantId).toBe(sandbox.info.merchantId);
  });

  it("through the environment's endpoint, and for another merchant", async () => {
    writeConsoleFile(dir, 'other.yaml', [consoleTemplate(30, { merchantId: '2160999999999999' })]);
    const r = await runCli(['sandbox', 'template', 'create', 'other.yaml', '-e', 'dev'], { cwd: dir });
    expect(r.code).toBe(0);
    const code = /Created (\d+) \(valid\)/.exec(r.stdout)?.[1] ?? '';
    const t = await sandbox.get<{ merchantId: string }>(`/__sandbox/templates/${code}`);
    expect(t.merchantId).toBe('2160999999999999');
  });

  it('refuses a template the API would refuse, creating none of the file', async () => {
    const before = (await sandbox.get<Listed>('/__sandbox/templates')).templates.length;
    writeConsoleFile(dir, 'bad.yaml', [consoleTemplate(40), consoleTemplate(41, { type: 'CARD' })]);
    const r = await runCli(['sandbox', 'template', 'create', 'bad.yaml', '--url', sandbox.info.url], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SANDBOX_CONSOLE_REFUSED');
    expect(r.stderr).toContain('templates[1]: PARAM_ILLEGAL: product GIFT_CARD does not belong to type CARD');
    expect((await sandbox.get<Listed>('/__sandbox/templates')).templates).toHaveLength(before);
  });

  it('never sends anything to an endpoint that is not a local sandbox', async () => {
    const r = await runCli(['sandbox', 'template', 'create', 'bad.yaml', '--url', 'https://open.alipay.hk'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SANDBOX_CONSOLE_NOT_SANDBOX');
    writeFileSync(join(dir, 'broken.yaml'), 'templates: [');
    const broken = await runCli(['sandbox', 'template', 'create', 'broken.yaml', '--url', sandbox.info.url], {
      cwd: dir,
    });
    expect(broken.stderr).toContain('SANDBOX_CONSOLE_FILE_INVALID');
  });

  it('is refused to a cross-site request, like every write to the sandbox', async () => {
    const body = JSON.stringify({
      templates: [consoleTemplate(45, { startDate: 1_800_000_000_000, endDate: 1_810_000_000_000 })],
    });
    const form = await request(`${sandbox.info.url}/__sandbox/console/templates`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
    });
    expect(form.statusCode).toBe(415);
    await form.body.dump();
    const foreign = await request(`${sandbox.info.url}/__sandbox/console/templates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body,
    });
    expect(foreign.statusCode).toBe(403);
    await foreign.body.dump();
    const same = await request(`${sandbox.info.url}/__sandbox/console/templates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(same.statusCode).toBe(200);
    await same.body.dump();
  });

  it('writes into the embedded sandbox of `endpoint: sandbox`', async () => {
    const project = tempDir('console-embedded');
    writeFileSync(join(project, 'ipass.config.yaml'), 'environments:\n  sandbox: { endpoint: sandbox }\n');
    writeConsoleFile(project, 'one.yaml', [consoleTemplate(50)]);
    const r = await runCli(['sandbox', 'template', 'create', 'one.yaml'], { cwd: project });
    expect(r.code).toBe(0);
    const journal = readFileSync(join(project, '.ipass', 'sandbox', 'data', 'journal.jsonl'), 'utf8');
    expect(journal).toContain('Console card 50');
  });
});
