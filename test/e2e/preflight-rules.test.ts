// The API's rules that validate and plan check before anything is sent: each mistake is caught by
// the built CLI (documented rules: validate, plan and apply exit 1; inferred ones: a warning), the
// sandbox receives nothing meanwhile, and the sandbox itself refuses the same request sent directly.
// Both sides read one table of limits (src/api/api-limits.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedClient } from '../../src/sandbox/testing/signed-client.js';
import { parsePrivateKey, parsePublicKey } from '../../src/shared/keys.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const DAY = 86_400_000;
/** Midnight Hong Kong time `days` from now, as a campaign file writes it. */
const hk = (days: number): string =>
  `${new Date(Date.now() + days * DAY + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`;

interface Template {
  stock?: number;
  start?: string;
  end?: string;
}

const templateYaml = (key: string, t: Template = {}): string =>
  [
    `  ${key}:`,
    `    startDate: ${t.start ?? hk(30)}`,
    `    endDate: ${t.end ?? hk(120)}`,
    `    stock: ${t.stock ?? 10}`,
  ].join('\n');

const DEFAULTS = `defaults:
  type: COUPON
  product: GIFT_CARD
  codeType: qrcode
  codeStandard: QRCODE
  imageUrl: https://cdn.example.com/i.png
  merchantLogo: https://cdn.example.com/logo.png
  exposure: exposed
  categories: [Food]
  orderPageLink: alipayhk://platformapi/startapp?appId=2160003634300010
  button: { btnType: usage, urlType: CODE_PAY_BTN }
  localeInfo:
    en_US: { name: Latte voucher, description: Ten off, shops: All shops, brandName: Brand }
`;

const PASSES = `passes:
  gift:
    template: latte
    recipients: recipients.csv
    codeInfo: { $codemsg$: "L-{{userId}}", $codevalue$: "L-{{userId}}" }
`;

const USERS = [
  '2160220037090531',
  '2160220037090532',
  '2160220037090533',
  '2160220037090534',
  '2160220037090535',
];

interface Diag {
  severity: string;
  code: string;
  file: string;
  line: number;
}

describe('pre-flight rules: caught before apply, refused by the sandbox', () => {
  const dir = tempDir('preflight');
  let sandbox: SandboxProcess;
  let direct: SignedClient;
  let latte = '';
  const cli = (...args: string[]) => runCli(args, { cwd: dir });
  const campaign = (templates: Record<string, Template>, users = USERS): void => {
    writeFileSync(
      join(dir, 'campaigns/promo.yaml'),
      `campaign: promo\n${DEFAULTS}templates:\n${Object.entries(templates)
        .map(([k, t]) => templateYaml(k, t))
        .join('\n')}\n${PASSES}`,
    );
    writeFileSync(join(dir, 'campaigns/recipients.csv'), `userId\n${users.join('\n')}\n`);
  };
  const requests = async (): Promise<number> => {
    const stats = await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats');
    return Object.values(stats.requests ?? {}).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0);
  };
  /** The request bodies `plan` would send, by endpoint (the plan must be valid). */
  const planned = async (): Promise<Record<string, Record<string, unknown>>> => {
    const r = await cli('plan', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      changes: { requests: { endpoint: string; body: Record<string, unknown> }[] }[];
    };
    return Object.fromEntries(plan.changes.flatMap((c) => c.requests.map((q) => [q.endpoint, q.body])));
  };
  /**
   * validate and plan report `code` (apply too, for an error), at a place in a file; nothing
   * reaches the sandbox. Returns the diagnostic as validate's JSON has it.
   */
  const caughtBeforeApply = async (code: string, severity: 'error' | 'warning'): Promise<Diag> => {
    const before = await requests();
    const v = await cli('validate', '--format', 'json');
    expect(v.code, v.stdout).toBe(severity === 'error' ? 1 : 0);
    const found = (JSON.parse(v.stdout).diagnostics as Diag[]).find((d) => d.code === code);
    expect(found, v.stdout).toMatchObject({ severity, file: expect.stringMatching(/^campaigns\//) });
    const p = await cli('plan');
    expect(p.code, p.stderr).toBe(severity === 'error' ? 1 : 0);
    expect(p.stderr).toContain(`${severity} ${code}:`);
    if (severity === 'error') {
      const a = await cli('apply', '--auto-approve');
      expect(a.code).toBe(1);
      expect(a.stderr).toContain(`error ${code}:`);
    }
    expect(await requests()).toBe(before);
    return found as Diag;
  };
  const passBody = (over: Record<string, unknown>) => ({
    templateCode: latte,
    bizSerialId: `direct-${Math.random()}`,
    bizSerialType: 'OUT_PLAT_FORM',
    userId: USERS[0],
    startDate: Date.now() + 30 * DAY,
    endDate: Date.now() + 120 * DAY,
    bizCreate: Date.now(),
    type: 'COUPON',
    product: 'GIFT_CARD',
    codeInfo: { $codemsg$: 'x', $codevalue$: 'x' },
    ...over,
  });
  const resultOf = async (endpoint: Parameters<SignedClient['call']>[0], body: Record<string, unknown>) => {
    const reply = await direct.call(endpoint, body);
    expect(reply.verified).toBe(true);
    return reply.result;
  };

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info);
    mkdirSync(join(dir, 'campaigns'), { recursive: true });
    direct = new SignedClient({
      url: sandbox.info.url,
      clientId: sandbox.info.clientId,
      merchantId: sandbox.info.merchantId,
      privateKey: parsePrivateKey(readFileSync(sandbox.info.privateKeyPath, 'utf8')),
      sandboxPublicKey: parsePublicKey(readFileSync(sandbox.info.sandboxPublicKeyPath, 'utf8')),
    });
    campaign({ latte: {} });
    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('5 passes issued');
    const state = JSON.parse((await cli('state', 'list', '--format', 'json')).stdout) as {
      address: string;
      templateCode: string;
    }[];
    latte = state.find((s) => s.address === 'promo/latte')?.templateCode ?? '';
    expect(latte).not.toBe('');
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('stock lowered below the passes already issued', async () => {
    campaign({ latte: { stock: 3 } });
    const d = await caughtBeforeApply('TEMPLATE_STOCK_BELOW_ISSUED', 'error');
    expect(d).toMatchObject({ file: 'campaigns/promo.yaml', line: 19 });
    const result = await resultOf('updateBudget', {
      requestId: `direct-${Date.now()}`,
      templateCode: latte,
      updateType: 'SUBTRACT_BUDGET',
      number: 7,
    });
    expect(result).toMatchObject({
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: expect.stringContaining('5 passes'),
    });
  });

  it('an epoch in seconds', async () => {
    campaign({ latte: {}, seconds: { start: '1780000000' } });
    const d = await caughtBeforeApply('DATE_IN_SECONDS', 'error');
    expect(d.line).toBe(21);
    campaign({ latte: {}, seconds: {} });
    const body = (await planned()).createTemplate ?? {};
    const created = await resultOf('createTemplate', { ...body, startDate: 1_780_000_000 });
    expect(created).toMatchObject({
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: expect.stringContaining('seconds'),
    });
    const pass = await resultOf('createPass', passBody({ startDate: 1_780_000_000, endDate: 1_790_000_000 }));
    expect(pass).toMatchObject({
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: expect.stringContaining('seconds'),
    });
  });

  it('an end date beyond the API window (inferred: a warning)', async () => {
    campaign({ latte: {}, long: { end: hk(30 + 6 * 365) } });
    const d = await caughtBeforeApply('TEMPLATE_END_TOO_LATE', 'warning');
    expect(d.line).toBe(22);
    const body = (await planned()).createTemplate ?? {};
    expect((await resultOf('createTemplate', body))?.resultCode).toBe('PASS_TEMPLATE_END_TIME_EXCEED');
  });

  it('a start too far ahead (inferred: a warning)', async () => {
    campaign({ latte: {}, later: { start: hk(800), end: hk(830) } });
    await caughtBeforeApply('TEMPLATE_START_TOO_FAR', 'warning');
    const body = (await planned()).createTemplate ?? {};
    expect((await resultOf('createTemplate', body))?.resultCode).toBe('PASS_TEMPLATE_START_TIME_EXCEED');
  });

  it('a start moved into the past on an applied template (inferred: a warning)', async () => {
    campaign({ latte: { start: hk(-2) } });
    const d = await caughtBeforeApply('TEMPLATE_START_MOVED_INTO_PAST', 'warning');
    expect(d.line).toBe(17);
    const v = await cli('validate');
    expect(v.stderr).not.toContain('this is fine');
    const body = (await planned()).updateTemplate ?? {};
    expect((await resultOf('updateTemplate', body))?.resultCode).toBe(
      'PASS_TEMPLATE_START_TIME_LESS_CURRENT',
    );
  });

  it("a userId in Excel's scientific notation, or of another shape (inferred: a warning)", async () => {
    campaign({ latte: {} }, [...USERS, '2.16022E+15']);
    const excel = await caughtBeforeApply('RECIPIENT_USER_ID_EXCEL', 'error');
    expect(excel).toMatchObject({ file: 'campaigns/recipients.csv', line: 7 });
    expect((await resultOf('createPass', passBody({ userId: '2.16022E+15' })))?.resultCode).toBe(
      'USER_NOT_EXIST',
    );
    campaign({ latte: {} }, [...USERS, '12345']);
    const shape = await caughtBeforeApply('RECIPIENT_USER_ID_SHAPE', 'warning');
    expect(shape).toMatchObject({ file: 'campaigns/recipients.csv', line: 7 });
    expect((await resultOf('createPass', passBody({ userId: '12345' })))?.resultCode).toBe('USER_NOT_EXIST');
  });
});
