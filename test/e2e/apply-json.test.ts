// `ipass apply --format json` through the built CLI against a standalone sandbox: stdout is one JSON
// document (the report) and nothing else, for a success, a partial apply (exit 4), a template change
// in doubt (exit 1) and a refusal before anything ran.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const PASSES = `passes:
  gift:
    template: coffee
    recipients: recipients/gift.csv
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
`;

const users = (ids: readonly string[]): string =>
  `userId,code\n${ids.map((id, i) => `${id},C${i}`).join('\n')}\n`;
const KNOWN = ['2160000000000201', '2160000000000202', '2160000000000203'];
const UNKNOWN = ['2999000000000201', '2999000000000202'];

/** The one document stdout holds (parsing the whole of stdout fails on anything else). */
function report(r: CliResult): Record<string, unknown> {
  expect(r.stdout.trim().startsWith('{'), r.stdout).toBe(true);
  return JSON.parse(r.stdout);
}

describe('apply --format json', () => {
  const dir = tempDir('apply-json');
  const csv = join(dir, 'campaigns', 'recipients', 'gift.csv');
  let sandbox: SandboxProcess;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info, { timeoutMs: 15000, maxRetries: 1 });
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('a success: the changes done, the batch issued, exit code 0; plan and progress on stderr', async () => {
    writeCampaign(dir, 'promo', { coffee: { stock: 100 } }, PASSES);
    writeFileSync(csv, users(KNOWN));
    const r = await cli('apply', '--auto-approve', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r);
    expect(doc).toMatchObject({
      formatVersion: 1,
      kind: 'apply-report',
      environment: 'dev',
      outcome: 'complete',
      exitCode: 0,
      retryFailed: false,
      summary: { create: 1, passes: 3 },
      changes: [{ address: 'promo/coffee', action: 'create', status: 'done', requestsSent: 1 }],
      passBatches: [
        { address: 'promo/gift', action: 'issue', toIssue: 3, issued: 3, failed: 0, heldBack: 0, notSent: 0 },
      ],
    });
    // The run's id is the one the history keeps.
    expect(doc.runId).toMatch(/^r-\d{8}-\d{6}-[0-9a-f]{6}$/);
    const shown = await cli('history', 'show', String(doc.runId), '--format', 'json');
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: doc.runId, outcome: 'succeeded' });
    const change = (doc.changes as { templateCode?: string }[])[0];
    expect(change?.templateCode).toMatch(/^\d+$/);
    expect(r.stderr).toContain('promo/coffee');
    expect(r.stderr).toContain('Apply complete: 1 created, 3 passes issued.');
  });

  it('a partial apply: the failed recipients by code, the failures file, exit code 4', async () => {
    writeFileSync(csv, users([...KNOWN, ...UNKNOWN]));
    const r = await cli('apply', '--auto-approve', '--format', 'json');
    expect(r.code, r.stderr).toBe(4);
    expect(report(r)).toMatchObject({
      outcome: 'recipients-failed',
      exitCode: 4,
      changes: [],
      passBatches: [
        {
          address: 'promo/gift',
          toIssue: 2,
          issued: 0,
          failed: 2,
          inDoubt: 0,
          failuresFile: '.ipass/dev.passes/promo/gift.failures.csv',
          failureCodes: { USER_NOT_EXIST: { count: 2 } },
        },
      ],
    });
    const again = report(await cli('apply', '--auto-approve', '--format', 'json'));
    expect(again).toMatchObject({ outcome: 'no-changes', exitCode: 0, summary: { passesHeldBack: 2 } });
    expect(again.passBatches).toMatchObject([{ address: 'promo/gift', heldBack: 2, notSent: 0 }]);
  });

  it('a template change in doubt: its status and error, exit code 1', async () => {
    writeCampaign(dir, 'promo', { coffee: { stock: 100 }, tea: { stock: 50 } }, PASSES);
    await sandbox.setFaults({ script: [{ endpoint: 'createTemplate', fault: 'http500', times: 10 }] });
    try {
      const r = await cli('apply', '--auto-approve', '--format', 'json');
      expect(r.code).toBe(1);
      const doc = report(r);
      expect(doc).toMatchObject({ outcome: 'failed', exitCode: 1 });
      expect(doc.changes).toMatchObject([
        {
          address: 'promo/tea',
          action: 'create',
          status: 'in-doubt',
          error: { code: 'HTTP_500', endpoint: 'createTemplate' },
        },
      ]);
    } finally {
      await sandbox.setFaults({});
    }
  });

  it('refuses to ask for confirmation: the error is the document, nothing runs', async () => {
    const r = await cli('apply', '--format', 'json');
    expect(r.code).toBe(1);
    expect(report(r)).toMatchObject({
      kind: 'apply-report',
      outcome: 'error',
      error: { code: 'APPLY_JSON_NEEDS_APPROVAL' },
    });
    expect(report(r)).not.toHaveProperty('exitCode');
    expect(r.stderr).toContain('APPLY_JSON_NEEDS_APPROVAL');
  });
});
