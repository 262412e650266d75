// `ipass plan --preview DIR` in a browser: the example campaigns applied to the embedded sandbox,
// then edited; the page shows each changed card before and after, the changed fields marked, and
// closes and replaces marked as irreversible.
// Functions passed to evaluate() run in the page: they are typed against the DOM.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser, type TestBrowser } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { decodeBarcode } from './helpers/decode-codes.js';
import { tempDir } from './helpers/project.js';

const root = new URL('../', import.meta.url).pathname;

let browser: TestBrowser;
let page: Page;
let planText: string;

function edit(dir: string, file: string, pairs: [string, string][]): void {
  const path = join(dir, 'campaigns', file);
  let text = readFileSync(path, 'utf8');
  for (const [from, to] of pairs) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  writeFileSync(path, text);
}

/** The before or after column of a change, in a locale. */
function side(address: string, locale: string, which: 0 | 1): Locator {
  return page
    .locator(`section[data-address="${address}"] .compare[data-locale="${locale}"] > div`)
    .nth(which);
}

async function markedChanged(box: Locator): Promise<boolean> {
  return box.evaluate(
    (e) =>
      getComputedStyle(e).outlineStyle === 'solid' && getComputedStyle(e, '::after').content === '"changed"',
  );
}

describeInBrowser('ipass plan --preview in a browser', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    const dir = tempDir('plan-preview');
    cpSync(join(root, 'campaigns'), join(dir, 'campaigns'), { recursive: true });
    cpSync(join(root, 'ipass.config.yaml'), join(dir, 'ipass.config.yaml'));
    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(applied.code, applied.stderr).toBe(0);
    edit(dir, 'summer-2028.yaml', [
      ['name: Summer iced coffee voucher', 'name: Summer iced coffee and cold brew voucher'],
      ['name: 夏日凍咖啡券', 'name: 夏日凍咖啡及冷萃咖啡券'],
      ['currentAmountCent: 2800', 'currentAmountCent: 2500'],
      ['status: paused # on hold', 'status: closed # on hold'],
    ]);
    edit(dir, 'seed-sample.yaml', [['codeStandard: CODE128', 'codeStandard: EAN-13']]);
    const plan = await runCli(['plan', '--preview', 'plan-preview'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    planText = plan.stdout;
    expect(plan.stderr).toContain(join(dir, 'plan-preview', 'index.html'));
    page = await browser.context.newPage();
    await page.goto(pathToFileURL(join(dir, 'plan-preview', 'index.html')).href);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows an update before and after, with exactly the changed fields marked', async () => {
    const address = 'summer-2028/coffee-voucher';
    expect(planText).toMatch(/summer-2028\/coffee-voucher\s+update/);
    for (const [locale, before, after] of [
      ['en_US', 'Summer iced coffee voucher', 'Summer iced coffee and cold brew voucher'],
      ['zh_HK', '夏日凍咖啡券', '夏日凍咖啡及冷萃咖啡券'],
    ] as const) {
      const name = `.list-card [data-field="localeInfo.${locale}.name"]`;
      const old = side(address, locale, 0).locator(name);
      const now = side(address, locale, 1).locator(name);
      expect((await old.locator('.txt').innerText()).trim()).toBe(before);
      expect((await now.locator('.txt').innerText()).trim()).toBe(after);
      expect(await markedChanged(now)).toBe(true);
      expect(await markedChanged(old)).toBe(false);
      const price = side(address, locale, 1).locator('.list-card [data-field="currentAmountCent"]');
      expect(await price.innerText()).toContain('HKD 25.00');
      expect(await markedChanged(price)).toBe(true);
      for (const unchanged of ['brandName', 'subName', 'description']) {
        const box = side(address, locale, 1)
          .locator(`[data-field="localeInfo.${locale}.${unchanged}"]`)
          .first();
        expect(await box.isVisible()).toBe(true);
        expect(await markedChanged(box), unchanged).toBe(false);
      }
    }
  });

  it('marks a close as irreversible and shows the card closed afterwards', async () => {
    const section = page.locator('section[data-address="summer-2028/pastry-voucher"]');
    const banner = section.locator('.banner');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.innerText()).toMatch(/Irreversible: this closes template \S+ for good/);
    expect(
      (await side('summer-2028/pastry-voucher', 'en_US', 0).locator('.list-card .status').innerText()).trim(),
    ).toBe('Paused');
    const after = side('summer-2028/pastry-voucher', 'zh_HK', 1).locator('.list-card .status');
    expect((await after.innerText()).trim()).toBe('已關閉');
    expect(await markedChanged(after)).toBe(true);
  });

  it('marks a replace as irreversible and draws the old and the new code standard', async () => {
    const address = 'seed-sample/medical-cosmetics-card';
    const section = page.locator(`section[data-address="${address}"]`);
    expect(await section.getAttribute('data-action')).toBe('replace');
    expect(await section.locator('.banner').innerText()).toMatch(/Irreversible: a new template is created/);
    const before = decodeBarcode(await side(address, 'en_US', 0).locator('.barcode').screenshot());
    const after = decodeBarcode(await side(address, 'en_US', 1).locator('.barcode').screenshot());
    expect(before?.format).toBe('CODE_128');
    expect(after?.format).toBe('EAN_13');
    expect(await markedChanged(side(address, 'en_US', 1).locator('.d-code'))).toBe(true);
  });

  it('lists no unchanged template as a change', async () => {
    const actions = await page
      .locator('section.change')
      .evaluateAll((s) => s.map((e) => e.getAttribute('data-action')));
    expect(actions.sort()).toEqual(['replace', 'status', 'update']);
    expect(await page.locator('.subtitle').innerText()).toContain(
      '1 to update, 1 status change, 1 to replace',
    );
  });
});
