// Pass giveaways end to end: the built CLI as a subprocess against a standalone sandbox on
// 127.0.0.1, checked through the sandbox's inspection routes. Steps build on each other, in order.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveBizSerialId } from '../src/passes/index.js';
import { runCli } from './helpers/cli.js';
import { tempDir, writeCampaign, writeConfig } from './helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from './helpers/sandbox-process.js';

interface SandboxPass {
  passId: string;
  bizSerialId: string;
  userId?: string;
}

const PASSES = `passes:
  gift:
    template: coffee
    recipients: recipients/gift.csv
    publishScene: FREE_GIVE
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
    dataInfo: { en_US: { $shopname$: Test shop, $username$: "{{name}}" } }
`;

const userId = (i: number): string => String(2_160_000_000_000_000 + i);

function csv(ids: readonly number[], extra: readonly string[] = []): string {
  return `userId,code,name\n${ids.map((i) => `${userId(i)},C${i},User ${i}`).join('\n')}\n${extra.map((l) => `${l}\n`).join('')}`;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('pass giveaways through the CLI', () => {
  const dir = tempDir('passes');
  const recipients = join(dir, 'campaigns', 'recipients', 'gift.csv');
  let sandbox: SandboxProcess;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });
  const state = () => JSON.parse(readFileSync(join(dir, '.ipass', 'dev.state.json'), 'utf8'));
  const templateCode = (): string => state().templates['promo/coffee'].templateCode;
  const passes = async (): Promise<SandboxPass[]> =>
    (await sandbox.get<{ passes: SandboxPass[] }>(`/__sandbox/passes?templateCode=${templateCode()}`)).passes;

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    // A timeout with room for a busy machine, so no pass ends in doubt.
    writeConfig(dir, sandbox.info, { timeoutMs: 15000 });
    writeCampaign(dir, 'promo', { coffee: { stock: 6000 } }, PASSES);
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('issues 5,000 passes, exactly one per recipient; a second apply issues nothing', async () => {
    writeFileSync(recipients, csv(range(0, 5000)));
    const plan = await cli('plan', '--format', 'json');
    expect(JSON.parse(plan.stdout).passBatches).toMatchObject([
      { address: 'promo/gift', action: 'issue', toIssue: 5000 },
    ]);

    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('5,000 passes issued');
    const issued = await passes();
    expect(issued).toHaveLength(5000);
    expect(new Set(issued.map((p) => p.userId))).toEqual(new Set(range(0, 5000).map(userId)));
    expect(issued.find((p) => p.userId === userId(42))?.bizSerialId).toBe(
      deriveBizSerialId('promo/gift', { userId: userId(42) }),
    );
    expect(state().passBatches['promo/gift']).toMatchObject({
      templateCode: templateCode(),
      issued: 5000,
      failed: 0,
    });
    const ledger = readFileSync(join(dir, '.ipass', state().passBatches['promo/gift'].ledger), 'utf8');
    const passIds = new Map([...ledger.matchAll(/^S\t(\S+)\t(\S+)\t/gm)].map((m) => [m[1], m[2]]));
    expect(passIds.size).toBe(5000);
    expect(issued.every((p) => passIds.get(p.bizSerialId) === p.passId)).toBe(true);

    const again = await cli('apply', '--auto-approve');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes.');
    expect(await passes()).toHaveLength(5000);
  });

  it('after an edit, issues the new rows, leaves issued ones and reports removed ones', async () => {
    writeFileSync(recipients, csv(range(100, 5150)));
    const plan = await cli('plan');
    expect(plan.stdout).toContain(
      'promo/gift  issue 150 passes (4,900 already issued, left as they are; 100 removed from the file: reported, not revoked (`revoked:` takes passes back))',
    );
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    const issued = await passes();
    expect(issued).toHaveLength(5150);
    expect(issued.filter((p) => p.userId === userId(0))).toHaveLength(1); // removed, not revoked
  });

  it('records unknown users in the failures CSV, with their own columns, without stopping the batch', async () => {
    // The last rows were added on another system: CRLF after LF, accepted as they are.
    const unknown = ['2999000000000001,X1,Nobody One\r', '2999000000000002,X2,"Nobody, Two"\r'];
    writeFileSync(recipients, csv(range(100, 5200), unknown));
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code).toBe(4);
    const failuresFile = join(dir, '.ipass', 'dev.passes', 'promo', 'gift.failures.csv');
    expect(apply.stderr).toContain(
      'promo/gift: 2 failed: USER_NOT_EXIST ×2 — AlipayHK knows no user with this userId / openId\n  every failed row, with what to do: .ipass/dev.passes/promo/gift.failures.csv',
    );
    expect(await passes()).toHaveLength(5200);
    const rows = parseCsv(readFileSync(failuresFile, 'utf8')) as string[][];
    // The recipients file has a `code` column of its own: the result code is `ipass_code`.
    expect(rows[0]).toEqual([
      'line',
      'userId',
      'code',
      'name',
      'bizSerialId',
      'ipass_code',
      'reason',
      'whatToDo',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual([
      ['5102', '2999000000000001', 'X1', 'Nobody One', 'USER_NOT_EXIST'],
      ['5103', '2999000000000002', 'X2', 'Nobody, Two', 'USER_NOT_EXIST'],
    ]);
    const plan = await cli('plan');
    expect(plan.stdout).toContain('2 held back: USER_NOT_EXIST ×2; `--retry-failed` to try them again)');
    const retry = await cli('plan', '--retry-failed');
    expect(retry.stdout).toContain(
      'issue 2 passes (5,100 already issued, left as they are; 2 failed before, tried again',
    );
  });

  it('stops on bad rows before sending anything, naming file:line:col', async () => {
    writeFileSync(recipients, csv(range(100, 5200), [',X,No user', `${userId(150)},C150,Again`]));
    const before = (await sandbox.get<{ count: number }>('/__sandbox/passes?count=1')).count;
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('campaigns/recipients/gift.csv:5102:1: error RECIPIENT_NO_USER');
    expect(apply.stderr).toContain('campaigns/recipients/gift.csv:5103:1: error RECIPIENT_DUPLICATE');
    expect((await sandbox.get<{ count: number }>('/__sandbox/passes?count=1')).count).toBe(before);
  });
});
