// `plan --preview`: for a batch whose issued passes change, its sample pass (the first one the
// update reaches) on its template's card before and after, with the dataInfo variables filled in;
// for a batch that takes passes back, what customers lose (pure).
import { formatCount, formatReason } from '../plan/format-values.js';
import type { PassBatchChange, PassSampleContent, Plan } from '../plan/plan-types.js';
import { CLOSE_IMPACT } from '../plan/render-pass-life.js';
import type { StateFile } from '../state/state-format.js';
import type { Body } from './card-fields.js';
import { classes, html, type SafeHtml } from './html.js';
import { sampleCardView } from './template-section.js';
import { type CardView, renderLocaleView } from './template-view.js';
import { LOCALE_NAMES, LOCALES, type Locale } from './text-limits.js';

/** The batches whose passes the plan updates or closes. */
export function changedBatches(plan: Plan): PassBatchChange[] {
  return plan.passBatches.filter((b) => (b.update?.count ?? 0) > 0 || (b.close?.count ?? 0) > 0);
}

/** The template card a batch's passes are shown on: its state's recorded spec, when known. */
function templateBody(state: StateFile, b: PassBatchChange): Body | undefined {
  const address = 'address' in b.template ? b.template.address : undefined;
  const entry = address
    ? state.templates[address]
    : Object.values(state.templates).find((t) => t?.templateCode === b.templateCode);
  return entry?.spec as Body | undefined;
}

function side(title: string, body: Body | undefined, content: PassSampleContent | undefined, locale: Locale) {
  if (!content)
    return html`<div><h3>${title}</h3><div class="empty-side">Not recorded in full (the ledger keeps a hash of what each pass shows).</div></div>`;
  if (!body)
    return html`<div><h3>${title}</h3><pre>${JSON.stringify(content.dataInfo ?? {}, null, 2)}</pre></div>`;
  const view: CardView = sampleCardView(
    content.endDate === undefined ? body : { ...body, endDate: content.endDate },
    'valid',
  );
  const variables = content.dataInfo as CardView['variables'];
  if (variables) view.variables = variables;
  return html`<div><h3>${title}</h3><div class="phone">${renderLocaleView(view, locale)}</div></div>`;
}

export function passChangeSection(state: StateFile, b: PassBatchChange): SafeHtml {
  const u = b.update;
  const c = b.close;
  const body = templateBody(state, b);
  const example = u?.example;
  const reasons = (u?.fields ?? []).map(
    (f) => html`<li>${formatReason({ path: f.path, before: f.before, after: f.after })}</li>`,
  );
  const rows = example
    ? LOCALES.map(
        (locale) =>
          html`<div class="compare" data-locale="${locale}" lang="${locale === 'zh_HK' ? 'zh-HK' : 'en'}">${side(`Before · ${LOCALE_NAMES[locale]}`, body, example.before, locale)}${side(`After · ${LOCALE_NAMES[locale]}`, body, example.after, locale)}</div>`,
      )
    : [];
  const closing =
    c && c.count > 0
      ? html`<div class="banner" role="note">Irreversible: ${formatCount(c.count)} pass(es) are closed (${CLOSE_IMPACT}); a closed pass cannot be given back.</div>`
      : html``;
  const what = [
    ...(u && u.count > 0 ? [`update ${formatCount(u.count)} issued pass(es)`] : []),
    ...(c && c.count > 0 ? [`close ${formatCount(c.count)} pass(es)`] : []),
  ].join(' · ');
  return html`<section class="change" id="${b.address}" data-address="${b.address}" data-action="${b.action}">
<header class="t-head"><h2><span class="${classes({ action: true, irreversible: (c?.count ?? 0) > 0 })}">${what}</span> ${b.address}</h2>
<p class="where">${example ? `sample pass: line ${example.line}, ${example.user}` : 'pass batch'}</p></header>
${closing}
<ul class="reasons">${reasons}</ul>
${rows}
</section>`;
}
