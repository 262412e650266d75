// `ipass plan --preview DIR` as data (pure): for every change, the card before (the state's recorded
// spec, with what --refresh read from the API) and after (the body the plan sends) side by side,
// the changed fields marked, and closes and replaces marked as irreversible.
import { formatReason, formatSummary } from '../plan/format-values.js';
import type { Plan, TemplateChange } from '../plan/plan-types.js';
import type { StateFile } from '../state/state-format.js';
import { type Body, str } from './card-fields.js';
import { classes, html, type SafeHtml } from './html.js';
import { pages, type SitePage } from './page.js';
import { changedBatches, passChangeSection } from './plan-pass-section.js';
import { factList, sampleCardView, templateFacts } from './template-section.js';
import { renderLocaleView } from './template-view.js';
import { LOCALE_NAMES, LOCALES } from './text-limits.js';

interface Side {
  body: Body;
  status: string;
}

/** The template as it stands before the change: recorded spec and stock, drift folded in. */
export function beforeSide(plan: Plan, state: StateFile, change: TemplateChange): Side | undefined {
  const from = change.movedFrom ?? change.address;
  const entry = Object.hasOwn(state.templates, from) ? state.templates[from] : undefined;
  const pending = state.pending.find((p) => p.endpoint === 'createTemplate' && p.address === from);
  let body: Record<string, unknown>;
  let status: string;
  if (entry) {
    body = { ...entry.spec, stock: entry.stock };
    status = entry.status;
  } else if (pending) {
    body = { ...(pending.spec ?? pending.body) };
    delete body.requestId;
    status = pending.status ?? 'valid';
  } else return undefined;
  for (const d of plan.drift) {
    if (d.address !== change.address) continue;
    if (d.path === 'status') status = String(d.remote);
    else body[d.path] = d.remote;
  }
  return { body, status };
}

/** The template once the change is applied. */
export function afterSide(change: TemplateChange, before: Side | undefined): Side | undefined {
  if (change.record) return { body: change.record.spec, status: change.record.status };
  return before && { body: before.body, status: 'closed' };
}

/** Field paths the plan changes (reasons with a before or an after; notes alone mark nothing). */
function changedPaths(change: TemplateChange): string[] {
  if (change.action === 'create') return [];
  const paths = change.reasons.filter((r) => 'before' in r || 'after' in r).map((r) => r.path);
  if (change.action === 'close') paths.push('status');
  return paths;
}

function closes(change: TemplateChange): boolean {
  return (
    change.action === 'close' ||
    change.action === 'replace' ||
    change.reasons.some((r) => r.path === 'status' && r.after === 'closed')
  );
}

function banner(change: TemplateChange): SafeHtml {
  if (change.action === 'replace')
    return html`<div class="banner" role="note">Irreversible: a new template is created and ${change.templateCode ?? 'the old one'} is closed for good.</div>`;
  if (closes(change))
    return html`<div class="banner" role="note">Irreversible: this closes template ${change.templateCode ?? ''} for good; a closed template cannot be reopened.</div>`;
  return html``;
}

function sideColumn(
  title: string,
  side: Side | undefined,
  locale: (typeof LOCALES)[number],
  changed: string[],
  empty: string,
  closing: boolean,
): SafeHtml {
  if (!side) return html`<div><h3>${title}</h3><div class="empty-side">${empty}</div></div>`;
  const view = sampleCardView(side.body, side.status, changed);
  return html`<div class="${classes({ closing })}"><h3>${title}</h3><div class="phone">${renderLocaleView(view, locale)}</div></div>`;
}

function changeSection(plan: Plan, state: StateFile, change: TemplateChange): SafeHtml {
  const before = beforeSide(plan, state, change);
  const after = afterSide(change, before);
  const changed = changedPaths(change);
  const currency = str(after?.body.currencyCode) ?? str(before?.body.currencyCode);
  const closing = closes(change);
  const rows = LOCALES.map(
    (locale) =>
      html`<div class="compare" data-locale="${locale}" lang="${locale === 'zh_HK' ? 'zh-HK' : 'en'}">${sideColumn(`Before · ${LOCALE_NAMES[locale]}`, before, locale, [], change.action === 'create' ? 'Not created yet.' : 'Not in the state.', closing && change.action !== 'replace')}${sideColumn(`After · ${LOCALE_NAMES[locale]}`, after, locale, changed, 'Nothing after this change.', false)}</div>`,
  );
  const reasons = change.reasons.map((r) => html`<li>${formatReason(r, currency)}</li>`);
  return html`<section class="change" id="${change.address}" data-address="${change.address}" data-action="${change.action}">
<header class="t-head"><h2><span class="${classes({ action: true, irreversible: change.irreversible })}">${change.action}</span> ${change.address}</h2>
<p class="where">${change.templateCode ? `template ${change.templateCode}` : 'new template'}${change.movedFrom ? ` · moved from ${change.movedFrom}` : ''}${change.source ? ` · ${change.source.file}:${change.source.line}` : ''}</p></header>
${banner(change)}
<ul class="reasons">${reasons}</ul>
${after ? factList(templateFacts(after.body, after.status, change.record?.protect), changed) : ''}
${rows}
</section>`;
}

/** The plan's page as `file`, and the copy that loads its images (see page.ts). */
export function planPreviewPages(plan: Plan, state: StateFile, file: string): SitePage[] {
  const shown = plan.changes.filter((c) => c.action !== 'noop');
  const unchanged = plan.changes.length - shown.length;
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  const problems =
    errors.length === 0
      ? html``
      : html`<div class="banner" role="alert">This plan has ${errors.length} error(s) and cannot be applied:<ul>${errors.map((d) => html`<li>${d.code}: ${d.message}</li>`)}</ul></div>`;
  const batches = changedBatches(plan);
  const links = [...shown, ...batches].map((c) => html`<a href="#${c.address}">${c.action} ${c.address}</a>`);
  return pages(file, {
    title: `Plan preview · ${plan.environment}`,
    subtitle: `${formatSummary(plan.summary)}${unchanged > 0 ? ` · ${unchanged} template(s) unchanged` : ''} · state serial ${plan.state.serial}`,
    nav: html`${links}`,
    main: html`${problems}${shown.length === 0 ? html`<p class="note">No template changes: every card stays as it is.</p>` : shown.map((c) => changeSection(plan, state, c))}${batches.map((b) => passChangeSection(state, b))}`,
  });
}
