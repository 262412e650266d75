// `ipass preview` run as a user would, without a browser: what it writes, and how it refuses.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/project.js';

const root = new URL('../', import.meta.url).pathname;

function exampleProject(): string {
  const dir = tempDir('preview-cli');
  cpSync(join(root, 'campaigns'), join(dir, 'campaigns'), { recursive: true });
  cpSync(join(root, 'ipass.config.yaml'), join(dir, 'ipass.config.yaml'));
  return dir;
}

describe('ipass preview', () => {
  it('writes an index and one page per campaign, by default under the state folder', async () => {
    const dir = exampleProject();
    const run = await runCli(['preview'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const out = join(dir, '.ipass', 'preview');
    expect(run.stdout).toContain(
      `Wrote 3 pages (3 templates, 1 sample pass); open ${join(out, 'index.html')}`,
    );
    // Each page that names images also comes as a copy that loads them, when the reader asks.
    expect(readdirSync(out).sort()).toEqual([
      'campaign-seed-sample.html',
      'campaign-seed-sample.images.html',
      'campaign-summer-2028.html',
      'campaign-summer-2028.images.html',
      'index.html',
    ]);
    // Self-contained: no stylesheet, script or font is fetched, and no image until asked.
    const page = readFileSync(join(out, 'campaign-summer-2028.html'), 'utf8').replaceAll('&#39;', "'");
    expect(page).not.toMatch(/<link |<script[ >]|@import|url\(| src=/);
    expect(page).toMatch(/img-src data:; style-src 'sha256-[^']+'; script-src 'none'/);
    const withImages = readFileSync(join(out, 'campaign-summer-2028.images.html'), 'utf8').replaceAll(
      '&#39;',
      "'",
    );
    expect(withImages).toMatch(
      /img-src data: https:\/\/cdn\.harbourroast\.example; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'/,
    );
    expect(withImages).not.toContain('unsafe-inline');
    const sources = [...page.matchAll(/<img data-src="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(sources)).toEqual(
      new Set([
        'https://cdn.harbourroast.example/brand/logo-512.png',
        'https://cdn.harbourroast.example/campaigns/summer-2028/iced-latte-350.png',
        'https://cdn.harbourroast.example/campaigns/summer-2028/croissant-350.png',
      ]),
    );
  });

  it('previews only the files named, and removes the page of a campaign no longer previewed', async () => {
    const dir = exampleProject();
    expect((await runCli(['preview', '--out', 'site'], { cwd: dir })).code).toBe(0);
    const run = await runCli(['preview', 'campaigns/seed-sample.yaml', '--out', 'site'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(join(dir, 'site')).sort()).toEqual([
      'campaign-seed-sample.html',
      'campaign-seed-sample.images.html',
      'index.html',
    ]);
  });

  it('writes nothing when the campaign files have errors, and says where they are', async () => {
    const dir = tempDir('preview-invalid');
    mkdirSync(join(dir, 'campaigns'));
    cpSync(
      join(root, 'test/fixtures/campaigns/invalid/brand-name-too-long.yaml'),
      join(dir, 'campaigns/c.yaml'),
    );
    const run = await runCli(['preview', '--out', 'site'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/campaigns\/c\.yaml:\d+:\d+: error TEMPLATE_BRAND_NAME_TOO_LONG/);
    expect(run.stderr).toContain('error CAMPAIGNS_INVALID');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'site'))).toBe(false);
  });

  it('turns an unwritable output folder into a coded error, not a stack trace', async () => {
    const dir = exampleProject();
    writeFileSync(join(dir, 'taken'), 'a file, not a folder');
    const run = await runCli(['preview', '--out', 'taken/site'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error PREVIEW_WRITE_FAILED: Could not write the preview to');
    expect(run.stderr).toMatch(/why: a file is in the way/);
    expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
  });

  it("says on the batch's page why there is no sample pass when the first row cannot be issued", async () => {
    const dir = exampleProject();
    writeFileSync(join(dir, 'campaigns/recipients/welcome.csv'), 'userId,name\n,Nobody\n');
    const run = await runCli(['preview', '--out', 'site'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const page = readFileSync(join(dir, 'site/campaign-summer-2028.html'), 'utf8');
    expect(page).toContain(
      'No sample pass: campaigns/recipients/welcome.csv:2: This row has no userId or openId.',
    );
  });

  it('is listed by ipass --help', async () => {
    const run = await runCli(['--help'], { cwd: root });
    expect(run.stdout).toMatch(/preview \[options\] \[paths\.\.\.\]\s+Write a static HTML site/);
  });
});
