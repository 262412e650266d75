// `ipass validate` through the built CLI, as a user or a pipeline runs it: formats, exit codes, and
// bad input (YAML, config, paths, environment) reported as diagnostics, never as a stack trace.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

let dir: string;
const write = (path: string, text: string): void => writeFileSync(join(dir, path), text);
const validate = (...args: string[]) => runCli(['validate', ...args], { cwd: dir });

// Dates a year from now (within the API's window), so these tests do not depend on today's date.
const hongKongDate = (ms: number): string =>
  `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`;
const DAY = 86_400_000;
const START = hongKongDate(Date.now() + 365 * DAY);
const END = hongKongDate(Date.now() + 455 * DAY);
const template = (key: string, start = START) => `  ${key}:
    type: COUPON
    product: GIFT_CARD
    codeType: qrcode
    codeStandard: QRCODE
    startDate: ${start}
    endDate: ${END}
    imageUrl: https://cdn.example.com/a.png
    merchantLogo: https://cdn.example.com/logo.png
    stock: 100
    orderPageLink: alipayhk://platformapi/startapp?appId=1
    categories: [Food]
    exposure: exposed
    button: { btnType: usage, urlType: CODE_PAY_BTN }
    localeInfo:
      en_US: { name: Voucher, description: Ten off, shops: All shops, brandName: Brand }
`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipass-validate-'));
  mkdirSync(join(dir, 'campaigns'));
  write('ipass.config.yaml', 'campaigns: campaigns\n');
  write('campaigns/good.yaml', `templates:\n${template('coffee')}`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const noStackTrace = (text: string): void => {
  expect(text).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
};

describe('ipass validate', () => {
  it('exits 0 and prints a one-line summary when everything is valid', async () => {
    const r = await validate();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1 file, 1 template, 0 pass batches: valid.\n');
    expect(r.stderr).toBe('');
  });

  it('prints compiler-style diagnostics with hints on stderr and exits 1 on an error', async () => {
    write('campaigns/bad.yaml', `templates:\n${template('tea').replace('stock: 100', 'stock: 0')}`);
    const r = await validate();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^campaigns\/bad\.yaml:11:12: error TEMPLATE_STOCK_OUT_OF_RANGE: .+\n {2}hint: .+\n$/,
    );
    expect(r.stdout).toBe('2 files, 2 templates, 0 pass batches: 1 error.\n');
  });

  it('exits 0 with warnings only', async () => {
    const slogan = 'stock: 100\n    passExtInfo:\n      slogan: Voucher #1 in town';
    write('campaigns/good.yaml', `templates:\n${template('coffee').replace('stock: 100', slogan)}`);
    const r = await validate();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'campaigns/good.yaml:13:23: warning YAML_COMMENT_IN_TEXT: `slogan` is read as "Voucher": in YAML, a # after a space starts a comment, so "#1 in town" is dropped.\n' +
        '  hint: If "#1 in town" is part of the text, put the whole value in quotes: slogan: "Voucher #1 in town". If it is a comment, write a space after the #.\n',
    );
    expect(r.stdout).toBe('1 file, 1 template, 0 pass batches: valid, 1 warning.\n');
  });

  it('points a # that hides the closing } of a { … } value at the #, with quotes as the fix', async () => {
    write(
      'campaigns/good.yaml',
      `templates:\n${template('coffee').replace('name: Voucher', 'name: Voucher #1')}`,
    );
    const r = await validate();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^campaigns\/good\.yaml:17:30: error YAML_SYNTAX: .*closing \} included\.\n {2}hint: Put the value in quotes: name: "Voucher #1"\.\n$/,
    );
  });

  it('refuses a new template that starts in the past', async () => {
    write('campaigns/good.yaml', `templates:\n${template('coffee', '2020-01-01T00:00:00+08:00')}`);
    const r = await validate();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /good\.yaml:7:5: error TEMPLATE_START_IN_PAST: .* AlipayHK refuses to create it/,
    );
  });

  it('--format json prints one versioned document', async () => {
    write(
      'campaigns/bad.yaml',
      `templates:\n${template('tea').replace('categories: [Food]', 'categories: [Coffee]')}`,
    );
    const r = await validate('--format', 'json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      formatVersion: 1,
      valid: false,
      counts: { files: 2, templates: 2, passBatches: 0, errors: 1, warnings: 0 },
      diagnostics: [
        {
          severity: 'error',
          code: 'TEMPLATE_UNKNOWN_CATEGORY',
          message: expect.any(String),
          hint: expect.stringContaining('CoffeeAndTea'),
          file: join('campaigns', 'bad.yaml'),
          line: 13,
          col: 18,
          path: '/templates/tea/categories/0',
        },
      ],
    });
  });

  it('--format github prints workflow annotations', async () => {
    write(
      'campaigns/bad.yaml',
      `templates:\n${template('tea').replace('product: GIFT_CARD', 'product: MEMBER_CARD')}`,
    );
    const r = await validate('--format', 'github');
    expect(r.code).toBe(1);
    const [annotation, summary] = r.stdout.trim().split('\n');
    expect(annotation).toMatch(
      /^::error file=campaigns\/bad\.yaml,line=4,col=14,title=TEMPLATE_TYPE_PRODUCT_MISMATCH::/,
    );
    expect(summary).toBe('2 files, 2 templates, 0 pass batches: 1 error.');
  });

  it('validates only the paths given', async () => {
    write('campaigns/bad.yaml', 'templates: [\n');
    expect((await validate('campaigns/good.yaml')).code).toBe(0);
    const r = await validate('campaigns/good.yaml', 'nope.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error PATH_NOT_FOUND: nope\.yaml does not exist\./);
  });

  it('suggests quotes for a value with ": " in it', async () => {
    write(
      'campaigns/good.yaml',
      `templates:\n${template('coffee')}`.replace(
        'stock: 100',
        'stock: 100\n    passExtInfo:\n      slogan: Offer: Bean Club',
      ),
    );
    const r = await validate();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'campaigns/good.yaml:13:15: error YAML_SYNTAX: YAML: the value of `slogan` contains ": ", which YAML reads as the start of another key.\n' +
        '  hint: Put the value in quotes: slogan: "Offer: Bean Club".\n',
    );
  });

  it('after a file fails to parse, reports its first error only and nothing about what it would define', async () => {
    write(
      'campaigns/good.yaml',
      `campaign: good\ntemplates:\n${template('coffee').replace('    stock: 100', '    stock: "100\n    protect: true')}    protect: "no"\n`,
    );
    write(
      'campaigns/uses.yaml',
      [
        'passes:',
        '  gift:',
        '    template: good/coffee',
        '    recipients: r.csv',
        '    codeInfo: { $codemsg$: "{{userId}}", $codevalue$: "{{userId}}" }',
        'moved:',
        '  - { from: good/old, to: good/coffee }',
        '',
      ].join('\n'),
    );
    write('campaigns/r.csv', 'userId\n2160220037090534\n');
    for (const command of [['validate'], ['plan']]) {
      const r = await runCli(command, { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr.match(/: error /g), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^campaigns\/good\.yaml:12:12: error YAML_SYNTAX: YAML: Missing closing "quote/,
      );
    }
  });

  it('reports bad YAML as a diagnostic, never a stack trace', async () => {
    write('campaigns/bad.yaml', 'templates:\n  tea:\n\tstock: 1\n  "open: x\n');
    const r = await validate();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/campaigns\/bad\.yaml:3:1: error YAML_SYNTAX/);
    noStackTrace(r.stderr);
  });

  it('reports config problems and unknown environments as errors with exit 1', async () => {
    write('ipass.config.yaml', 'campaigns: campaigns\ncampaings: x\n');
    const unknown = await validate('--format', 'json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).diagnostics[0].code).toBe('CONFIG_UNKNOWN_FIELD');
    write('ipass.config.yaml', 'campaigns: campaigns\n');
    const env = await runCli(['validate', '--env', 'staging'], { cwd: dir });
    expect(env.code).toBe(1);
    expect(env.stderr).toMatch(/error CONFIG_UNKNOWN_ENVIRONMENT: There is no environment named "staging"/);
    const missing = await validate('--config', 'nope.yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/error CONFIG_UNREADABLE/);
    noStackTrace(missing.stderr);
  });

  it('refuses an unknown --format with a usage error', async () => {
    const r = await validate('--format', 'xml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Allowed choices are text, json, github/);
  });
});
