// Recipients that failed permanently (USER_NOT_EXIST) through the built CLI against a standalone
// sandbox, on both state backends: the first apply exits 4 and names them; later plans hold them
// back (no changes, nothing sent) until a row changes or --retry-failed; a saved plan made without
// --retry-failed is not applied with it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { describePostgres, dropSchema, freshSchema, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const PASSES = `passes:
  gift:
    template: coffee
    recipients: recipients/gift.csv
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
    dataInfo: { en_US: { $shopname$: Test shop, $username$: "{{name}}" } }
`;

const KNOWN = Array.from({ length: 6 }, (_, i) => String(2_160_000_000_000_100 + i));
/** The sandbox knows no user whose id starts 2999. */
const UNKNOWN = ['2999000000000001', '2999000000000002'];

function recipients(names: Record<string, string> = {}): string {
  const rows = [...KNOWN, ...UNKNOWN].map((id, i) => `${id},C${i},${names[id] ?? `User ${i}`}`);
  return `userId,code,name\n${rows.join('\n')}\n`;
}

/** The whole story on one backend; `state` is the config's state lines (none: files). */
function heldBackStory(state: () => string, env: NodeJS.ProcessEnv = {}): void {
  const dir = tempDir('held-back');
  const csv = join(dir, 'campaigns', 'recipients', 'gift.csv');
  let sandbox: SandboxProcess;
  const cli = (...args: string[]) => runCli(args, { cwd: dir, env });
  const createPassRequests = async (): Promise<number> =>
    (await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats')).requests.createPass ?? 0;

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info, { timeoutMs: 15000, extra: state() });
    writeCampaign(dir, 'promo', { coffee: { stock: 100 } }, PASSES);
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    writeFileSync(csv, recipients());
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('the first apply issues the rest, names the two failures and exits 4', async () => {
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(4);
    expect(apply.stdout).toContain('Apply complete except for some recipients: 1 created, 6 passes issued.');
    expect(apply.stdout).toContain('2 recipient(s) failed (listed above; exit code 4).');
    expect(apply.stderr).toContain('promo/gift: 2 failed: USER_NOT_EXIST ×2');
    const failures = join(dir, '.ipass', 'dev.passes', 'promo', 'gift.failures.csv');
    const rows = parseCsv(readFileSync(failures, 'utf8')) as string[][];
    expect(rows.slice(1).map((r) => [r[1], r[5]])).toEqual(UNKNOWN.map((id) => [id, 'USER_NOT_EXIST']));
    expect(await createPassRequests()).toBe(8);
  });

  it('later plans hold them back: no changes, and apply sends nothing', async () => {
    const plan = await cli('plan', '--detailed-exitcode');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(
      'promo/gift  nothing to issue (6 already issued, left as they are; 2 held back: USER_NOT_EXIST ×2; `--retry-failed` to try them again)',
    );
    expect(plan.stdout).toContain('Plan: no changes (2 recipients held back).');
    const json = JSON.parse((await cli('plan', '--format', 'json')).stdout);
    expect(json.passBatches[0]).toMatchObject({
      action: 'noop',
      toIssue: 0,
      heldBack: { count: 2, codes: { USER_NOT_EXIST: 2 } },
    });
    expect(json.summary.passesHeldBack).toBe(2);
    const markdown = await cli('plan', '--format', 'markdown');
    expect(markdown.stdout).toContain('2 held back: USER\\_NOT\\_EXIST ×2');
    const github = await cli('plan', '--format', 'github');
    expect(github.stdout).toContain('promo/gift  nothing to issue (6 already issued');

    const before = await createPassRequests();
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('No changes.');
    expect(await createPassRequests()).toBe(before);
  });

  it('a failed row whose placeholder column changed is sent again, and only that one', async () => {
    writeFileSync(csv, recipients({ [UNKNOWN[0] as string]: 'Renamed' }));
    const plan = await cli('plan');
    expect(plan.stdout).toContain('promo/gift  issue 1 pass (');
    expect(plan.stdout).toContain('1 held back: USER_NOT_EXIST ×1');
    const before = await createPassRequests();
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(4);
    expect(apply.stdout).toContain('promo/gift: 1 row(s) held back');
    expect(await createPassRequests()).toBe(before + 1);
  });

  it('--retry-failed sends the held-back rows again; a saved plan must agree on it', async () => {
    const planFile = join(dir, 'plan.json');
    const saved = await cli('plan', '--out', planFile);
    expect(saved.code, saved.stderr).toBe(0);
    expect(existsSync(planFile)).toBe(true);
    const before = await createPassRequests();
    const refused = await cli('apply', planFile, '--retry-failed');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('PLAN_DIVERGED');
    expect(refused.stderr).toContain('--retry-failed: the saved plan was made without it');
    expect(await createPassRequests()).toBe(before);

    const plan = await cli('plan', '--retry-failed');
    expect(plan.stdout).toContain(
      'promo/gift  issue 2 passes (6 already issued, left as they are; 2 failed before',
    );
    const apply = await cli('apply', '--auto-approve', '--retry-failed');
    expect(apply.code, apply.stderr).toBe(4);
    expect(await createPassRequests()).toBe(before + 2);
    // Still unknown users: held back again.
    expect((await cli('plan')).stdout).toContain('Plan: no changes (2 recipients held back).');
  });
}

describe('held-back recipients, file backend', () => {
  heldBackStory(() => '');
});

await describePostgres('held-back recipients, postgres backend', () => {
  const schema = freshSchema('ipass_held');
  afterAll(async () => {
    await dropSchema(schema);
  });
  heldBackStory(
    () => ['state:', '  backend: postgres', '  url: env:IPASS_STATE_URL', `  schema: ${schema}`].join('\n'),
    { IPASS_STATE_URL: TEST_DATABASE_URL },
  );
});
