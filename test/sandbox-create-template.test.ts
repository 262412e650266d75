// createTemplate rules of the sandbox (seed 002) over HTTP: each field rule and the code it answers,
// date rules against the injected clock, content-check markers, and requestId replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAY,
  startTestSandbox,
  T0,
  type TestSandbox,
  templateBody,
  withField,
} from '../src/sandbox/testing/harness.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

async function codeOf(body: Record<string, unknown>): Promise<string | undefined> {
  const reply = await t.client.call('createTemplate', body);
  expect(reply.verified).toBe(true);
  return reply.result?.resultCode;
}

const long = (n: number, ch = 'a'): string => ch.repeat(n);
const YEAR = 365 * DAY;

// [field path, value (undefined = removed), expected code]
const FIELD_CASES: Array<[string, unknown, string]> = [
  ['requestId', undefined, 'PARAM_ILLEGAL'],
  ['requestId', long(33), 'PARAM_ILLEGAL'],
  ['type', 'VOUCHER', 'PARAM_ILLEGAL'],
  ['type', undefined, 'PARAM_ILLEGAL'],
  ['product', 'MEMBER_CARD', 'PARAM_ILLEGAL'],
  ['codeType', 'datamatrix', 'PARAM_ILLEGAL'],
  ['codeStandard', 'PDF417', 'PARAM_ILLEGAL'],
  ['stock', 0, 'PARAM_ILLEGAL'],
  ['stock', 1_000_001, 'PARAM_ILLEGAL'],
  ['stock', 1.5, 'PARAM_ILLEGAL'],
  ['stock', '100', 'PARAM_ILLEGAL'],
  ['startDate', '2027-02-01', 'PARAM_ILLEGAL'],
  ['endDate', undefined, 'PARAM_ILLEGAL'],
  ['imageUrl', undefined, 'PASS_TEMPLATE_IMAGE_URL_ILLEGAL'],
  ['imageUrl', 'not a url', 'PASS_TEMPLATE_IMAGE_URL_ILLEGAL'],
  ['imageUrl', 'ftp://cdn.example.com/a.png', 'PASS_TEMPLATE_IMAGE_URL_ILLEGAL'],
  ['imageUrl', `https://cdn.example.com/${long(500)}`, 'PASS_TEMPLATE_IMAGE_URL_ILLEGAL'],
  ['merchantLogo', 'logo.png', 'PASS_TEMPLATE_IMAGE_URL_ILLEGAL'],
  ['button', undefined, 'PARAM_ILLEGAL'],
  ['button.btnType', 'click', 'PARAM_ILLEGAL'],
  ['button.urlType', 'CUSTOM_URL', 'PARAM_ILLEGAL'],
  ['button.btnUrl', undefined, 'PASS_TEMPLATE_BTN_URL_ILLEGAL'],
  ['button.btnUrl', 'shop.example.com/use', 'PASS_TEMPLATE_BTN_URL_ILLEGAL'],
  ['button.browserOpen', 'no', 'PARAM_ILLEGAL'],
  ['localeInfo', undefined, 'PARAM_ILLEGAL'],
  ['localeInfo', {}, 'PARAM_ILLEGAL'],
  ['localeInfo.fr_FR', { name: 'x' }, 'PARAM_ILLEGAL'],
  ['localeInfo.en_US.name', undefined, 'PASS_TEMPLATE_NAME_ILLEGAL'],
  ['localeInfo.en_US.name', long(51), 'PASS_TEMPLATE_NAME_ILLEGAL'],
  ['localeInfo.zh_HK.name', long(26, '券'), 'PASS_TEMPLATE_NAME_ILLEGAL'],
  ['localeInfo.en_US.subName', long(401), 'PARAM_ILLEGAL'],
  ['localeInfo.en_US.description', long(3001), 'PASS_TEMPLATE_DESCRIPTION_ILLEGAL'],
  ['localeInfo.zh_HK.description', long(4001, '字'), 'PASS_TEMPLATE_DESCRIPTION_ILLEGAL'],
  ['localeInfo.en_US.shops', long(801), 'PASS_TEMPLATE_SHOP_ILLEGAL'],
  ['localeInfo.zh_HK.shops', '', 'PASS_TEMPLATE_SHOP_ILLEGAL'],
  ['localeInfo.en_US.brandName', long(65), 'PASS_TEMPLATE_BRAND_NAME_ILLEGAL'],
  ['localeInfo.zh_HK.brandName', long(33, '店'), 'PASS_TEMPLATE_BRAND_NAME_ILLEGAL'],
  ['localeInfo.en_US.customTabs', 'tabs', 'PARAM_ILLEGAL'],
  ['localeInfo.en_US.customTabs.0.label', long(41), 'PASS_TEMPLATE_TAG_LABEL_ILLEGAL'],
  ['localeInfo.en_US.customTabs.0.type', 'text', 'PARAM_ILLEGAL'],
  ['localeInfo.en_US.customTabs.0.value', 'menu', 'PASS_TEMPLATE_TAG_VALUE_ILLEGAL'],
  ['currentAmountCent', -1, 'PARAM_ILLEGAL'],
  ['originalAmountCent', 100_000_001, 'PARAM_ILLEGAL'],
  ['currencyCode', long(17), 'PARAM_ILLEGAL'],
  ['orderPageLink', 'https://shop.example.com', 'PARAM_ILLEGAL'],
  ['orderPageLink', undefined, 'PARAM_ILLEGAL'],
  ['categories', [], 'PARAM_ILLEGAL'],
  ['categories', ['Food', 'Medical', 'Games'], 'PARAM_ILLEGAL'],
  ['categories', ['Coffee'], 'PARAM_ILLEGAL'],
  ['categories', ['Food', 'Food'], 'PARAM_ILLEGAL'],
  [
    'bizMids',
    Array.from({ length: 31 }, (_, i) => `21601999949456${String(i).padStart(2, '0')}`),
    'PARAM_ILLEGAL',
  ],
  ['exposure', 'visible', 'PARAM_ILLEGAL'],
  ['passExtInfo', 'stores', 'PARAM_ILLEGAL'],
  // dates against the clock (T0)
  ['startDate', T0 - 1, 'PASS_TEMPLATE_START_TIME_LESS_CURRENT'],
  ['endDate', T0 + 30 * DAY, 'PASS_TEMPLATE_TIME_INTERVAL_ILLEGAL'],
  ['endDate', T0 + 29 * DAY, 'PASS_TEMPLATE_TIME_INTERVAL_ILLEGAL'],
  // content checks, reached through the marker
  ['imageUrl', 'https://cdn.example.com/__sensitive__.png', 'PASS_TEMPLATE_IMAGE_INVALID'],
  ['merchantLogo', 'https://cdn.example.com/__sensitive__.png', 'PASS_TEMPLATE_IMAGE_INVALID'],
  [
    'localeInfo.en_US.customTabs.0.value',
    'https://x.example.com/__sensitive__',
    'PASS_TEMPLATE_CUSTOMTAB_URL_INVALID',
  ],
  ['button.btnUrl', 'https://x.example.com/__sensitive__', 'PASS_TEMPLATE_BTN_URL_INVALID'],
  ['localeInfo.zh_HK.description', '__sensitive__', 'PASS_TEMPLATE_CONTENT_INVALID'],
  ['localeInfo.en_US.customTabs.0.label', 'x __sensitive__', 'PASS_TEMPLATE_CONTENT_INVALID'],
];

describe('createTemplate field rules', () => {
  it('accepts the valid body (control)', async () => {
    expect(await codeOf(templateBody())).toBe('SUCCESS');
  });

  it.each(
    FIELD_CASES.map(([path, value, code]) => ({
      path,
      value,
      code,
      shown: JSON.stringify(value)?.slice(0, 40),
    })),
  )('$path = $shown → $code', async ({ path, value, code }) => {
    expect(await codeOf(withField(templateBody(), path, value))).toBe(code);
  });

  it.each([
    ['COUPON', 'GIFT_CARD'],
    ['CARD', 'MEMBER_CARD'],
    ...['PASS', 'MOVIE', 'AIR_TICKET', 'TRAIN_TICKET', 'BUS_TICKET', 'SHIP_TICKET'].map((p) => ['TICKET', p]),
  ])('accepts type %s with product %s', async (type, product) => {
    expect(await codeOf(templateBody({ type, product }))).toBe('SUCCESS');
  });

  it.each([
    ['COUPON', 'MEMBER_CARD'],
    ['CARD', 'GIFT_CARD'],
    ['TICKET', 'GIFT_CARD'],
  ])('refuses type %s with product %s', async (type, product) => {
    expect(await codeOf(templateBody({ type, product }))).toBe('PARAM_ILLEGAL');
  });

  it('counts characters, not bytes: 25 Chinese characters fit a zh_HK name, 50 letters an en_US one', async () => {
    const body = withField(
      withField(templateBody(), 'localeInfo.zh_HK.name', long(25, '券')),
      'localeInfo.en_US.name',
      long(50),
    );
    expect(await codeOf(body)).toBe('SUCCESS');
  });

  it('accepts a button without btnUrl unless urlType is CUSTOM_BTN, and alipayhk:// button links', async () => {
    expect(await codeOf(templateBody({ button: { btnType: 'payment', urlType: 'CODE_PAY_BTN' } }))).toBe(
      'SUCCESS',
    );
    const deepLink = {
      btnType: 'usage',
      urlType: 'CUSTOM_BTN',
      btnUrl: 'alipayhk://platformapi/startapp?appId=1',
    };
    expect(await codeOf(templateBody({ button: deepLink }))).toBe('SUCCESS');
  });

  it('accepts one locale alone, and stock and amounts at their bounds', async () => {
    const body = templateBody({ stock: 1_000_000, currentAmountCent: 0, originalAmountCent: 100_000_000 });
    delete (body.localeInfo as Record<string, unknown>).zh_HK;
    expect(await codeOf(body)).toBe('SUCCESS');
    expect(await codeOf(templateBody({ stock: 1 }))).toBe('SUCCESS');
  });
});

describe('createTemplate date ranges', () => {
  it.each([
    ['start exactly now', { startDate: T0 }, 'SUCCESS'],
    ['start 2 years ahead', { startDate: T0 + 2 * YEAR, endDate: T0 + 2 * YEAR + DAY }, 'SUCCESS'],
    [
      'start past 2 years',
      { startDate: T0 + 2 * YEAR + 1, endDate: T0 + 3 * YEAR },
      'PASS_TEMPLATE_START_TIME_EXCEED',
    ],
    ['end 5 years after start', { startDate: T0 + DAY, endDate: T0 + DAY + 5 * YEAR }, 'SUCCESS'],
    [
      'end past 5 years',
      { startDate: T0 + DAY, endDate: T0 + DAY + 5 * YEAR + 1 },
      'PASS_TEMPLATE_END_TIME_EXCEED',
    ],
  ])('%s → %s', async (_name, dates, code) => {
    expect(await codeOf(templateBody(dates))).toBe(code);
  });

  it('judges "in the past" by the sandbox clock', async () => {
    const body = templateBody({ startDate: T0 + DAY, endDate: T0 + 10 * DAY });
    t.clock.now = T0 + 2 * DAY;
    try {
      expect(await codeOf(body)).toBe('PASS_TEMPLATE_START_TIME_LESS_CURRENT');
    } finally {
      t.clock.now = T0;
    }
  });
});

describe('createTemplate results', () => {
  it('answers a 32-digit templateCode with status valid, and stores the content', async () => {
    const body = templateBody();
    const reply = await t.client.call('createTemplate', body);
    expect(reply.json.templateCode).toMatch(/^\d{32}$/);
    expect(reply.json.status).toBe('valid');
    const stored = t.sandbox.store.template(reply.json.templateCode);
    expect(stored).toMatchObject({
      status: 'valid',
      stock: 100,
      availableStock: 100,
      requestId: body.requestId,
    });
    expect(stored?.content.localeInfo).toEqual(body.localeInfo);
  });

  it('creates a template whose name carries __frozen__ as frozen', async () => {
    const reply = await t.client.call(
      'createTemplate',
      withField(templateBody(), 'localeInfo.en_US.name', 'x __frozen__'),
    );
    expect(reply.result?.resultCode).toBe('SUCCESS');
    expect(reply.json.status).toBe('frozen');
  });

  it('answers a replayed requestId with the first result and creates nothing new', async () => {
    const body = templateBody();
    const first = await t.client.call('createTemplate', body);
    const before = t.sandbox.store.templates().length;
    const again = await t.client.call('createTemplate', body);
    const changed = await t.client.call('createTemplate', {
      ...body,
      stock: 5,
      localeInfo: 'ignored on replay',
    });
    expect(again.json).toEqual(first.json);
    expect(changed.json).toEqual(first.json);
    expect(t.sandbox.store.templates().length).toBe(before);
    expect(t.sandbox.store.template(first.json.templateCode)?.stock).toBe(100);
  });

  it('evaluates a requestId afresh when its first attempt failed', async () => {
    const body = templateBody({ stock: 0 });
    expect(await codeOf(body)).toBe('PARAM_ILLEGAL');
    expect(await codeOf({ ...body, stock: 10 })).toBe('SUCCESS');
  });
});
