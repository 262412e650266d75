// The API's limits on a template's texts, read from schemas/campaign.schema.json (the single source
// of truth), and lengths counted the way the schema check counts them. Pure.
import { schemaNodeAt } from '../campaign/generic-messages.js';

/** The two locales the wallet shows, in the order the preview puts them side by side. */
export const LOCALES = ['en_US', 'zh_HK'] as const;
export type Locale = (typeof LOCALES)[number];

export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en_US: 'English (en_US)',
  zh_HK: 'Traditional Chinese (zh_HK)',
};

/** The text fields of `localeInfo.<locale>`. */
export type TextField = 'name' | 'subName' | 'description' | 'shops' | 'brandName';

const cache = new Map<string, number | undefined>();

function maxLengthAt(path: readonly (string | number)[]): number | undefined {
  const key = path.join('/');
  if (!cache.has(key)) {
    const node = schemaNodeAt(['templates', 'preview', ...path]) as { maxLength?: unknown } | undefined;
    cache.set(key, typeof node?.maxLength === 'number' ? node.maxLength : undefined);
  }
  return cache.get(key);
}

/** Most characters the API takes for a text of a locale (undefined when the schema sets none). */
export function textLimit(locale: Locale, field: TextField): number | undefined {
  return maxLengthAt(['localeInfo', locale, field]);
}

export function tabLabelLimit(locale: Locale): number | undefined {
  return maxLengthAt(['localeInfo', locale, 'customTabs', 0, 'label']);
}

/** Length as the schema check counts it: Unicode code points (an emoji is one). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
