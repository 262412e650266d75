// A template's section of a campaign page (pure): its facts (type, code, stock, status, exposure,
// categories, links), en_US and zh_HK side by side, and the exact request body the views come from.
import { campaignSchema } from '../campaign/campaign-schema.js';
import { formatCount } from '../plan/format-values.js';
import { type Body, isChanged, num, str } from './card-fields.js';
import { codeImage, sampleCodeValue } from './code-image.js';
import { classes, html, type SafeHtml } from './html.js';
import { type CardView, renderLocaleView } from './template-view.js';
import { LOCALE_NAMES, LOCALES } from './text-limits.js';
import { STATUS_MEANING } from './wallet-words.js';

const { enum: CATEGORY_CODES, enumDescriptions: CATEGORY_LABELS } = campaignSchema.definitions.Category;

function categoryLabel(code: string): string {
  const i = (CATEGORY_CODES as readonly string[]).indexOf(code);
  const label = i === -1 ? undefined : CATEGORY_LABELS[i];
  return label ? `${label} (${code})` : code;
}

/** A template's view with a sample code value of its standard (no pass gives one). */
export function sampleCardView(body: Body, status: string, changed?: readonly string[]): CardView {
  const standard = str(body.codeStandard) ?? 'QRCODE';
  const value = sampleCodeValue(standard);
  return {
    body,
    status,
    code: {
      value,
      message: value,
      sample: true,
      image: codeImage(str(body.codeType) ?? '', standard, value),
    },
    ...(changed ? { changed } : {}),
  };
}

/** en_US and zh_HK side by side. */
export function localeColumns(view: CardView, label?: string): SafeHtml {
  const columns = LOCALES.map(
    (locale) =>
      html`<article class="locale" data-locale="${locale}" lang="${locale === 'zh_HK' ? 'zh-HK' : 'en'}"><h3>${label ? `${label} · ` : ''}${LOCALE_NAMES[locale]}</h3><div class="phone">${renderLocaleView(view, locale)}</div></article>`,
  );
  return html`<div class="locales">${columns}</div>`;
}

export interface Fact {
  label: string;
  value: string | SafeHtml;
  field?: string;
}

/** The fields a card does not show but a reviewer wants to see. */
export function templateFacts(body: Body, status: string, protect: boolean | undefined): Fact[] {
  const categories = Array.isArray(body.categories)
    ? body.categories.map((c) => categoryLabel(String(c)))
    : [];
  const bizMids = Array.isArray(body.bizMids) ? body.bizMids.map(String) : [];
  const facts: Fact[] = [
    { label: 'Type', value: `${str(body.type) ?? '?'} / ${str(body.product) ?? '?'}`, field: 'type' },
    {
      label: 'Code',
      value: `${str(body.codeType) ?? '?'} (${str(body.codeStandard) ?? '?'})`,
      field: 'codeType',
    },
    {
      label: 'Stock',
      value: num(body.stock) === undefined ? '?' : formatCount(num(body.stock) ?? 0),
      field: 'stock',
    },
    { label: 'Status', value: `${status}: ${STATUS_MEANING[status] ?? status}`, field: 'status' },
    {
      label: 'Exposure',
      value:
        body.exposure === 'exposed'
          ? 'exposed: may appear in AlipayHK’s in-app areas'
          : `${str(body.exposure) ?? '?'}: not shown in AlipayHK’s in-app areas`,
      field: 'exposure',
    },
    { label: 'Categories', value: categories.join(', ') || '(none)', field: 'categories' },
    { label: 'Order page', value: str(body.orderPageLink) ?? '(none)', field: 'orderPageLink' },
  ];
  if (bizMids.length > 0)
    facts.push({ label: 'Other merchants', value: bizMids.join(', '), field: 'bizMids' });
  if (body.passExtInfo !== undefined)
    facts.push({ label: 'passExtInfo', value: JSON.stringify(body.passExtInfo), field: 'passExtInfo' });
  if (protect) facts.push({ label: 'Protect', value: 'yes: a plan refuses to close or replace it' });
  return facts;
}

export function factList(facts: readonly Fact[], changed?: readonly string[]): SafeHtml {
  const rows = facts.map(
    (f) =>
      html`<div class="${classes({ fact: true, changed: f.field !== undefined && isChanged(changed, f.field) })}"${f.field ? html` data-field="${f.field}"` : ''}><dt>${f.label}</dt><dd>${f.value}</dd></div>`,
  );
  return html`<dl class="facts">${rows}</dl>`;
}

/** The request body, pretty-printed, in a collapsed block. */
export function requestBody(summary: string, body: unknown): SafeHtml {
  return html`<details class="request"><summary>${summary}</summary><pre>${JSON.stringify(body, null, 2)}</pre></details>`;
}

export interface TemplateSectionInput {
  address: string;
  key: string;
  /** "file:line" where the template is written. */
  where: string;
  body: Body;
  status: string;
  protect: boolean;
  /** The template's code in the environment, when it exists there. */
  templateCode?: string;
  environment: string;
}

export function templateSection(t: TemplateSectionInput): SafeHtml {
  const facts = templateFacts(t.body, t.status, t.protect);
  facts.unshift({
    label: `In ${t.environment}`,
    value: t.templateCode ? `template ${t.templateCode}` : 'not created yet (apply creates it)',
  });
  return html`<section class="template" id="${t.key}" data-address="${t.address}">
<header class="t-head"><h2>${t.address}</h2><p class="where">${t.where}</p></header>
${factList(facts)}
${localeColumns(sampleCardView(t.body, t.status))}
${requestBody('createTemplate request body, exactly as sent (ipass adds requestId and merchantId)', t.body)}
</section>`;
}
