// `ipass init` end to end through the built CLI in a temp folder: what it writes, that it never
// overwrites, that it merges .gitignore and editor settings, and that the result validates cleanly.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    expect(read('.gitignore').split('\n')).toContain('.ipass/');
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
    expect(again.stdout).toMatch(/kept +campaigns\/example\.yaml \(it already exists; not changed\)/);
    expect(again.stdout).toMatch(/kept +\.gitignore \(it already lists \.ipass\/\)/);
    expect(read('campaigns/example.yaml')).toBe('# mine\n');
    expect(read('ipass.config.yaml')).toBe('campaigns: campaigns\n');
    expect(read('.gitignore').match(/\.ipass\//g)).toHaveLength(1);
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
    expect(read('.gitignore')).toMatch(/^node_modules\/\ndist\n(#.*\n)?\.ipass\/\n$/);
    const settings = JSON.parse(read('.vscode/settings.json'));
    expect(settings['editor.tabSize']).toBe(2);
    expect(Object.keys(settings['yaml.schemas'])).toEqual([
      'https://example.com/other.json',
      './schemas/campaign.schema.json',
      './schemas/config.schema.json',
    ]);
  });

  it('leaves editor settings with comments alone and says what to add', async () => {
    mkdirSync(join(dir, '.vscode'));
    write('.vscode/settings.json', '{\n  // mine\n  "editor.tabSize": 2,\n}\n');
    const r = await init();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not plain JSON.*\n.*"yaml\.schemas"/);
    expect(read('.vscode/settings.json')).toBe('{\n  // mine\n  "editor.tabSize": 2,\n}\n');
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
