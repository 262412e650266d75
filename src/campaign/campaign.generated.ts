/* Generated from schemas/campaign.schema.json by `npm run gen:types`. Do not edit by hand: change the schema and regenerate. */

/**
 * Template fields shared by every template in this file. Deep-merged under each template: the template's own value wins, lists replace (they are not joined).
 */
export type TemplateDefaults = TemplateSpec;
/**
 * Template type: COUPON (gift card / voucher), CARD (member card) or TICKET. Goes with `product`: COUPON → GIFT_CARD, CARD → MEMBER_CARD, TICKET → PASS, MOVIE, AIR_TICKET, TRAIN_TICKET, BUS_TICKET or SHIP_TICKET.
 */
export type TemplateType = 'COUPON' | 'CARD' | 'TICKET';
/**
 * Product type, which must suit `type`: GIFT_CARD for COUPON, MEMBER_CARD for CARD, and PASS, MOVIE, AIR_TICKET, TRAIN_TICKET, BUS_TICKET or SHIP_TICKET for TICKET.
 */
export type Product =
  | 'GIFT_CARD'
  | 'MEMBER_CARD'
  | 'PASS'
  | 'MOVIE'
  | 'AIR_TICKET'
  | 'TRAIN_TICKET'
  | 'BUS_TICKET'
  | 'SHIP_TICKET';
/**
 * Industry category code: Food (Food & Beverage), CoffeeAndTea (Coffee & Tea), Medical, Cosmetics, Groceries, Ecommerce, Electronics, Games (Electronic Games), Clothing (Clothing & Accessories), Jewellery (Jewellery & Watches), Entertainment, Education, Transportation, Others.
 */
export type Category =
  | 'Food'
  | 'CoffeeAndTea'
  | 'Medical'
  | 'Cosmetics'
  | 'Groceries'
  | 'Ecommerce'
  | 'Electronics'
  | 'Games'
  | 'Clothing'
  | 'Jewellery'
  | 'Entertainment'
  | 'Education'
  | 'Transportation'
  | 'Others';

/**
 * An ipass campaign file: card/coupon templates for the AlipayHK iPass createTemplate API, pass giveaways (createPass) and renames. Checked by `ipass validate`.
 */
export interface CampaignFile {
  /**
   * Campaign name: lowercase letters, digits and hyphens, at most 63. Default: the file name without extension. Addresses are "<campaign>/<key>".
   */
  campaign?: string;
  defaults?: TemplateDefaults;
  /**
   * Card/coupon templates, by key. Each key (lowercase letters, digits, hyphens, at most 63) gives the address "<campaign>/<key>".
   */
  templates?: {
    [k: string]: TemplateSpec;
  };
  /**
   * Pass batches (giveaways), by key. Each key (lowercase letters, digits, hyphens, at most 63) gives the address "<campaign>/<key>". One pass is issued per recipient, never twice.
   */
  passes?: {
    [k: string]: PassBatch | undefined;
  };
  /**
   * Renames: each entry says a template that was known under `from` now lives at `to`, so the new key does not create a new template.
   */
  moved?: MovedEntry[];
  /**
   * Templates to close for good (irreversible), by address "campaign/key". Deleting a template, emptying its file or renaming its key never closes it: only an entry here does. Blocked by `protect: true`. The entry may be deleted once every environment has applied it.
   */
  removed?: string[];
}
/**
 * A card/coupon template: every createTemplate field by its API name (except requestId and merchantId, which ipass adds), plus `status` and `protect`. Fields may come from `defaults`.
 */
export interface TemplateSpec {
  /**
   * When the template starts: ISO-8601 with offset (2027-06-01T00:00:00+08:00) or epoch milliseconds. Must be before endDate and, for a new template, not in the past. Required.
   */
  startDate?: string | number;
  /**
   * When the template ends: ISO-8601 with offset (2027-08-31T23:59:59+08:00) or epoch milliseconds. Required.
   */
  endDate?: string | number;
  type?: TemplateType;
  product?: Product;
  /**
   * How the code is shown: barcode, qrcode, promocode (text promotion code) or none (no code). Required; cannot be changed later (a change replaces the template).
   */
  codeType?: 'barcode' | 'qrcode' | 'promocode' | 'none';
  /**
   * Code standard: CODE128 or EAN-13 for a barcode, QRCODE for a QR code. Required; cannot be changed later.
   */
  codeStandard?: 'CODE128' | 'EAN-13' | 'QRCODE';
  /**
   * Card image, square (1:1, 350×350 px recommended; keep the main content in the top two thirds). http(s), at most 512 characters. Required.
   */
  imageUrl?: string;
  /**
   * Merchant logo image, http(s), at most 512 characters. Required.
   */
  merchantLogo?: string;
  button?: Button;
  localeInfo?: LocaleInfo;
  /**
   * Selling price in cents (1000 = HKD 10.00), 0 to 100,000,000. Optional.
   */
  currentAmountCent?: number;
  /**
   * Original price in cents (1000 = HKD 10.00), 0 to 100,000,000. Optional.
   */
  originalAmountCent?: number;
  /**
   * Currency of the prices, a three-letter ISO 4217 code such as HKD, CNY, USD or JPY. Optional.
   */
  currencyCode?: string;
  /**
   * How many cards may be issued, 1 to 1,000,000. Required. Changing it later adjusts the budget (updateBudget).
   */
  stock?: number;
  /**
   * Where buyers go to get the coupon: an AlipayHK deep link starting alipayhk://, e.g. alipayhk://platformapi/startapp?appId=2160003634300010&page=…; at most 512 characters. Required.
   */
  orderPageLink?: string;
  /**
   * One or two industry categories (codes such as Food, CoffeeAndTea, Cosmetics). Required.
   *
   * @minItems 1
   * @maxItems 2
   */
  categories?: [Category] | [Category, Category];
  /**
   * Other merchant ids where the card can be used, at most 30. Optional.
   *
   * @maxItems 30
   */
  bizMids?: string[];
  /**
   * exposed: AlipayHK may show the card in its in-app areas; hidden: it does not. Required.
   */
  exposure?: 'exposed' | 'hidden';
  /**
   * Extra template information sent as is, e.g. availableStoreIds and availableBrandIds (lists of ids). Optional.
   */
  passExtInfo?: {
    /**
     * Store ids where the card can be used.
     */
    availableStoreIds?: string[];
    /**
     * Brand ids where the card can be used.
     */
    availableBrandIds?: string[];
    [k: string]: unknown | undefined;
  };
  /**
   * ipass only, not sent to createTemplate: valid (default; live), paused (temporarily offline) or closed (offline for good, cannot be undone).
   */
  status?: 'valid' | 'paused' | 'closed';
  /**
   * ipass only: when true, a plan fails rather than close or replace this template. Default false.
   */
  protect?: boolean;
}
/**
 * The button on the card: what it shows (`btnType`) and where it leads (`urlType`, and `btnUrl` for CUSTOM_BTN). Required fields: btnType, urlType.
 */
export interface Button {
  /**
   * Button type: none (no button), usage (use immediately) or payment (opens the wallet's payment QR code page). Required.
   */
  btnType?: 'none' | 'usage' | 'payment';
  /**
   * Where the button leads: CODE_PAY_BTN (payment QR code page), SCAN_PAY_BTN (scan-to-pay page) or CUSTOM_BTN (your own `btnUrl`). Required.
   */
  urlType?: 'CODE_PAY_BTN' | 'SCAN_PAY_BTN' | 'CUSTOM_BTN';
  /**
   * Custom button address, http(s), at most 512 characters. Required when urlType is CUSTOM_BTN.
   */
  btnUrl?: string;
  /**
   * Open btnUrl in the browser (A+ merchants only). Default false.
   */
  browserOpen?: boolean;
}
/**
 * The card's text per language: zh_HK (Traditional Chinese, Chinese limits) and/or en_US (English, English limits); at least one. Other locales are not supported.
 */
export interface LocaleInfo {
  zh_HK?: LocaleTextZhHK;
  en_US?: LocaleTextEnUS;
}
/**
 * Traditional Chinese text (Chinese limits). Required fields: name, description, shops, brandName.
 */
export interface LocaleTextZhHK {
  /**
   * Card name, at most 25 characters in zh_HK. Required.
   */
  name?: string;
  /**
   * Short description shown in AlipayHK's public in-app areas, at most 400 characters. Optional.
   */
  subName?: string;
  /**
   * Card description (terms, how to use), at most 4000 characters in zh_HK. Required.
   */
  description?: string;
  /**
   * Where the card can be redeemed, at most 1000 characters in zh_HK. Required.
   */
  shops?: string;
  /**
   * Brand name, at most 32 characters in zh_HK. Required.
   */
  brandName?: string;
  /**
   * Extra tabs on the card, each opening a web page. Optional; a list here replaces the one in `defaults`.
   */
  customTabs?: CustomTabZhHK[];
}
/**
 * A tab on the card that opens a web page (Chinese text).
 */
export interface CustomTabZhHK {
  /**
   * Tab name, at most 20 characters in zh_HK.
   */
  label: string;
  /**
   * Tab type; only url (the tab opens `value`).
   */
  type: 'url';
  /**
   * The page the tab opens, http(s), at most 512 characters.
   */
  value: string;
}
/**
 * English text (English limits). Required fields: name, description, shops, brandName.
 */
export interface LocaleTextEnUS {
  /**
   * Card name, at most 50 characters in en_US. Required.
   */
  name?: string;
  /**
   * Short description shown in AlipayHK's public in-app areas, at most 400 characters. Optional.
   */
  subName?: string;
  /**
   * Card description (terms, how to use), at most 3000 characters in en_US. Required.
   */
  description?: string;
  /**
   * Where the card can be redeemed, at most 800 characters in en_US. Required.
   */
  shops?: string;
  /**
   * Brand name, at most 64 characters in en_US. Required.
   */
  brandName?: string;
  /**
   * Extra tabs on the card, each opening a web page. Optional; a list here replaces the one in `defaults`.
   */
  customTabs?: CustomTabEnUS[];
}
/**
 * A tab on the card that opens a web page (English text).
 */
export interface CustomTabEnUS {
  /**
   * Tab name, at most 40 characters in en_US.
   */
  label: string;
  /**
   * Tab type; only url (the tab opens `value`).
   */
  type: 'url';
  /**
   * The page the tab opens, http(s), at most 512 characters.
   */
  value: string;
}
/**
 * A pass giveaway: one createPass per recipient row, for a template named by `template` (a key in this file or "campaign/key") or by `templateCode`.
 */
export interface PassBatch {
  /**
   * The template the passes are issued from: a template key in this file, or "campaign/key" for another file. Give this or `templateCode`.
   */
  template?: string;
  /**
   * The templateCode of a template not managed by ipass. Give this or `template`; then `type` and `product` are required.
   */
  templateCode?: string;
  /**
   * CSV file of recipients, relative to this campaign file. Header row with a userId or openId column; optional bizSerialId; any other column can be used as {{column}} in codeInfo, dataInfo and extInfo. Required.
   */
  recipients: string;
  /**
   * Take passes back (irreversible: they disappear from customers' wallets): a CSV file of the recipients whose passes to close, in the recipients file's format and relative to this campaign file, or `all` for every pass issued to the rows of `recipients`. Removing a row from `recipients` never closes its pass.
   */
  revoked?: string;
  /**
   * Template type: COUPON (gift card / voucher), CARD (member card) or TICKET. Goes with `product`: COUPON → GIFT_CARD, CARD → MEMBER_CARD, TICKET → PASS, MOVIE, AIR_TICKET, TRAIN_TICKET, BUS_TICKET or SHIP_TICKET.
   */
  type?: 'COUPON' | 'CARD' | 'TICKET';
  /**
   * Product type, which must suit `type`: GIFT_CARD for COUPON, MEMBER_CARD for CARD, and PASS, MOVIE, AIR_TICKET, TRAIN_TICKET, BUS_TICKET or SHIP_TICKET for TICKET.
   */
  product?:
    | 'GIFT_CARD'
    | 'MEMBER_CARD'
    | 'PASS'
    | 'MOVIE'
    | 'AIR_TICKET'
    | 'TRAIN_TICKET'
    | 'BUS_TICKET'
    | 'SHIP_TICKET';
  /**
   * The code shown on the pass, e.g. { $codemsg$: "{{code}}", $codevalue$: "{{code}}" }; values may use {{column}} placeholders. Required.
   */
  codeInfo: {
    [k: string]: string | undefined;
  };
  /**
   * Values for the template's variables, per locale (zh_HK, en_US), e.g. { en_US: { $shopname$: Demo shop } }; values may use {{column}} placeholders. Required for TICKET passes.
   */
  dataInfo?: {
    /**
     * Variables for the Chinese text.
     */
    zh_HK?: {
      [k: string]: string | undefined;
    };
    /**
     * Variables for the English text.
     */
    en_US?: {
      [k: string]: string | undefined;
    };
  };
  /**
   * Extra information sent with each pass (e.g. paymentOrderId, tradeAmountCent, currencyCode, cardType); string values may use {{column}} placeholders. Optional.
   */
  extInfo?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Issuing scene: FREE_GIVE (a free gift; decides whether the budget is deducted; GIFT_CARD only). Optional.
   */
  publishScene?: 'FREE_GIVE';
  /**
   * When the passes become valid: ISO-8601 with offset or epoch milliseconds. Default: the template's startDate.
   */
  startDate?: string | number;
  /**
   * When the passes expire: ISO-8601 with offset or epoch milliseconds. Default: the template's endDate.
   */
  endDate?: string | number;
}
/**
 * A rename: the template known as `from` is now `to`.
 */
export interface MovedEntry {
  /**
   * The old address "campaign/key"; no template may have it any more.
   */
  from: string;
  /**
   * The new address "campaign/key"; a template must have it.
   */
  to: string;
}
