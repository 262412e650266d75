// Plain-words messages and hints for campaign schema errors whose code the schema names (`x-codes`),
// e.g. "The zh_HK name is 31 characters; the limit is 25." Pure; used as the `refine` hook.
import type { ErrorObject } from 'ajv';
import { closest } from '../diagnostics/closest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isErrorCode } from '../diagnostics/error-codes.js';
import type { JsonPath } from '../diagnostics/yaml-source.js';
import { valueAtPath } from './canonical.js';
import { unknownCategory } from './category-suggestion.js';
import { readDayMonthYear } from './date-suggestion.js';
import { parseDateValue } from './dates.js';
import { genericMessage } from './generic-messages.js';
import { capital, chars, fieldOf, limitOf, owner, quote, slug } from './message-words.js';

type Refinement = Partial<Diagnostic> | undefined;

const PAIRS =
  'COUPON → GIFT_CARD; CARD → MEMBER_CARD; TICKET → PASS, MOVIE, AIR_TICKET, TRAIN_TICKET, BUS_TICKET or SHIP_TICKET';
const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  subName: 'subName',
  description: 'description',
  shops: 'shops text',
  brandName: 'brand name',
  label: 'custom tab label',
};

/** Build the `refine` hook for one document (`root` is the value the errors were found in). */
export function campaignRefine(root: unknown) {
  return (e: ErrorObject, path: JsonPath, value: unknown, current: Diagnostic): Refinement => {
    const refined = messageFor(e, path, value, current.code, root) ?? genericMessage(e, path, value, current);
    const code = refined?.code ?? current.code;
    // Codes shared by templates and pass batches are named for templates in the schema.
    const passCode = `PASS_${code.slice('TEMPLATE_'.length)}`;
    const inPass = path[0] === 'passes' && code.startsWith('TEMPLATE_') && isErrorCode(passCode);
    return inPass ? { ...refined, code: passCode } : refined;
  };
}

/** The message for a code the schema names, if there is a better one than the generic message. */
function messageFor(e: ErrorObject, path: JsonPath, value: unknown, code: string, root: unknown): Refinement {
  return (
    textMessage(e, path, value, code) ??
    choiceMessage(e, path, value, code, root) ??
    nameMessage(path, value, code)
  );
}

/** Texts and links: too long, empty, not an address. */
function textMessage(e: ErrorObject, path: JsonPath, value: unknown, code: string): Refinement {
  const field = fieldOf(path);
  const last = path[path.length - 1];
  switch (code) {
    case 'TEMPLATE_NAME_TOO_LONG':
    case 'TEMPLATE_SUB_NAME_TOO_LONG':
    case 'TEMPLATE_DESCRIPTION_TOO_LONG':
    case 'TEMPLATE_SHOPS_TOO_LONG':
    case 'TEMPLATE_BRAND_NAME_TOO_LONG':
    case 'TEMPLATE_TAB_LABEL_TOO_LONG': {
      const locale = String(path[path.indexOf('localeInfo') + 1]);
      const words = FIELD_WORDS[String(last)] ?? String(last);
      const language = locale === 'zh_HK' ? 'Chinese' : 'English';
      return {
        message: `The ${locale} ${words} is ${chars(value)} characters; the limit is ${limitOf(e)}.`,
        hint: `Shorten it to ${limitOf(e)} characters or fewer (the ${language} limit; every character counts, spaces and punctuation included).`,
      };
    }
    case 'TEMPLATE_TEXT_EMPTY':
      return {
        message: `\`${field}\` of ${owner(path)} is empty.`,
        hint: 'Write the text, or remove the locale if the card has no text in that language.',
      };
    case 'TEMPLATE_ORDER_LINK_SCHEME':
      return {
        message: `\`orderPageLink\` must be an AlipayHK deep link starting alipayhk://, not ${quote(value)}.`,
        hint: 'Use the link of your mini-program page, e.g. alipayhk://platformapi/startapp?appId=2160003634300010&page=pages%2Findex.',
      };
    case 'TEMPLATE_BAD_URL':
      return {
        message: `\`${field}\` of ${owner(path)} is ${quote(value)}, which is not an http(s) address.`,
        hint: 'Write a full address starting https:// (or http://), without spaces.',
      };
    case 'TEMPLATE_URL_TOO_LONG':
      return {
        message: `\`${field}\` of ${owner(path)} is ${chars(value)} characters; the limit is ${limitOf(e)}.`,
        hint: 'Use a shorter address (a link shortener or a shorter image path).',
      };
    case 'TEMPLATE_BTN_URL_REQUIRED':
      return {
        message: `The button of ${owner(path)} has urlType CUSTOM_BTN but no btnUrl.`,
        hint: 'Add `btnUrl: https://…` under `button`, or use urlType CODE_PAY_BTN or SCAN_PAY_BTN.',
      };
    default:
      return undefined;
  }
}

/** Choices and numbers: categories, type and product, code standard, stock, amounts, locales. */
function choiceMessage(
  e: ErrorObject,
  path: JsonPath,
  value: unknown,
  code: string,
  root: unknown,
): Refinement {
  const field = fieldOf(path);
  const last = path[path.length - 1];
  switch (code) {
    case 'TEMPLATE_UNKNOWN_CATEGORY':
      return unknownCategory(e, value);
    case 'TEMPLATE_TOO_MANY_CATEGORIES':
      return {
        message: `${capital(owner(path))} has ${Array.isArray(value) ? value.length : 'too many'} categories; at most 2 are allowed.`,
        hint: 'Keep the one or two categories that fit best.',
      };
    case 'TEMPLATE_NO_CATEGORY':
      return { message: `${capital(owner(path))} has no category.`, hint: 'Give one or two, e.g. [Food].' };
    case 'TEMPLATE_DUPLICATE_CATEGORY':
      return {
        message: `${capital(owner(path))} names the same category twice.`,
        hint: 'List each category once.',
      };
    case 'TEMPLATE_TYPE_PRODUCT_MISMATCH': {
      const type = valueAtPath(root, [...path.slice(0, -1), 'type']);
      const kind = path[0] === 'passes' ? 'pass' : 'template';
      return {
        message: `A ${String(type)} ${kind} cannot have product ${quote(value)}.`,
        hint: `Pick the product that goes with the type: ${PAIRS}.`,
      };
    }
    case 'TEMPLATE_CODE_STANDARD_MISMATCH': {
      const codeType = valueAtPath(root, [...path.slice(0, -1), 'codeType']);
      return {
        message: `codeStandard ${quote(value)} does not suit codeType ${quote(codeType)}.`,
        hint: 'Use QRCODE with qrcode, and CODE128 or EAN-13 with barcode.',
      };
    }
    case 'TEMPLATE_STOCK_OUT_OF_RANGE':
      return {
        message: `\`stock\` of ${owner(path)} is ${quote(value)}; it must be a whole number from 1 to 1,000,000.`,
        hint: 'Set how many cards may be issued, at least 1 and at most 1,000,000.',
      };
    case 'TEMPLATE_AMOUNT_OUT_OF_RANGE':
      return {
        message: `\`${field}\` of ${owner(path)} is ${quote(value)}; amounts are whole cents from 0 to 100,000,000.`,
        hint: 'Write the price in cents: 1000 means HKD 10.00.',
      };
    case 'TEMPLATE_TOO_MANY_BIZ_MIDS':
      return {
        message: `${capital(owner(path))} lists ${Array.isArray(value) ? value.length : 'too many'} bizMids; at most 30 are allowed.`,
        hint: 'Keep at most 30 merchant ids.',
      };
    case 'TEMPLATE_UNKNOWN_LOCALE':
      return unknownLocale(String(last));
    case 'TEMPLATE_NO_LOCALE':
      return {
        message: `\`localeInfo\` of ${owner(path)} has no language.`,
        hint: 'Add zh_HK and/or en_US with name, description, shops and brandName.',
      };
    case 'TEMPLATE_BAD_CURRENCY':
      return {
        message: `\`currencyCode\` is ${quote(value)}, which is not a currency code.`,
        hint: 'Use a three-letter ISO 4217 code in capitals, e.g. HKD, CNY, USD or JPY.',
      };
    default:
      return undefined;
  }
}

/** "Did you mean" first: it usually explains the rest (see explained.ts). */
function unknownLocale(locale: string): Refinement {
  const guess = closest(locale, ['zh_HK', 'en_US']);
  if (!guess)
    return {
      message: `\`${locale}\` is not a supported locale.`,
      hint: 'Use zh_HK (Traditional Chinese) or en_US (English).',
    };
  return {
    message: `\`${locale}\` is not a supported locale: did you mean \`${guess}\`?`,
    hint: `Rename it to ${guess}; the locales are zh_HK (Traditional Chinese) and en_US (English).`,
  };
}

/** Names, addresses and dates. */
function nameMessage(path: JsonPath, value: unknown, code: string): Refinement {
  const last = path[path.length - 1];
  switch (code) {
    case 'TEMPLATE_BAD_KEY':
    case 'PASS_BAD_KEY':
    case 'CAMPAIGN_BAD_NAME': {
      const what =
        code === 'CAMPAIGN_BAD_NAME'
          ? 'campaign name'
          : code === 'PASS_BAD_KEY'
            ? 'pass batch key'
            : 'template key';
      return {
        message: `${quote(value)} is not a valid ${what}.`,
        hint: `Use lowercase letters, digits and hyphens only, at most 63 characters${typeof value === 'string' ? `, e.g. "${slug(value)}"` : ''}.`,
      };
    }
    case 'DATE_INVALID':
      return dateMessage(path, value);
    case 'MOVED_BAD_ADDRESS':
      return {
        message: `\`${String(last)}\` of ${owner(path)} is ${quote(value)}, which is not an address.`,
        hint: 'Write the address as "campaign/key", e.g. "summer-2027/coffee-voucher".',
      };
    case 'REMOVED_BAD_ADDRESS':
      return {
        message: `The \`removed:\` entry ${quote(value)} is not an address.`,
        hint: 'Write the address of the template to close as "campaign/key", e.g. "spring-2027/old-coupon".',
      };
    case 'PASS_BAD_TEMPLATE_REF':
      return {
        message: `\`template\` of ${owner(path)} is ${quote(value)}, which is not a template key or address.`,
        hint: 'Write a template key of this file (coffee-voucher) or "campaign/key"; for a template ipass does not manage, use `templateCode:` instead.',
      };
    case 'CAMPAIGN_UNKNOWN_FIELD':
      if (last === 'requestId' || last === 'merchantId') {
        return {
          message: `\`${last}\` is not written in campaign files.`,
          hint:
            last === 'merchantId'
              ? 'Remove it: the merchantId comes from the environment in ipass.config.yaml.'
              : 'Remove it: ipass makes a requestId for every request, the same one on each retry.',
        };
      }
      return undefined;
    default:
      return undefined;
  }
}

function dateMessage(path: JsonPath, value: unknown): Refinement {
  const field = String(path[path.length - 1]);
  const parsed = parseDateValue(value);
  if (!parsed.ok && parsed.reason === 'no-offset') {
    return {
      code: 'DATE_NO_OFFSET',
      message: `\`${field}\` ${quote(value)} has no UTC offset, so the moment it names is unclear.`,
      hint: `Add the offset, e.g. ${withOffset(String(value), field)} for Hong Kong time, or write epoch milliseconds.`,
    };
  }
  const meant = typeof value === 'string' ? readDayMonthYear(value, field) : undefined;
  if (meant) {
    return {
      message: `\`${field}\` is ${quote(value)}: did you mean ${meant.iso}?`,
      hint: `Write dates as ISO-8601: year-month-day, the time, and +08:00 for Hong Kong time (HKT).${meant.note}`,
    };
  }
  return {
    message: `\`${field}\` is ${quote(value)}, which is not a date ipass understands.`,
    hint: 'Write ISO-8601 with an offset, e.g. 2027-06-01T00:00:00+08:00, or epoch milliseconds such as 1811808000000.',
  };
}

/** The value as it was probably meant, in Hong Kong time (a bare end date means the end of that day). */
function withOffset(value: string, field: string): string {
  if (value.length > 10) return `${value.replace(' ', 'T')}+08:00`;
  return `${value}T${field === 'endDate' ? '23:59:59' : '00:00:00'}+08:00`;
}
