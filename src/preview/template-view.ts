// One template in one locale as the wallet shows it (pure): the card in the list (logo, brand, name,
// sub-name, price, validity, status) and the detail view (image, texts, code, button, tabs,
// description, shops). Every text carries its length against the API's limit.

import { escapeControl } from '../diagnostics/terminal-text.js';
import { displayHongKongTime, formatMoney } from '../plan/format-values.js';
import {
  type Body,
  buttonOf,
  fillVariables,
  isChanged,
  type LocaleTexts,
  localeTexts,
  num,
  str,
} from './card-fields.js';
import type { CodeImage } from './code-image.js';
import { classes, html, type SafeHtml } from './html.js';
import { imageOrigin } from './page.js';
import { type Locale, type TextField, tabLabelLimit, textLength, textLimit } from './text-limits.js';
import { buttonTarget, WORDS } from './wallet-words.js';

export interface CardCode {
  /** What the code encodes. */
  value: string;
  /** The text shown with the code ($codemsg$). */
  message: string;
  /** True for a template's made-up sample, false for a pass's real value. */
  sample: boolean;
  image: CodeImage;
}

export interface CardView {
  body: Body;
  status: string;
  code: CardCode;
  /** A sample pass's dataInfo values per locale ($name$ → value). */
  variables?: Partial<Record<Locale, Readonly<Record<string, string>>>>;
  /** Paths of changed fields (plan preview): these are marked. */
  changed?: readonly string[];
}

/** The list card and the detail view of one locale, or a note when the template has no text for it. */
export function renderLocaleView(view: CardView, locale: Locale): SafeHtml {
  const texts = localeTexts(view.body, locale);
  if (!texts) {
    return html`<div class="no-locale" data-field="localeInfo.${locale}">${WORDS[locale].noText}</div>`;
  }
  return html`${listCard(view, locale, texts)}${detailView(view, locale, texts)}`;
}

function field(
  view: CardView,
  locale: Locale,
  name: TextField,
  value: string | undefined,
  cls: string,
): SafeHtml {
  if (value === undefined) return html``;
  const path = `localeInfo.${locale}.${name}`;
  const shown = fillVariables(value, view.variables?.[locale]);
  return html`<div class="${classes({ field: true, [cls]: true, changed: isChanged(view.changed, path) })}" data-field="${path}"><span class="txt">${shown}</span>${lengthBadge(value, textLimit(locale, name))}</div>`;
}

function lengthBadge(value: string, limit: number | undefined): SafeHtml {
  const n = textLength(value);
  if (limit === undefined) return html`<span class="len" title="${n} characters">${n}</span>`;
  const over = n > limit;
  return html`<span class="${classes({ len: true, over, full: n === limit })}" title="${n} of at most ${limit} characters">${n}/${limit}</span>`;
}

/**
 * An image with a visible placeholder naming its host and address. Nothing is loaded until the reader
 * asks (see page.ts): the address waits in data-src, and the box shows the placeholder until the image
 * has loaded. A small box (a logo) shows only its name; `placeholderLine` names the address next to it.
 */
export function imageBox(
  url: unknown,
  what: string,
  cls: string,
  changed: boolean,
  path: string,
  small = false,
): SafeHtml {
  const address = str(url);
  const origin = address === undefined ? undefined : imageOrigin(address);
  const box = classes({ imgbox: true, [cls]: true, broken: true, changed });
  const placeholder = small
    ? html`<span class="ph" aria-hidden="true">${what}</span>`
    : html`<span class="ph" lang="en" data-placeholder="${path}"><b>${what} not loaded</b><span class="host">${origin ? `from ${origin.replace(/^https?:\/\//, '')}` : 'no loadable address'}</span><span class="url">${address === undefined ? '(no address in the template)' : escapeControl(address)}</span></span>`;
  if (!origin || address === undefined)
    return html`<div class="${box}" data-field="${path}">${placeholder}</div>`;
  return html`<div class="${box}" data-field="${path}"><img data-src="${address}" alt="${what}" referrerpolicy="no-referrer">${placeholder}</div>`;
}

/** The line naming a small image's address, shown (by CSS) only while its box is broken. */
function placeholderLine(url: unknown, what: string, path: string): SafeHtml {
  const address = str(url);
  return html`<div class="ph-line" lang="en" data-placeholder="${path}">${what} not loaded: <span class="url">${address === undefined ? '(no address in the template)' : escapeControl(address)}</span></div>`;
}

/** The price as the wallet writes it: "Free" / 「免費」 for nothing, else the amount and currency. */
function price(view: CardView, locale: Locale, cls: string): SafeHtml {
  const b = view.body;
  const currency = str(b.currencyCode) ?? 'HKD';
  const current = num(b.currentAmountCent);
  const original = num(b.originalAmountCent);
  const changed = ['currentAmountCent', 'originalAmountCent', 'currencyCode'].some((p) =>
    isChanged(view.changed, p),
  );
  if (current === undefined && original === undefined)
    return html`<div class="${classes({ [cls]: true, note: true, changed })}" data-field="currentAmountCent">(no price)</div>`;
  const now = current ?? original ?? 0;
  const was = current !== undefined && original !== undefined && original !== current ? original : undefined;
  const shown = now === 0 ? WORDS[locale].free : formatMoney(now, currency);
  return html`<div class="${classes({ [cls]: true, changed })}" data-field="currentAmountCent"><b class="now">${shown}</b>${was === undefined ? '' : html` <s class="was">${formatMoney(was, currency)}</s>`}</div>`;
}

function validity(view: CardView, locale: Locale, cls: string): SafeHtml {
  const w = WORDS[locale];
  const start = num(view.body.startDate);
  const end = num(view.body.endDate);
  const changed = isChanged(view.changed, 'startDate') || isChanged(view.changed, 'endDate');
  const day = (ms: number | undefined): string =>
    ms === undefined ? '?' : displayHongKongTime(ms).replace(/ HKT$/, '');
  return html`<div class="${classes({ [cls]: true, changed })}" data-field="startDate">${w.valid} ${day(start)} ${w.until} ${day(end)} (${w.hkt})</div>`;
}

function statusPill(view: CardView, locale: Locale): SafeHtml {
  const label = WORDS[locale].status[view.status] ?? view.status;
  return html`<span class="${classes({ status: true, [`status-${view.status}`]: true, changed: isChanged(view.changed, 'status') })}" data-field="status">${label}</span>`;
}

function listCard(view: CardView, locale: Locale, t: LocaleTexts): SafeHtml {
  return html`<div class="list-card" data-part="list-card">
<div class="lc-main">${imageBox(view.body.merchantLogo, 'Logo', 'lc-logo', isChanged(view.changed, 'merchantLogo'), 'merchantLogo', true)}
<div class="lc-body">${field(view, locale, 'brandName', t.brandName, 'lc-brand')}${field(view, locale, 'name', t.name, 'lc-name')}${field(view, locale, 'subName', t.subName, 'lc-sub')}${price(view, locale, 'lc-price')}${validity(view, locale, 'lc-valid')}</div>
${statusPill(view, locale)}</div>
${placeholderLine(view.body.merchantLogo, 'Logo', 'merchantLogo')}
</div>`;
}

function codeBlock(view: CardView): SafeHtml {
  const { code } = view;
  const b = view.body;
  const kind = `${str(b.codeType) ?? '?'} · ${str(b.codeStandard) ?? '?'}`;
  const changed = isChanged(view.changed, 'codeType') || isChanged(view.changed, 'codeStandard');
  const note = code.sample ? 'sample value' : 'this pass';
  const image = code.image;
  let body: SafeHtml;
  if (image.kind === 'none') body = html`<div class="note">No code is shown (codeType none).</div>`;
  else if (image.kind === 'text') body = html`<div class="promo" data-code-text>${code.message}</div>`;
  else if (image.kind === 'problem')
    body = html`<div class="code-problem" role="alert">This code cannot be drawn: ${image.problem}.</div>`;
  else
    body = html`<div class="${image.standard === 'QRCODE' ? 'qr' : 'barcode'}" data-code="${image.standard}">${image.svg}</div><div class="code-msg" data-code-text>${code.message}</div>`;
  return html`<div class="${classes({ 'd-code': true, changed })}" data-field="codeStandard" data-code-value="${code.value}">${body}<div class="annot" lang="en">${kind} · ${note}</div></div>`;
}

function button(view: CardView, locale: Locale): SafeHtml {
  const b = buttonOf(view.body);
  const changed = isChanged(view.changed, 'button');
  if (!b || b.btnType === 'none')
    return html`<div class="${classes({ 'd-button-none': true, note: true, changed })}" data-field="button">No button (btnType none)</div>`;
  const label = WORDS[locale].button[b.btnType] ?? b.btnType;
  return html`<div class="${classes({ 'd-button-row': true, changed })}" data-field="button"><span class="d-button">${label}</span><div class="annot" lang="en">${b.btnType}: ${buttonTarget(b.urlType, b.btnUrl, b.browserOpen)}</div></div>`;
}

function tabs(view: CardView, locale: Locale, t: LocaleTexts): SafeHtml {
  if (t.tabs.length === 0) return html``;
  const path = `localeInfo.${locale}.customTabs`;
  const limit = tabLabelLimit(locale);
  const items = t.tabs.map(
    (tab) =>
      html`<li class="field tab"><span class="txt">${tab.label}</span>${lengthBadge(tab.label, limit)}<span class="annot url" lang="en">${tab.value}</span></li>`,
  );
  return html`<ul class="${classes({ 'd-tabs': true, changed: isChanged(view.changed, path) })}" data-field="${path}" aria-label="${WORDS[locale].tabs}">${items}</ul>`;
}

/** A sample pass's dataInfo values for the locale, as the pass carries them. */
function passData(view: CardView, locale: Locale): SafeHtml {
  const vars = Object.entries(view.variables?.[locale] ?? {});
  if (vars.length === 0) return html``;
  const rows = vars.map(([name, value]) => html`<div class="fact"><dt>${name}</dt><dd>${value}</dd></div>`);
  return html`<div class="d-vars" data-field="dataInfo.${locale}"><dl class="facts">${rows}</dl><div class="annot" lang="en">dataInfo.${locale} of this pass</div></div>`;
}

function section(title: string, content: SafeHtml): SafeHtml {
  return html`<section class="d-section"><h5>${title}</h5>${content}</section>`;
}

function detailView(view: CardView, locale: Locale, t: LocaleTexts): SafeHtml {
  const w = WORDS[locale];
  return html`<div class="detail" data-part="detail">
<div class="d-hero">${imageBox(view.body.imageUrl, 'Card image', 'd-image', isChanged(view.changed, 'imageUrl'), 'imageUrl')}</div>
<div class="d-brand">${imageBox(view.body.merchantLogo, 'Logo', 'd-logo', isChanged(view.changed, 'merchantLogo'), 'merchantLogo', true)}${field(view, locale, 'brandName', t.brandName, 'd-brandname')}</div>
${field(view, locale, 'name', t.name, 'd-name')}${field(view, locale, 'subName', t.subName, 'd-sub')}
<div class="d-meta">${price(view, locale, 'd-price')}${validity(view, locale, 'd-valid')}${statusPill(view, locale)}</div>
${codeBlock(view)}
${passData(view, locale)}
${button(view, locale)}
${tabs(view, locale, t)}
${section(w.description, field(view, locale, 'description', t.description, 'd-text'))}
${section(w.shops, field(view, locale, 'shops', t.shops, 'd-text'))}
</div>`;
}
