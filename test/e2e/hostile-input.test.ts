// Damaged or hostile campaign and recipients files, through the built CLI: each is read or refused
// with a located diagnostic (never a stack, never minutes of work), and nothing is sent.
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/project.js';

const root = new URL('../../', import.meta.url).pathname;
const noStack = (text: string): void => {
  expect(text).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
};

describe('hostile and damaged input files', () => {
  let dir: string;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });
  const file = (path: string) => join(dir, path);
  const summer = () => readFileSync(file('campaigns/summer-2028.yaml'), 'utf8');
  const diagnostics = async (): Promise<{ code: string; file: string; line: number; col: number }[]> => {
    const r = await cli('validate', '--format', 'json');
    return JSON.parse(r.stdout).diagnostics;
  };

  beforeEach(() => {
    dir = tempDir('hostile');
    cpSync(join(root, 'campaigns'), file('campaigns'), { recursive: true });
    cpSync(join(root, 'ipass.config.yaml'), file('ipass.config.yaml'));
  });

  it('reads a quote inside an unquoted CSV value as text, in validate, plan and apply', async () => {
    appendFileSync(file('campaigns/recipients/welcome.csv'), '2160220037090539,Ken "Bobby" Wong\n');
    const v = await cli('validate');
    expect(v.code, v.stderr).toBe(0);
    const p = await cli('plan');
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain('issue 6 passes');
    const a = await cli('apply', '--auto-approve');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('6 passes issued');
    for (const r of [v, p, a]) noStack(r.stderr);
  });

  it('reads UTF-8 with a byte order mark; names UTF-16 (with or without one), binary data and Big5', async () => {
    const text = summer();
    writeFileSync(file('campaigns/summer-2028.yaml'), `\ufeff${text}`);
    const csv = readFileSync(file('campaigns/recipients/welcome.csv'), 'utf8');
    writeFileSync(file('campaigns/recipients/welcome.csv'), `\ufeff${csv}`);
    expect((await cli('validate')).code).toBe(0);

    const cases: [Buffer, RegExp, number, number][] = [
      [
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
        /UTF-16 \(little-endian\)/,
        1,
        1,
      ],
      [Buffer.from(text, 'utf16le'), /UTF-16 \(little-endian\)/, 1, 1],
      [Buffer.from(text, 'utf16le').swap16(), /UTF-16 \(big-endian\)/, 1, 1],
      [
        Buffer.concat([Buffer.from('campaign: x\n'), Buffer.from([0x7f, 0x45, 0, 0, 1])]),
        /binary data/,
        2,
        3,
      ],
      [
        Buffer.concat([Buffer.from('campaign: x\nname: '), Buffer.from([0xb3, 0xaf, 0xa4, 0x6a])]),
        /Big5/,
        2,
        7,
      ],
    ];
    for (const [bytes, named, line, col] of cases) {
      writeFileSync(file('campaigns/summer-2028.yaml'), bytes);
      const r = await cli('validate');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^campaigns/summer-2028\\.yaml:${line}:${col}: error FILE_ENCODING: `),
      );
      expect(r.stderr).toMatch(named);
      // Only the file's own problem: no "which no campaign file defines" from files that use it.
      expect(r.stderr.match(/ error /g)).toHaveLength(1);
      noStack(r.stderr);
    }
    writeFileSync(file('campaigns/summer-2028.yaml'), text);
    writeFileSync(file('campaigns/recipients/welcome.csv'), Buffer.from(`\ufeff${csv}`, 'utf16le'));
    const r = await cli('plan');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^campaigns\/recipients\/welcome\.csv:1:1: error RECIPIENTS_ENCODING: .*UTF-16/m,
    );
  });

  it('refuses 10,000-deep nesting, oversized files and too many entries at a position, quickly', async () => {
    writeFileSync(file('campaigns/deep.yaml'), `moved: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    let r = await cli('validate');
    expect(r.stderr).toMatch(/^campaigns\/deep\.yaml:1:71: error YAML_TOO_DEEP: .*64 levels/m);
    noStack(r.stderr);

    const entry = (i: number) => `  - { from: many/old-${i}, to: many/new-${i} }\n`;
    const entries = (n: number) => Array.from({ length: n }, (_, i) => entry(i)).join('');
    writeFileSync(file('campaigns/deep.yaml'), `campaign: many\nmoved:\n${entries(120_000)}`);
    r = await cli('validate');
    expect(r.stderr).toMatch(/^campaigns\/deep\.yaml:1:1: error FILE_TOO_LARGE: .*at most 4\.0 MiB/m);

    writeFileSync(file('campaigns/deep.yaml'), `campaign: many\nmoved:\n${entries(10_001)}`);
    r = await cli('validate');
    expect(r.stderr).toMatch(/^campaigns\/deep\.yaml:10003:5: error YAML_TOO_MANY_ENTRIES: .*10,000/m);

    // Within the limits every entry is checked, and the problems listed are capped per file.
    writeFileSync(file('campaigns/deep.yaml'), `campaign: many\nmoved:\n${entries(10_000)}`);
    const found = await diagnostics();
    expect(found.filter((d) => d.file === 'campaigns/deep.yaml')).toHaveLength(101);
    expect(found.at(-1)).toMatchObject({ code: 'CAMPAIGN_MORE_PROBLEMS', file: 'campaigns/deep.yaml' });
  });

  it('refuses __proto__, constructor and prototype keys in template and pass fields; nothing is sent', async () => {
    const text = summer()
      .replace('    stock: 5000\n', '    stock: 5000\n    passExtInfo:\n      __proto__: { tags: [x] }\n')
      .replace(
        '      $codemsg$: "SUMMER28-{{userId}}"\n',
        '      $codemsg$: "SUMMER28-{{userId}}"\n      constructor: x\n',
      );
    writeFileSync(file('campaigns/summer-2028.yaml'), text);
    const found = await diagnostics();
    expect(found.map((d) => [d.code, d.line, d.col])).toEqual([
      ['YAML_RESERVED_KEY', 36, 7],
      ['YAML_RESERVED_KEY', 81, 7],
    ]);
    const a = await cli('apply', '--auto-approve');
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('nothing was sent');
  });

  it('escapes control characters from campaign files in what it prints', async () => {
    const original = summer();
    const text = original.replace('    stock: 2000', '    stock: "\u001b]0;pwned\u0007\u001b[2J2000"');
    writeFileSync(file('campaigns/summer-2028.yaml'), text);
    const r = await cli('validate');
    expect(r.stderr).toContain('not "\\x1b]0;pwned\\x07\\x1b[2J2000"');
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toContain('\u0007');

    const named = original.replace('name: Croissant voucher', 'name: "Croissant \\e[31mRED\\e[0m"');
    writeFileSync(file('campaigns/summer-2028.yaml'), named);
    const p = await cli('plan');
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain('Croissant \\x1b[31mRED');
    expect(p.stdout).not.toContain('\u001b');
  });
});
