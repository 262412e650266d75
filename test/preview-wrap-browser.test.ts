// What a person sees of `ipass preview`'s text wrapping, in Debian's chromium: no word ("off") and no
// Chinese character ("碼") alone on a line, in any text of the list card or the detail view, for texts
// of every length around a line's width; the same texts do leave one alone when the balanced wrapping
// is switched off, so the check can fail. And a free item says "Free" / 「免費」, not HKD 0.00.
// Functions passed to evaluate() run in the page: they are typed against the DOM.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser, type TestBrowser } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/project.js';

const EN =
  'Show this voucher at any of our shops and get ten dollars taken off any medium or large coffee today with this'.split(
    ' ',
  );
const ZH =
  '憑券購買任何中杯或大杯咖啡即減十元每次消費限用一張請於結帳時向店員出示此優惠券上的二維條碼以便掃描核對身份及使用條款';

/** Texts ending in "off" / "碼", one for every length up to about two lines of each box. */
function campaign(): string {
  const templates: string[] = [];
  for (let i = 0; i < 36; i++) {
    const en = `${EN.slice(0, 4 + (i % EN.length)).join(' ')} off`;
    const zh = `${ZH.slice(0, 6 + i * 2)}碼`;
    const enName = `${EN.slice(0, 2 + (i % 6)).join(' ')} off`;
    const zhName = `${ZH.slice(0, 4 + (i % 18))}碼`;
    templates.push(
      [
        `  t-${i}:`,
        `    currentAmountCent: ${i === 0 ? 0 : 2800}`,
        ...(i === 0 ? ['    originalAmountCent: 3800'] : []),
        '    localeInfo:',
        `      en_US: { name: "${enName}", description: "${en}", shops: "${en}", brandName: Demo }`,
        `      zh_HK: { name: "${zhName}", description: "${zh}", shops: "${zh}", brandName: 示範 }`,
      ].join('\n'),
    );
  }
  return `campaign: wrap
defaults:
  type: COUPON
  product: GIFT_CARD
  codeType: qrcode
  codeStandard: QRCODE
  startDate: 2027-06-01T00:00:00+08:00
  endDate: 2027-08-31T23:59:59+08:00
  imageUrl: https://cdn.example.com/i.png
  merchantLogo: https://cdn.example.com/l.png
  exposure: exposed
  categories: [Food]
  orderPageLink: alipayhk://platformapi/startapp?appId=2160003634300010
  button: { btnType: usage, urlType: CODE_PAY_BTN }
  stock: 100
  currencyCode: HKD
templates:
${templates.join('\n')}
`;
}

/** Every text box with more than one line whose some line holds a single word or CJK character. */
function loneWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    // A unit is a run of letters/digits (a word) or one CJK character; punctuation rides along.
    const unit = /[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff\p{P}\p{S}]+/gu;
    for (const box of document.querySelectorAll<HTMLElement>('.txt')) {
      if (box.offsetParent === null) continue;
      const height = Number.parseFloat(getComputedStyle(box).lineHeight) || 20;
      const tops: number[] = [];
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of (node.textContent ?? '').matchAll(unit)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const rect = [...range.getClientRects()].find((r) => r.width > 0);
          if (rect) tops.push(rect.top);
        }
      }
      // Units whose tops are within half a line of each other share a line (fonts differ a little).
      const lines: number[] = [];
      let current = Number.NEGATIVE_INFINITY;
      for (const top of tops) {
        if (top > current + height / 2) {
          lines.push(0);
          current = top;
        }
        lines[lines.length - 1] = (lines.at(-1) ?? 0) + 1;
      }
      if (lines.length > 1 && lines.some((n) => n === 1))
        out.push(
          `${box.closest('[data-field]')?.getAttribute('data-field')}: "${box.innerText}" lines ${lines.join('/')}`,
        );
    }
    return out;
  });
}

describeInBrowser('ipass preview wraps text as a person would want to read it', () => {
  let browser: TestBrowser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    const dir = tempDir('preview-wrap');
    mkdirSync(join(dir, 'campaigns'));
    writeFileSync(join(dir, 'campaigns/wrap.yaml'), campaign());
    const run = await runCli(['preview', '--out', 'site'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    page = await browser.context.newPage();
    await page.goto(pathToFileURL(join(dir, 'site', 'campaign-wrap.html')).href);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('leaves no word or character alone on a line, in English and Chinese', async () => {
    expect(await loneWords(page)).toEqual([]);
  });

  it('would leave some alone without balanced wrapping (the texts do test it)', async () => {
    // A constructed style sheet: the page's policy allows styles only by hash, which the CSSOM is not held to.
    const off = () => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('* { text-wrap-style: auto !important; }');
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    };
    await page.evaluate(off);
    const plain = await loneWords(page);
    await page.evaluate(() => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.slice(0, -1);
    });
    expect(plain.some((line) => line.includes('off"'))).toBe(true);
    expect(plain.some((line) => line.includes('碼"'))).toBe(true);
  });

  it('says Free / 免費 for a price of 0, with the original price struck through', async () => {
    const card = (locale: string) =>
      page.locator(`section[data-address="wrap/t-0"] .locale[data-locale="${locale}"] .list-card`);
    expect(await card('en_US').locator('[data-field="currentAmountCent"]').innerText()).toBe(
      'Free HKD 38.00',
    );
    expect(await card('zh_HK').locator('[data-field="currentAmountCent"]').innerText()).toBe(
      '免費 HKD 38.00',
    );
    expect(await page.locator('section[data-address="wrap/t-0"]').innerText()).not.toContain('HKD 0.00');
  });
});
