// `ipass preview` as data (pure): the loaded campaigns → an index page and one page per campaign,
// each template drawn from its normalized createTemplate body (what apply sends), each pass batch
// from its first recipient row.
import type { CampaignSet, DesiredPassBatch, DesiredTemplate } from '../campaign/types.js';
import { localeTexts } from './card-fields.js';
import { html, type SafeHtml } from './html.js';
import { pages, type SitePage } from './page.js';
import type { PassSample } from './pass-sample.js';
import { passSection } from './pass-section.js';
import { templateSection } from './template-section.js';

export interface SiteInput {
  set: CampaignSet;
  environment: string;
  /** Template code by address, for the templates the environment's state knows. */
  templateCodes: ReadonlyMap<string, string>;
  /** Sample pass by batch address. */
  samples: ReadonlyMap<string, PassSample>;
  /** Epoch ms: bizCreate of the sample createPass bodies. */
  now: number;
}

export type { SitePage } from './page.js';

export const INDEX_FILE = 'index.html';

/** The page of a campaign (campaign names are [a-z0-9-], so this is a safe file name). */
export function campaignFile(campaign: string): string {
  return `campaign-${campaign}.html`;
}

interface CampaignGroup {
  name: string;
  files: string[];
  templates: DesiredTemplate[];
  passes: DesiredPassBatch[];
}

function groups(set: CampaignSet): CampaignGroup[] {
  const byName = new Map<string, CampaignGroup>();
  const group = (name: string): CampaignGroup => {
    let g = byName.get(name);
    if (!g) {
      g = { name, files: [], templates: [], passes: [] };
      byName.set(name, g);
    }
    return g;
  };
  for (const t of set.templates) {
    const g = group(t.campaign);
    g.templates.push(t);
    if (!g.files.includes(t.file)) g.files.push(t.file);
  }
  for (const b of set.passes) {
    const g = group(b.campaign);
    g.passes.push(b);
    if (!g.files.includes(b.file)) g.files.push(b.file);
  }
  const sorted = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const g of sorted) {
    g.templates.sort((a, b) => (a.key < b.key ? -1 : 1));
    g.passes.sort((a, b) => (a.key < b.key ? -1 : 1));
  }
  return sorted;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The index and one page per campaign; a page that names images also comes with the copy that loads them. */
export function buildSite(input: SiteInput): SitePage[] {
  const all = groups(input.set);
  const templatesByAddress = new Map(input.set.templates.map((t) => [t.address, t]));
  const site: SitePage[] = indexPage(input, all);
  for (const g of all) site.push(...campaignPage(input, g, templatesByAddress));
  return site;
}

function campaignPage(
  input: SiteInput,
  g: CampaignGroup,
  templates: ReadonlyMap<string, DesiredTemplate>,
): SitePage[] {
  const sections: SafeHtml[] = g.templates.map((t) => {
    const code = input.templateCodes.get(t.address);
    return templateSection({
      address: t.address,
      key: t.key,
      where: `${t.file}:${t.source.line}`,
      body: t.body,
      status: t.status,
      protect: t.protect,
      environment: input.environment,
      ...(code ? { templateCode: code } : {}),
    });
  });
  for (const b of g.passes) {
    const template = 'address' in b.template ? templates.get(b.template.address) : undefined;
    const code =
      'templateCode' in b.template ? b.template.templateCode : input.templateCodes.get(b.template.address);
    const sample = input.samples.get(b.address) ?? { ok: false, problem: 'the recipients file was not read' };
    sections.push(passSection({ batch: b, template, templateCode: code, sample, now: input.now }));
  }
  const links = [
    html`<a href="${INDEX_FILE}">← All campaigns</a>`,
    ...g.templates.map((t) => html`<a href="#${t.key}">${t.key}</a>`),
    ...g.passes.map((b) => html`<a href="#pass-${b.key}">${b.key} (sample pass)</a>`),
  ];
  return pages(campaignFile(g.name), {
    title: `Campaign ${g.name}`,
    subtitle: `${g.files.join(', ')} · ${plural(g.templates.length, 'template')}, ${plural(g.passes.length, 'pass batch', 'pass batches')} · environment ${input.environment}`,
    nav: html`${links}`,
    main: html`${sections}`,
  });
}

function templateLine(t: DesiredTemplate): SafeHtml {
  const en = localeTexts(t.body, 'en_US')?.name;
  const zh = localeTexts(t.body, 'zh_HK')?.name;
  const names = [en, zh].filter((n) => n !== undefined).join(' · ');
  return html`<li><a href="${campaignFile(t.campaign)}#${t.key}">${t.key}</a>: <span>${names}</span> <span class="note">(${t.status})</span></li>`;
}

function indexPage(input: SiteInput, all: readonly CampaignGroup[]): SitePage[] {
  const items = all.map(
    (g) => html`<li data-campaign="${g.name}"><h2><a href="${campaignFile(g.name)}">${g.name}</a></h2>
<div class="note">${g.files.join(', ')}</div>
<ul>${g.templates.map(templateLine)}${g.passes.map((b) => html`<li><a href="${campaignFile(g.name)}#pass-${b.key}">${b.key}</a>: sample pass from ${b.recipientsDisplay}</li>`)}</ul></li>`,
  );
  const t = input.set.templates.length;
  const p = input.set.passes.length;
  return pages(INDEX_FILE, {
    title: 'Campaign preview',
    subtitle: `${plural(all.length, 'campaign')}, ${plural(t, 'template')}, ${plural(p, 'pass batch', 'pass batches')} · environment ${input.environment}`,
    main:
      all.length === 0
        ? html`<p class="note">No templates or pass batches in these campaign files.</p>`
        : html`<ul class="index-list">${items}</ul>`,
  });
}
