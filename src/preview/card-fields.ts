// Reading a template's request body for display (pure): the texts of one locale, the prices, the
// dates and the button, tolerant of a body recorded by an older version (a "before" in a plan).
import type { Locale } from './text-limits.js';

export type Body = Readonly<Record<string, unknown>>;

export interface LocaleTexts {
  brandName?: string;
  name?: string;
  subName?: string;
  description?: string;
  shops?: string;
  tabs: { label: string; type: string; value: string }[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The locale's texts, or undefined when the body has no text for it. */
export function localeTexts(body: Body, locale: Locale): LocaleTexts | undefined {
  const info = isObject(body.localeInfo) ? body.localeInfo[locale] : undefined;
  if (!isObject(info)) return undefined;
  const tabs = Array.isArray(info.customTabs)
    ? info.customTabs.filter(isObject).map((t) => ({
        label: str(t.label) ?? '',
        type: str(t.type) ?? '',
        value: str(t.value) ?? '',
      }))
    : [];
  const out: LocaleTexts = { tabs };
  for (const field of ['brandName', 'name', 'subName', 'description', 'shops'] as const) {
    const value = str(info[field]);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

export interface ButtonFields {
  btnType: string;
  urlType: string;
  btnUrl?: string;
  browserOpen: boolean;
}

export function buttonOf(body: Body): ButtonFields | undefined {
  const b = body.button;
  if (!isObject(b)) return undefined;
  const out: ButtonFields = {
    btnType: str(b.btnType) ?? 'none',
    urlType: str(b.urlType) ?? '',
    browserOpen: b.browserOpen === true,
  };
  const url = str(b.btnUrl);
  if (url !== undefined) out.btnUrl = url;
  return out;
}

/** Replace the wallet's `$variable$` markers in a text with a pass's dataInfo values. */
export function fillVariables(text: string, variables: Readonly<Record<string, string>> | undefined): string {
  if (!variables) return text;
  return text.replace(/\$[A-Za-z0-9_]+\$/g, (name) => variables[name] ?? name);
}

/** Whether a field (dotted path) is among the changed paths: the same field, inside it, or around it. */
export function isChanged(changed: readonly string[] | undefined, field: string): boolean {
  if (!changed) return false;
  return changed.some((p) => p === field || p.startsWith(`${field}.`) || field.startsWith(`${p}.`));
}
