// `ipass preview` as a marketer sees it: the built CLI writes the site, Debian's chromium opens it
// from disk, and the tests look at what is on screen (texts visible, nothing overflowing its card,
// codes that scanners read, image placeholders), not at the markup.
// Functions passed to evaluate() run in the page: they are typed against the DOM.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeInBrowser, launchBrowser, type TestBrowser } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { decodeBarcode, decodeQr } from './helpers/decode-codes.js';
import {
  HOSTILE,
  hostileCampaign,
  type ImageServer,
  limitsCampaign,
  schemaLimit,
  serveImages,
  TEXT_FIELDS,
} from './helpers/preview-fixtures.js';
import { tempDir } from './helpers/project.js';

const root = new URL('../', import.meta.url).pathname;
const LOCALES = ['en_US', 'zh_HK'] as const;

let browser: TestBrowser;
let images: ImageServer;
let dir: string;

async function open(file: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(pathToFileURL(join(dir, 'site', file)).href);
  // Every image has either loaded or been replaced by its placeholder.
  await page.waitForFunction(() =>
    [...document.images].every(
      (i) => i.complete && (i.naturalWidth > 0 || i.parentElement?.classList.contains('broken')),
    ),
  );
  return page;
}

function column(page: Page, address: string, locale: string): Locator {
  return page.locator(`section[data-address="${address}"] .locale[data-locale="${locale}"]`);
}

describeInBrowser('ipass preview in a browser', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    images = await serveImages();
    dir = tempDir('preview');
    cpSync(join(root, 'campaigns'), join(dir, 'campaigns'), { recursive: true });
    cpSync(join(root, 'ipass.config.yaml'), join(dir, 'ipass.config.yaml'));
    writeFileSync(join(dir, 'campaigns', 'limits.yaml'), limitsCampaign(images.base));
    writeFileSync(join(dir, 'campaigns', 'hostile.yaml'), hostileCampaign(images.base));
    const run = await runCli(['preview', '--out', 'site'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
  });
  afterAll(async () => {
    await browser?.close();
    await images?.close();
  });

  it('writes an index linking a page per campaign, each saying what its layout is', async () => {
    const page = await open('index.html');
    const links = await page.locator('.index-list h2 a').allInnerTexts();
    expect(links).toEqual(['hostile', 'limits', 'seed-sample', 'summer-2028']);
    await page.locator('.index-list h2 a', { hasText: 'summer-2028' }).click();
    await expect.poll(() => page.url()).toMatch(/campaign-summer-2028\.html$/);
    await page.waitForLoadState();
    const note = page.locator('[data-layout-note]');
    expect(await note.isVisible()).toBe(true);
    expect(await note.innerText()).toMatch(/own reading of the AlipayHK wallet.*not a pixel copy/);
  });

  it("shows every template's texts, price and dates in en_US and zh_HK", async () => {
    for (const file of ['summer-2028', 'seed-sample']) {
      const doc = parse(readFileSync(join(root, 'campaigns', `${file}.yaml`), 'utf8'));
      const page = await open(`campaign-${file}.html`);
      for (const [key, spec] of Object.entries<Record<string, never>>(doc.templates)) {
        const merged = { ...doc.defaults, ...spec };
        for (const locale of LOCALES) {
          const texts = { ...doc.defaults?.localeInfo?.[locale], ...merged.localeInfo?.[locale] };
          const col = column(page, `${doc.campaign}/${key}`, locale);
          const shown = async (within: string, field: string): Promise<string> => {
            const box = col.locator(`${within} [data-field="localeInfo.${locale}.${field}"] .txt`);
            expect(await box.isVisible(), `${key} ${locale} ${field} in ${within}`).toBe(true);
            return (await box.innerText()).trim();
          };
          for (const field of ['brandName', 'name', 'subName'])
            if (texts[field]) expect(await shown('.list-card', field)).toBe(texts[field].trim());
          for (const field of TEXT_FIELDS)
            if (texts[field]) expect(await shown('.detail', field)).toBe(texts[field].trim());
          const tabs = await col.locator('.d-tabs .tab .txt').allInnerTexts();
          expect(tabs).toEqual((texts.customTabs ?? []).map((t: { label: string }) => t.label));
          const card = await col.locator('.list-card').innerText();
          const money = (cents: number): string => `HKD ${(cents / 100).toFixed(2)}`;
          expect(card).toContain(money(merged.currentAmountCent));
          if (merged.originalAmountCent !== merged.currentAmountCent)
            expect(card).toContain(money(merged.originalAmountCent));
          const day = (iso: string): string => iso.slice(0, 10);
          expect(card).toContain(day(String(merged.startDate)));
          expect(card).toContain(day(String(merged.endDate)));
        }
      }
      await page.close();
    }
  });

  it("keeps every text inside its card at the API's longest, in both scripts", async () => {
    const page = await open('campaign-limits.html');
    for (const key of ['wide', 'words', 'digits']) {
      for (const locale of LOCALES) {
        const col = column(page, `limits/${key}`, locale);
        for (const field of TEXT_FIELDS) {
          const limit = schemaLimit(locale, field);
          const box = col.locator(`.detail [data-field="localeInfo.${locale}.${field}"]`);
          expect(await box.locator('.txt').isVisible()).toBe(true);
          // Shown whole, with its length against the limit.
          expect([...(await box.locator('.txt').innerText())].length).toBe(limit);
          expect(await box.locator('.len').innerText()).toBe(`${limit}/${limit}`);
        }
        const problems = await col.evaluate((el) => {
          const out: string[] = [];
          const name = (e: Element): string =>
            `${e.className || e.tagName} ${e.getAttribute('data-field') ?? ''}`;
          for (const card of el.querySelectorAll('.list-card, .detail')) {
            const c = card.getBoundingClientRect();
            for (const e of [card, ...card.querySelectorAll('*')]) {
              const r = e.getBoundingClientRect();
              if (r.width === 0 && r.height === 0) continue;
              if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
                out.push(`${name(e)}: content ${e.scrollWidth}px wide in a box of ${e.clientWidth}px`);
              if (r.left < c.left - 1 || r.right > c.right + 1)
                out.push(`${name(e)}: ${r.left}–${r.right} outside its card ${c.left}–${c.right}`);
            }
          }
          // In the list card, no box runs into another (a long name into the price, say).
          const card = el.querySelector('.list-card');
          const boxes = card ? [...card.querySelectorAll('.lc-logo, .lc-body > *, .status')] : [];
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const [a, b] = [boxes[i]?.getBoundingClientRect(), boxes[j]?.getBoundingClientRect()];
              if (
                a &&
                b &&
                a.left < b.right - 1 &&
                b.left < a.right - 1 &&
                a.top < b.bottom - 1 &&
                b.top < a.bottom - 1
              )
                out.push(`${name(boxes[i] as Element)} overlaps ${name(boxes[j] as Element)}`);
            }
          const phone = el.querySelector('.phone')?.getBoundingClientRect();
          const own = el.getBoundingClientRect();
          if (phone && phone.right > own.right + 1) out.push('the phone is wider than its column');
          return out;
        });
        expect(problems, `limits/${key} ${locale}`).toEqual([]);
      }
    }
    const [en, zh] = await Promise.all(
      LOCALES.map((l) => column(page, 'limits/wide', l).evaluate((e) => e.getBoundingClientRect().toJSON())),
    );
    expect(en.right).toBeLessThanOrEqual(zh.left);
  });

  it('draws QR codes that a scanner reads back as the value shown', async () => {
    const page = await open('campaign-summer-2028.html');
    const firstUser = readFileSync(join(root, 'campaigns/recipients/welcome.csv'), 'utf8')
      .split('\n')[1]
      ?.split(',')[0];
    const cases = [
      { address: 'summer-2028/coffee-voucher', expected: undefined },
      { address: 'summer-2028/welcome-gift', expected: `SUMMER28-${firstUser}` },
    ];
    for (const { address, expected } of cases) {
      for (const locale of LOCALES) {
        const col = column(page, address, locale);
        const decoded = decodeQr(await col.locator('.qr').screenshot());
        const shown = (await col.locator('.code-msg').innerText()).trim();
        expect(decoded, `${address} ${locale}`).toBe(shown);
        if (expected) expect(decoded).toBe(expected);
      }
    }
  });

  it('draws CODE128 and EAN-13 barcodes that decode to the value shown', async () => {
    const cases = [
      {
        file: 'campaign-seed-sample.html',
        address: 'seed-sample/medical-cosmetics-card',
        format: 'CODE_128',
      },
      { file: 'campaign-limits.html', address: 'limits/words', format: 'EAN_13' },
    ];
    for (const { file, address, format } of cases) {
      const page = await open(file);
      const col = column(page, address, 'en_US');
      const decoded = decodeBarcode(await col.locator('.barcode').screenshot());
      expect(decoded?.format).toBe(format);
      expect(decoded?.text).toBe((await col.locator('.code-msg').innerText()).trim());
      await page.close();
    }
  });

  it('loads no image until the reader asks, then the images that load, and a placeholder for one that does not', async () => {
    images.requests.length = 0;
    const page = await open('campaign-limits.html');
    // Nothing remote on opening: every image is a placeholder naming its host and address.
    expect(images.requests).toEqual([]);
    const wide = column(page, 'limits/wide', 'en_US').locator('.d-image');
    expect(await wide.locator('.ph').isVisible()).toBe(true);
    expect(await wide.locator('.ph').innerText()).toContain(`from ${images.base.replace('http://', '')}`);
    expect(await wide.locator('img').isVisible()).toBe(false);
    // One button per page, naming the hosts; it opens the copy of the page that loads them.
    const button = page.locator('a.load-images');
    expect(await button.count()).toBe(1);
    expect(await button.innerText()).toContain(images.base.replace('http://', ''));
    await button.click();
    await expect.poll(() => page.url()).toMatch(/campaign-limits\.images\.html$/);
    await page.waitForFunction(() =>
      [...document.images].every(
        (i) => i.complete && (i.naturalWidth > 0 || i.parentElement?.classList.contains('failed')),
      ),
    );
    const loaded = column(page, 'limits/wide', 'en_US').locator('.d-image');
    expect(await loaded.locator('img').evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(350);
    expect(await loaded.locator('img').isVisible()).toBe(true);
    expect(await loaded.locator('.ph').isVisible()).toBe(false);
    const missing = column(page, 'limits/words', 'zh_HK').locator('.d-image .ph');
    expect(await missing.isVisible()).toBe(true);
    expect(await missing.innerText()).toContain(`${images.base}/missing.png`);
    expect(images.requests).toContain('/missing.png');

    const example = await open('campaign-summer-2028.html');
    const col = column(example, 'summer-2028/coffee-voucher', 'zh_HK');
    const image = col.locator('.d-image .ph');
    expect(await image.isVisible()).toBe(true);
    expect(await image.innerText()).toContain(
      'https://cdn.harbourroast.example/campaigns/summer-2028/iced-latte-350.png',
    );
    const logo = col.locator('.list-card .ph-line');
    expect(await logo.isVisible()).toBe(true);
    expect(await logo.innerText()).toContain('https://cdn.harbourroast.example/brand/logo-512.png');
  });

  it('shows user text as text, never as markup', async () => {
    const page = await open('campaign-hostile.html');
    const col = column(page, 'hostile/tags', 'en_US');
    expect(
      (await col.locator('.list-card [data-field="localeInfo.en_US.name"] .txt').innerText()).trim(),
    ).toBe(HOSTILE.name);
    expect(
      (await col.locator('.detail [data-field="localeInfo.en_US.description"] .txt').innerText()).trim(),
    ).toBe(HOSTILE.description);
    expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
    expect(await page.locator('b', { hasText: 'not bold' }).count()).toBe(0);
    expect(await page.title()).toBe('Campaign hostile');
    // It has no Chinese text: its zh_HK column says so instead of showing an empty card.
    const zh = column(page, 'hostile/tags', 'zh_HK').locator('.no-locale');
    expect(await zh.isVisible()).toBe(true);
    expect(await zh.innerText()).toContain('no zh_HK text');
  });
});
