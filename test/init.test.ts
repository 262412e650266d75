// `ipass init` end to end through the built CLI in a temp folder: what it writes, that it never
// overwrites, that it merges .gitignore and editor settings (comments and formatting kept), that an
// example deleted on purpose stays deleted, that it refuses inside a project, and that the result
// validates cleanly.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

let dir: string;
const read = (path: string): string => readFileSync(join(dir, path), 'utf8');
const write = (path: string, text: string): void => writeFileSync(join(dir, path), text);
const init = () => runCli(['init'], { cwd: dir });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipass-init-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ipass init', () => {
  it('scaffolds a project that validates cleanly', async () => {
    const r = await init();
    expect(r.code).toBe(0);
    for (const file of [
      'ipass.config.yaml',
      'campaigns/example.yaml',
      'schemas/campaign.schema.json',
      'schemas/config.schema.json',
      '.gitignore',
      '.vscode/settings.json',
    ]) {
      expect(r.stdout).toContain(`created ${file}\n`);
    }
    // No relative $schema line (it breaks in sub-folders): the editor mapping covers campaigns/**.
    expect(read('campaigns/example.yaml')).not.toMatch(/yaml-language-server: \$schema/);
    expect(read('schemas/campaign.schema.json')).toBe(
      readFileSync(join(import.meta.dirname, '../schemas/campaign.schema.json'), 'utf8'),
    );
    expect(read('.gitignore').split('\n')).toEqual(expect.arrayContaining(['.ipass/', 'node_modules/']));
    expect(
      JSON.parse(read('.vscode/settings.json'))['yaml.schemas']['./schemas/campaign.schema.json'],
    ).toEqual(['campaigns/**/*.yaml', 'campaigns/**/*.yml']);

    const v = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({
      valid: true,
      counts: { files: 1, templates: 1, errors: 0, warnings: 0 },
      diagnostics: [],
    });
  });

  it('never overwrites: a second run keeps every file as it is', async () => {
    await init();
    write('campaigns/example.yaml', '# mine\n');
    write('ipass.config.yaml', 'campaigns: campaigns\n');
    const again = await init();
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('created');
    expect(again.stdout).toMatch(/kept +ipass\.config\.yaml \(it already exists; not changed\)/);
    expect(again.stdout).toMatch(/skipped campaigns\/example\.yaml \(the project was set up before/);
    expect(again.stdout).toMatch(/kept +\.gitignore \(it already lists \.ipass\/, node_modules\/\)/);
    expect(read('campaigns/example.yaml')).toBe('# mine\n');
    expect(read('ipass.config.yaml')).toBe('campaigns: campaigns\n');
    expect(read('.gitignore').match(/\.ipass\//g)).toHaveLength(1);
  });

  it('does not bring back an example deleted on purpose', async () => {
    await init();
    rmSync(join(dir, 'campaigns/example.yaml'));
    const again = await init();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/skipped campaigns\/example\.yaml/);
    expect(existsSync(join(dir, 'campaigns/example.yaml'))).toBe(false);
  });

  it('refuses inside another project, from any sub-folder of it', async () => {
    await init();
    mkdirSync(join(dir, 'campaigns/2027'), { recursive: true });
    const r = await runCli(['init'], { cwd: join(dir, 'campaigns/2027') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error INIT_INSIDE_PROJECT: This folder is inside the ipass project at /);
    expect(r.stderr).toMatch(/hint: Run `ipass init` in /);
    expect(existsSync(join(dir, 'campaigns/2027/ipass.config.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'campaigns/2027/campaigns'))).toBe(false);
  });

  it('ends with a way forward that previews and plans the example, and how to remove it once applied', async () => {
    const r = await init();
    expect(r.stdout).toMatch(/ipass preview/);
    expect(r.stdout).toMatch(/ipass plan/);
    expect(r.stdout).toMatch(/removed: \[example\/coffee-voucher\]/);
    const preview = await runCli(['preview'], { cwd: dir });
    expect(preview.code, preview.stderr).toBe(0);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/Plan: 1 to create\./);
  });

  it('appends to an existing .gitignore and merges existing editor settings', async () => {
    write('.gitignore', 'node_modules/\ndist');
    mkdirSync(join(dir, '.vscode'));
    write(
      '.vscode/settings.json',
      JSON.stringify({
        'editor.tabSize': 2,
        'yaml.schemas': { 'https://example.com/other.json': 'other/*.yaml' },
      }),
    );
    const r = await init();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated .gitignore');
    expect(r.stdout).toContain('updated .vscode/settings.json');
    // node_modules/ is there already: only .ipass/ is added.
    expect(read('.gitignore')).toMatch(/^node_modules\/\ndist\n(#.*\n)?\.ipass\/\n$/);
    const settings = JSON.parse(read('.vscode/settings.json'));
    expect(settings['editor.tabSize']).toBe(2);
    expect(Object.keys(settings['yaml.schemas'])).toEqual([
      'https://example.com/other.json',
      './schemas/campaign.schema.json',
      './schemas/config.schema.json',
    ]);
  });

  it('merges into editor settings with comments, keeping their formatting and comments', async () => {
    mkdirSync(join(dir, '.vscode'));
    const mine = [
      '{',
      '    // my font',
      '    "editor.fontSize": 14, // large',
      '    /* schemas of other tools */',
      '    "yaml.schemas": {',
      '        "https://example.com/other.json": "other/*.yaml",',
      '    },',
      '}',
      '',
    ].join('\n');
    write('.vscode/settings.json', mine);
    const r = await init();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated .vscode/settings.json');
    const text = read('.vscode/settings.json');
    // Every line that was there is still there, as written; the new entries use the file's 4 spaces.
    for (const line of mine.split('\n').filter((l) => l.trim() && !l.includes('other.json')))
      expect(text).toContain(line);
    expect(text).toContain('        "https://example.com/other.json": "other/*.yaml"');
    expect(text).toMatch(
      /\n {8}"\.\/schemas\/campaign\.schema\.json": \[\n {12}"campaigns\/\*\*\/\*\.yaml",/,
    );
    const again = await init();
    expect(again.stdout).toMatch(/kept +\.vscode\/settings\.json \(it already maps the ipass schemas\)/);
    expect(read('.vscode/settings.json')).toBe(text);
  });

  it('leaves editor settings alone that are not a JSON object, and says what to add', async () => {
    mkdirSync(join(dir, '.vscode'));
    write('.vscode/settings.json', '{ "editor.tabSize": 2 \n');
    const r = await init();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not a JSON object.*\n.*"yaml\.schemas"/);
    expect(read('.vscode/settings.json')).toBe('{ "editor.tabSize": 2 \n');
  });

  it('exits 1 with a coded error when a file cannot be written', async () => {
    write('campaigns', 'a file where the campaigns folder should be');
    const r = await init();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error INIT_WRITE_FAILED: campaigns\/example\.yaml could not be written\./);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
