// Regenerates the screenshots of `ipass preview` and `ipass plan --preview` shown in README.md and
// docs/preview.md: `npm run docs:screenshots`. Needs Debian's chromium and fonts-noto-cjk
// (apt-get install -y chromium fonts-noto-cjk); it never downloads a browser.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ipass-screenshots-'));
const ipass = (...args) =>
  execFileSync(process.execPath, [join(root, 'bin/ipass.js'), ...args], { cwd: work, stdio: 'ignore' });

// A copy of the example project: previewed as is, then applied to the embedded sandbox and edited
// (a new name and price, the pastry voucher closed, a barcode standard changed) for a plan preview.
cpSync(join(root, 'campaigns'), join(work, 'campaigns'), { recursive: true });
cpSync(join(root, 'ipass.config.yaml'), join(work, 'ipass.config.yaml'));
ipass('preview', '--out', 'site');
ipass('apply', '--auto-approve');
const edit = (file, pairs) => {
  const path = join(work, 'campaigns', file);
  let text = readFileSync(path, 'utf8');
  for (const [from, to] of pairs) text = text.replace(from, to);
  writeFileSync(path, text);
};
edit('summer-2028.yaml', [
  ['name: Summer iced coffee voucher', 'name: Summer iced coffee and cold brew voucher'],
  ['name: 夏日凍咖啡券', 'name: 夏日凍咖啡及冷萃咖啡券'],
  ['currentAmountCent: 2800', 'currentAmountCent: 2500'],
  ['status: paused # on hold', 'status: closed # on hold'],
]);
ipass('plan', '--preview', 'plan-preview');

const context = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1000, height: 900 },
  deviceScaleFactor: 1,
});
try {
  // The example campaigns' images live on made-up hosts: refuse them at once, as offline.
  await context.route(/^https?:/, (route) => route.abort('internetdisconnected'));
  const page = await context.newPage();
  /** A screenshot of `selector`, cut below the lowest `until` inside it when given. */
  const shoot = async (file, selector, out, until) => {
    await page.goto(pathToFileURL(join(work, file)).href);
    await page.waitForFunction(() =>
      [...document.images].every(
        (i) => i.complete && (i.naturalWidth > 0 || i.parentElement?.classList.contains('broken')),
      ),
    );
    const target = page.locator(selector).first();
    const box = await target.boundingBox();
    const ends = until
      ? await target
          .locator(until)
          .evaluateAll((es) => es.map((e) => e.getBoundingClientRect().bottom + window.scrollY))
      : [];
    const clip = ends.length > 0 ? { ...box, height: Math.max(...ends) + 16 - box.y } : box;
    await page.screenshot({ path: join(root, 'docs', out), clip, fullPage: true });
    console.log(`docs/${out}`);
  };
  await shoot('site/campaign-summer-2028.html', 'section.template', 'preview.png');
  await shoot('site/campaign-summer-2028.html', 'section.pass', 'preview-pass.png');
  await shoot('site/campaign-seed-sample.html', 'section.template', 'preview-barcode.png');
  await shoot(
    'plan-preview/index.html',
    'section.change[data-action="update"]',
    'preview-plan.png',
    '.compare >> nth=0 >> .list-card',
  );
} finally {
  await context.close();
  rmSync(work, { recursive: true, force: true });
}
