// A marketer's first day, through the built CLI on a project `ipass init` made (embedded sandbox):
// commands from a sub-folder behave exactly as from the top (the config is found upwards, every path
// taken from its folder, `-c` everywhere); prices written in dollars are caught and every plan format
// shows what a create will cost; messages point the right way; and an applied example can be removed.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/project.js';

let dir: string;
const cli = (args: string[], cwd = dir) => runCli(args, { cwd });
const example = () => join(dir, 'campaigns/2027/spring.yaml');
const edit = (change: (text: string) => string): void =>
  writeFileSync(example(), change(readFileSync(example(), 'utf8')));

interface Diag {
  severity: string;
  code: string;
  message: string;
  hint: string | null;
  file: string | null;
  line: number | null;
}
const validate = async (cwd = dir): Promise<{ code: number | null; diagnostics: Diag[] }> => {
  const v = await cli(['validate', '--format', 'json'], cwd);
  return { code: v.code, diagnostics: JSON.parse(v.stdout).diagnostics };
};

beforeEach(async () => {
  dir = tempDir('first-day');
  expect((await cli(['init'])).code).toBe(0);
  mkdirSync(join(dir, 'campaigns/2027'));
  renameSync(join(dir, 'campaigns/example.yaml'), example());
});

describe('from a sub-folder, as from the top', () => {
  it('validate, plan, state list and preview find the project and say the same', async () => {
    const deep = join(dir, 'campaigns/2027');
    for (const args of [['validate'], ['plan'], ['state', 'list'], ['plan', '--format', 'json']]) {
      const top = await cli(args);
      const sub = await cli(args, deep);
      expect(sub.code, `${args.join(' ')}: ${sub.stderr}`).toBe(top.code);
      // A plan against a state not yet made has a new lineage (and so new request ids) each time.
      const same = (text: string) => text.replace(/"(createdAt|lineage|requestId)": "[^"]+"/g, '"$1": "…"');
      expect(same(sub.stdout), args.join(' ')).toBe(same(top.stdout));
      expect(sub.stderr).toBe(top.stderr);
    }
    const preview = await cli(['preview'], deep);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain(join(dir, '.ipass/preview/index.html'));
    expect(existsSync(join(deep, '.ipass'))).toBe(false);

    const apply = await cli(['apply', '--auto-approve'], deep);
    expect(apply.code, apply.stderr).toBe(0);
    expect(existsSync(join(dir, '.ipass/sandbox.state.json'))).toBe(true);
    const list = await cli(['state', 'list', '--format', 'json'], deep);
    expect(JSON.parse(list.stdout)).toMatchObject([{ kind: 'template', address: 'example/coffee-voucher' }]);
  });

  it('paths in the config are relative to its folder; -c works on every command', async () => {
    // The project moves into a sub-folder of its own, with its own names for the folders.
    const project = join(dir, 'ops');
    mkdirSync(project);
    renameSync(join(dir, 'campaigns'), join(project, 'cards'));
    writeFileSync(
      join(project, 'ipass.config.yaml'),
      'campaigns: cards\nstateDir: state\nenvironments:\n  sandbox: { endpoint: sandbox }\n',
    );
    rmSync(join(dir, 'ipass.config.yaml'));
    const elsewhere = tempDir('elsewhere');
    const config = join(project, 'ipass.config.yaml');
    for (const args of [
      ['validate'],
      ['plan'],
      ['apply', '--auto-approve'],
      ['state', 'list'],
      ['preview'],
    ]) {
      const r = await cli([...args, '-c', config], elsewhere);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect(existsSync(join(project, 'state/sandbox.state.json'))).toBe(true);
    expect(existsSync(join(project, 'state/preview/index.html'))).toBe(true);
    expect(existsSync(join(elsewhere, 'state'))).toBe(false);
    const deep = await cli(['plan', '--detailed-exitcode'], join(project, 'cards/2027'));
    expect(deep.code, deep.stderr).toBe(0);
    expect(deep.stdout).toContain('Plan: no changes.');
    for (const command of [
      ['validate'],
      ['plan'],
      ['apply'],
      ['preview'],
      ['state', 'list'],
      ['state', 'migrate'],
    ]) {
      const help = await cli([...command, '--help']);
      expect(help.stdout, command.join(' ')).toMatch(/-c, --config <file>/);
    }
  });
});

describe('prices', () => {
  it('an HKD price under 100 cents warns with both readings; create lines show prices in every format', async () => {
    edit((t) => t.replace('currentAmountCent: 2800', 'currentAmountCent: 28'));
    const v = await validate();
    expect(v.code).toBe(0);
    expect(v.diagnostics).toMatchObject([
      {
        severity: 'warning',
        code: 'TEMPLATE_PRICE_IN_DOLLARS',
        message:
          '`currentAmountCent` of template coffee-voucher is 28 cents (HK$0.28): did you mean 2800 (HK$28.00)?',
        file: 'campaigns/2027/spring.yaml',
      },
    ]);
    const text = await cli(['plan']);
    expect(text.stdout).toContain(
      '      currentAmountCent: HKD 0.28\n      originalAmountCent: HKD 38.00\n      stock: 1,000',
    );
    const json = JSON.parse((await cli(['plan', '--format', 'json'])).stdout);
    expect(json.changes[0].reasons.map((r: { path: string }) => r.path)).toEqual(
      expect.arrayContaining(['currentAmountCent', 'originalAmountCent', 'stock', 'startDate', 'endDate']),
    );
    const github = await cli(['plan', '--format', 'github']);
    expect(github.stdout).toMatch(
      /^\+ example\/coffee-voucher {2}create: HKD 0\.28 \(original HKD 38\.00\), stock 1,000, \d{4}-\d\d-\d\d 00:00 HKT → /m,
    );
    const markdown = await cli(['plan', '--format', 'markdown']);
    expect(markdown.stdout).toContain('HKD 0.28 (original HKD 38.00), stock 1,000');
  });

  it('a price above the original is an error; a price with a currency gets a hint in cents', async () => {
    edit((t) => t.replace('currentAmountCent: 2800', 'currentAmountCent: 4800'));
    const above = await validate();
    expect(above.code).toBe(1);
    expect(above.diagnostics).toMatchObject([
      { code: 'TEMPLATE_PRICE_ABOVE_ORIGINAL', hint: expect.stringContaining('cents') },
    ]);
    edit((t) => t.replace('currentAmountCent: 4800', 'currentAmountCent: HKD 28'));
    const words = await validate();
    expect(words.diagnostics).toMatchObject([
      {
        code: 'CAMPAIGN_WRONG_TYPE',
        hint: 'Amounts are whole cents, written as a plain number without a currency: HK$28.00 is 2800.',
      },
    ]);
  });
});

describe('messages that point the right way', () => {
  it('a locale taken from defaults alone names the template, once', async () => {
    edit((t) =>
      t
        .replace(
          '  button: { btnType: usage, urlType: CODE_PAY_BTN }',
          '  button: { btnType: usage, urlType: CODE_PAY_BTN }\n  localeInfo:\n    zh_HK: { shops: 全港分店, brandName: 示範咖啡 }',
        )
        .replace(/ {6}zh_HK:\n( {8}.*\n){4}/, ''),
    );
    const v = await validate();
    expect(v.diagnostics).toHaveLength(1);
    expect(v.diagnostics[0]).toMatchObject({
      code: 'CAMPAIGN_MISSING_FIELD',
      message:
        'Template coffee-voucher has no zh_HK `name` and `description`: its `localeInfo.zh_HK` comes only from `defaults` (which gives brandName, shops).',
      hint: expect.stringContaining('under `localeInfo.zh_HK` of template coffee-voucher'),
    });
  });

  it('a misspelt locale gets one error, "did you mean" first', async () => {
    edit((t) => t.replace('      zh_HK:\n', '      zh-HK:\n'));
    const v = await validate();
    expect(v.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['TEMPLATE_UNKNOWN_LOCALE', '`zh-HK` is not a supported locale: did you mean `zh_HK`?'],
    ]);
  });

  it('a day-first date is written back as ISO-8601 Hong Kong time', async () => {
    edit((t) => t.replace(/startDate: \S+/, 'startDate: 25/12/2026'));
    const v = await validate();
    expect(v.diagnostics).toMatchObject([
      {
        code: 'DATE_INVALID',
        message: '`startDate` is "25/12/2026": did you mean 2026-12-25T00:00:00+08:00?',
      },
    ]);
  });

  it('one error per spot: an unknown codeStandard is not also a mismatch', async () => {
    edit((t) => t.replace('codeStandard: QRCODE', 'codeStandard: QR'));
    const v = await validate();
    expect(v.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['TEMPLATE_UNKNOWN_CODE_STANDARD', '`codeStandard` of defaults is "QR": did you mean "QRCODE"?'],
    ]);
  });

  it('an applied example deleted from the files: validate says so as plan does, and removed: closes it', async () => {
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    rmSync(example());
    writeFileSync(join(dir, 'campaigns/mine.yaml'), 'campaign: mine\n');
    const v = await validate();
    expect(v.code).toBe(1);
    expect(v.diagnostics.map((d) => d.code)).toEqual(['TEMPLATE_MISSING_FROM_FILES']);
    const broken = await cli(['plan']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('removed: [example/coffee-voucher]');
    expect(broken.stdout).toContain('Plan: 1 error, so it cannot be applied (errors listed above).');
    expect(broken.stdout).not.toContain('no changes');

    writeFileSync(join(dir, 'campaigns/mine.yaml'), 'campaign: mine\nremoved: [example/coffee-voucher]\n');
    expect((await validate()).code).toBe(0);
    const close = await cli(['apply', '--auto-approve']);
    expect(close.code, close.stderr).toBe(0);
    expect(close.stdout).toContain('1 closed');
    const clean = await cli(['plan', '--detailed-exitcode']);
    expect(clean.code, clean.stderr).toBe(0);
  });
});
