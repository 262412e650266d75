// Templates as AlipayHK's merchant console makes them (for `ipass sandbox template create`): every
// codeType and codeStandard, with and without prices, custom tabs, bizMids and passExtInfo, any status.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export type ConsoleTemplate = Record<string, unknown>;

const CODES: readonly [string, string][] = [
  ['qrcode', 'QRCODE'],
  ['barcode', 'CODE128'],
  ['barcode', 'EAN-13'],
  ['promocode', 'CODE128'],
  ['none', 'QRCODE'],
];

/** A plain console template; `i` makes its name unique, `extra` adds or replaces fields. */
export function consoleTemplate(i: number, extra: ConsoleTemplate = {}): ConsoleTemplate {
  return {
    type: 'COUPON',
    product: 'GIFT_CARD',
    codeType: 'qrcode',
    codeStandard: 'QRCODE',
    stock: 100 + i,
    startDate: '2026-01-01T10:00:00+08:00',
    endDate: '2027-12-31T23:59:59+08:00',
    imageUrl: 'https://cdn.example.com/card.png',
    merchantLogo: 'https://cdn.example.com/logo.png',
    button: { btnType: 'usage', urlType: 'CODE_PAY_BTN' },
    orderPageLink: 'alipayhk://platformapi/startapp?appId=2160003634300010',
    categories: ['Food'],
    exposure: 'exposed',
    localeInfo: {
      en_US: {
        name: `Console card ${i}`,
        description: 'Made by hand',
        shops: 'All shops',
        brandName: 'Brand',
      },
      zh_HK: { name: `手工卡 ${i}`, description: '手工製作', shops: '所有分店', brandName: '品牌' },
    },
    ...extra,
  };
}

/** One template of each variety the round trip must survive. */
export function consoleVariety(): ConsoleTemplate[] {
  const out: ConsoleTemplate[] = CODES.map(([codeType, codeStandard], i) =>
    consoleTemplate(i, { codeType, codeStandard }),
  );
  out.push(
    consoleTemplate(10, {
      type: 'CARD',
      product: 'MEMBER_CARD',
      currentAmountCent: 8800,
      originalAmountCent: 12800,
      currencyCode: 'HKD',
      categories: ['CoffeeAndTea', 'Food'],
      bizMids: ['2160000000000001', '2160000000000002'],
      passExtInfo: { tier: 'gold', 'odd key': 'a: b # c', nested: { yes: 'no', n: '007' } },
      detailLink: 'https://shop.example.com/d?a=1&b=2',
      button: {
        btnType: 'payment',
        urlType: 'CUSTOM_BTN',
        btnUrl: 'https://shop.example.com/pay',
        browserOpen: true,
      },
      exposure: 'hidden',
      localeInfo: {
        en_US: {
          name: 'true',
          subName:
            '- not a list\n\'quoted\' "double" {braces} [brackets] &anchor *alias !tag %pct @at `tick`',
          description: 'Line one\nLine two: with colon\n  indented # not a comment',
          shops: 'null',
          brandName: '0x1F',
          customTabs: [
            { label: 'Menu', type: 'url', value: 'https://shop.example.com/menu' },
            { label: 'Terms', type: 'url', value: 'https://shop.example.com/terms' },
          ],
        },
        zh_HK: {
          name: '會員卡: 金',
          description: '說明',
          shops: '~',
          brandName: '品牌',
          customTabs: [{ label: '餐牌', type: 'url', value: 'https://shop.example.com/menu' }],
        },
      },
    }),
    consoleTemplate(11, {
      type: 'TICKET',
      product: 'MOVIE',
      localeInfo: { en_US: { name: 'Film', description: 'd', shops: 's', brandName: 'b' } },
    }),
  );
  return out;
}

/** Write templates as the YAML `ipass sandbox template create` reads. */
export function writeConsoleFile(dir: string, name: string, templates: readonly ConsoleTemplate[]): string {
  const path = join(dir, name);
  writeFileSync(path, stringify({ templates }));
  return path;
}
