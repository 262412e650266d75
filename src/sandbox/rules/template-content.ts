// The content rules shared by createTemplate and updateTemplate (seed 002): field formats with their
// specific result codes, date rules against the sandbox clock, and the marker-driven content checks.
import { API_LIMITS, endTooFarAfterStart, startTooFarAhead } from '../../api/api-limits.js';
import type { Failure } from '../result-codes.js';
import type { TemplateContent } from '../store.js';
import {
  boolean,
  checkFields,
  epochMs,
  type FieldRule,
  integer,
  isObject,
  type JsonObject,
  list,
  object,
  oneOf,
  prefixed,
  text,
  url,
} from './fields.js';

/** Any text or URL containing this fails the content check of its kind (PASS_TEMPLATE_*_INVALID). */
export const SENSITIVE_MARKER = '__sensitive__';
/** A template whose name (any locale) contains this is created `frozen`, as if held for review. */
export const FROZEN_MARKER = '__frozen__';

export const CATEGORIES = [
  'Food',
  'CoffeeAndTea',
  'Medical',
  'Cosmetics',
  'Groceries',
  'Ecommerce',
  'Electronics',
  'Games',
  'Clothing',
  'Jewellery',
  'Entertainment',
  'Education',
  'Transportation',
  'Others',
] as const;

const AMOUNT = integer(0, 100_000_000);
const BUTTON_URL = url(512, ['http:', 'https:', 'alipayhk:']);

const CONTENT_RULES: readonly FieldRule[] = [
  { field: 'startDate', code: 'PARAM_ILLEGAL', required: true, check: epochMs },
  { field: 'endDate', code: 'PARAM_ILLEGAL', required: true, check: epochMs },
  { field: 'imageUrl', code: 'PASS_TEMPLATE_IMAGE_URL_ILLEGAL', required: true, check: url(512) },
  { field: 'merchantLogo', code: 'PASS_TEMPLATE_IMAGE_URL_ILLEGAL', required: true, check: url(512) },
  { field: 'button', code: 'PARAM_ILLEGAL', required: true, check: object },
  { field: 'localeInfo', code: 'PARAM_ILLEGAL', required: true, check: object },
  { field: 'currentAmountCent', code: 'PARAM_ILLEGAL', required: false, check: AMOUNT },
  { field: 'originalAmountCent', code: 'PARAM_ILLEGAL', required: false, check: AMOUNT },
  { field: 'currencyCode', code: 'PARAM_ILLEGAL', required: false, check: text(16) },
  { field: 'orderPageLink', code: 'PARAM_ILLEGAL', required: true, check: prefixed('alipayhk://', 512) },
  { field: 'detailLink', code: 'PARAM_ILLEGAL', required: false, check: text(512) },
  { field: 'categories', code: 'PARAM_ILLEGAL', required: true, check: list(1, 2, oneOf(CATEGORIES), true) },
  { field: 'bizMids', code: 'PARAM_ILLEGAL', required: false, check: list(0, 30, text(64)) },
  { field: 'exposure', code: 'PARAM_ILLEGAL', required: true, check: oneOf(['exposed', 'hidden']) },
  { field: 'passExtInfo', code: 'PARAM_ILLEGAL', required: false, check: object },
];

/** The fields a template's content consists of (what updateTemplate replaces and detail returns). */
export const CONTENT_FIELDS: readonly string[] = CONTENT_RULES.map((r) => r.field);

const BUTTON_RULES: readonly FieldRule[] = [
  { field: 'btnType', code: 'PARAM_ILLEGAL', required: true, check: oneOf(['none', 'usage', 'payment']) },
  {
    field: 'urlType',
    code: 'PARAM_ILLEGAL',
    required: true,
    check: oneOf(['CODE_PAY_BTN', 'SCAN_PAY_BTN', 'CUSTOM_BTN']),
  },
  { field: 'btnUrl', code: 'PASS_TEMPLATE_BTN_URL_ILLEGAL', required: false, check: BUTTON_URL },
  { field: 'browserOpen', code: 'PARAM_ILLEGAL', required: false, check: boolean },
];

export type Locale = 'zh_HK' | 'en_US';
const LOCALES: readonly Locale[] = ['zh_HK', 'en_US'];

/**
 * Seed 002 §2.1.4: limits are Chinese/English, i.e. zh_HK/en_US. The emulator keeps its own copy of
 * the API's rules; test/one-source.test.ts ties these to the campaign schema's maxLength.
 */
export const LOCALE_TEXT: ReadonlyArray<Omit<FieldRule, 'check'> & { max: Record<Locale, number> }> = [
  { field: 'name', code: 'PASS_TEMPLATE_NAME_ILLEGAL', required: true, max: { zh_HK: 25, en_US: 50 } },
  { field: 'subName', code: 'PARAM_ILLEGAL', required: false, max: { zh_HK: 400, en_US: 400 } },
  {
    field: 'description',
    code: 'PASS_TEMPLATE_DESCRIPTION_ILLEGAL',
    required: true,
    max: { zh_HK: 4000, en_US: 3000 },
  },
  { field: 'shops', code: 'PASS_TEMPLATE_SHOP_ILLEGAL', required: true, max: { zh_HK: 1000, en_US: 800 } },
  {
    field: 'brandName',
    code: 'PASS_TEMPLATE_BRAND_NAME_ILLEGAL',
    required: true,
    max: { zh_HK: 32, en_US: 64 },
  },
];

const localeRules = (locale: Locale): FieldRule[] => [
  ...LOCALE_TEXT.map(({ max, ...rule }) => ({ ...rule, check: text(max[locale]) })),
  { field: 'customTabs', code: 'PARAM_ILLEGAL', required: false, check: list(0, 100, object) },
];

/** A custom tab's label, per locale (seed 002). */
export const TAB_LABEL_MAX: Readonly<Record<Locale, number>> = { zh_HK: 20, en_US: 40 };

const tabRules = (locale: Locale): FieldRule[] => [
  {
    field: 'label',
    code: 'PASS_TEMPLATE_TAG_LABEL_ILLEGAL',
    required: true,
    check: text(TAB_LABEL_MAX[locale]),
  },
  { field: 'type', code: 'PARAM_ILLEGAL', required: true, check: oneOf(['url']) },
  { field: 'value', code: 'PASS_TEMPLATE_TAG_VALUE_ILLEGAL', required: true, check: url(512) },
];

function checkButton(button: JsonObject): Failure | undefined {
  const failure = checkFields(button, BUTTON_RULES, 'button.');
  if (failure) return failure;
  if (button.urlType === 'CUSTOM_BTN' && (button.btnUrl === undefined || button.btnUrl === null)) {
    return {
      code: 'PASS_TEMPLATE_BTN_URL_ILLEGAL',
      message: 'button.btnUrl is required when urlType is CUSTOM_BTN',
    };
  }
  return undefined;
}

function checkLocales(localeInfo: JsonObject): Failure | undefined {
  const locales = Object.keys(localeInfo);
  if (locales.length === 0) return { code: 'PARAM_ILLEGAL', message: 'localeInfo needs zh_HK or en_US' };
  for (const locale of locales) {
    if (!LOCALES.includes(locale as Locale)) {
      return {
        code: 'PARAM_ILLEGAL',
        message: `localeInfo.${locale} is not a supported locale (zh_HK, en_US)`,
      };
    }
    const info = localeInfo[locale];
    if (!isObject(info))
      return { code: 'PARAM_ILLEGAL', message: `localeInfo.${locale} must be a JSON object` };
    const where = `localeInfo.${locale}.`;
    const failure = checkFields(info, localeRules(locale as Locale), where);
    if (failure) return failure;
    for (const [i, tab] of ((info.customTabs as JsonObject[] | undefined) ?? []).entries()) {
      const tabFailure = checkFields(tab, tabRules(locale as Locale), `${where}customTabs[${i}].`);
      if (tabFailure) return tabFailure;
    }
  }
  return undefined;
}

/** Date rules; `previousStart` (updates) exempts an unchanged start from the "not in the past" rules. */
function checkDates(start: number, end: number, now: number, previousStart?: number): Failure | undefined {
  const startChanged = start !== previousStart;
  if (startChanged && start < now) return { code: 'PASS_TEMPLATE_START_TIME_LESS_CURRENT' };
  if (start >= end)
    return { code: 'PASS_TEMPLATE_TIME_INTERVAL_ILLEGAL', message: 'startDate must be before endDate' };
  if (startChanged && startTooFarAhead(start, now)) {
    return {
      code: 'PASS_TEMPLATE_START_TIME_EXCEED',
      message: `startDate is more than ${API_LIMITS.startAheadDays.value} days ahead`,
    };
  }
  if (endTooFarAfterStart(start, end)) {
    return {
      code: 'PASS_TEMPLATE_END_TIME_EXCEED',
      message: `endDate is more than ${API_LIMITS.durationDays.value} days after startDate`,
    };
  }
  return undefined;
}

const has = (value: unknown): boolean => typeof value === 'string' && value.includes(SENSITIVE_MARKER);

function localeTexts(content: JsonObject): { texts: unknown[]; tabUrls: unknown[]; names: unknown[] } {
  const out = { texts: [] as unknown[], tabUrls: [] as unknown[], names: [] as unknown[] };
  for (const info of Object.values(content.localeInfo as Record<string, JsonObject>)) {
    out.names.push(info.name);
    out.texts.push(info.name, info.subName, info.description, info.shops, info.brandName);
    for (const tab of (info.customTabs as JsonObject[] | undefined) ?? []) {
      out.texts.push(tab.label);
      out.tabUrls.push(tab.value);
    }
  }
  return out;
}

/** The content checks AlipayHK runs on images, URLs and text, reachable through SENSITIVE_MARKER. */
function checkSensitive(content: JsonObject): Failure | undefined {
  const { texts, tabUrls } = localeTexts(content);
  if (has(content.imageUrl) || has(content.merchantLogo)) return { code: 'PASS_TEMPLATE_IMAGE_INVALID' };
  if (tabUrls.some(has)) return { code: 'PASS_TEMPLATE_CUSTOMTAB_URL_INVALID' };
  if (has((content.button as JsonObject).btnUrl)) return { code: 'PASS_TEMPLATE_BTN_URL_INVALID' };
  if (texts.some(has)) return { code: 'PASS_TEMPLATE_CONTENT_INVALID' };
  return undefined;
}

export interface ContentCheckOptions {
  now: number;
  /** The stored startDate when updating. */
  previousStart?: number;
}

/** First failing content rule: formats, then dates, then content checks. */
export function checkTemplateContent(body: JsonObject, options: ContentCheckOptions): Failure | undefined {
  return (
    checkFields(body, CONTENT_RULES) ??
    checkButton(body.button as JsonObject) ??
    checkLocales(body.localeInfo as JsonObject) ??
    checkDates(body.startDate as number, body.endDate as number, options.now, options.previousStart) ??
    checkSensitive(body)
  );
}

/** The content fields of a checked body; anything else in it is not stored. */
export function pickContent(body: JsonObject): TemplateContent {
  const content: JsonObject = {};
  for (const field of CONTENT_FIELDS)
    if (body[field] !== undefined && body[field] !== null) content[field] = body[field];
  return content as TemplateContent;
}

export function isFrozenOnCreate(content: JsonObject): boolean {
  return localeTexts(content).names.some((n) => typeof n === 'string' && n.includes(FROZEN_MARKER));
}
