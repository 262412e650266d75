// A pass batch's section of a campaign page (pure): one sample pass, the first recipient row's
// {{column}} values filled in exactly as apply fills them, shown on its template's card.
import type { DesiredPassBatch, DesiredTemplate } from '../campaign/types.js';
import { type PassBase, passRequest } from '../passes/pass-request.js';
import { fillContent } from '../passes/placeholders.js';
import { lookupFor } from '../passes/recipient-rows.js';
import { displayHongKongTime } from '../plan/format-values.js';
import { str } from './card-fields.js';
import { codeImage } from './code-image.js';
import { html, type SafeHtml } from './html.js';
import type { PassSample } from './pass-sample.js';
import { type Fact, factList, localeColumns, requestBody } from './template-section.js';
import type { CardView } from './template-view.js';
import type { Locale } from './text-limits.js';

export interface PassSectionInput {
  batch: DesiredPassBatch;
  /** The batch's template, when it is one of the campaign files' templates. */
  template: DesiredTemplate | undefined;
  /** The template's code in the environment, when known. */
  templateCode: string | undefined;
  sample: PassSample;
  /** bizCreate of the sample body (the moment the preview is made). */
  now: number;
}

const NOT_YET = '(the code createTemplate returns)';

export function passSection(input: PassSectionInput): SafeHtml {
  const { batch, template, sample } = input;
  const target =
    'address' in batch.template ? batch.template.address : `templateCode ${batch.template.templateCode}`;
  const head = html`<header class="t-head"><h2>Sample pass · ${batch.address}</h2><p class="where">${batch.file}:${batch.source.line} · template ${target} · recipients ${batch.recipientsDisplay}</p></header>`;
  if (!sample.ok) {
    return html`<section class="pass" id="pass-${batch.key}" data-address="${batch.address}">${head}<div class="problem" role="alert">No sample pass: ${sample.problem}.</div></section>`;
  }
  const filled = fillContent(sample.content, lookupFor(sample.layout, sample.recipient));
  const value = filled.codeInfo.$codevalue$ ?? filled.codeInfo.$codemsg$ ?? '';
  const message = filled.codeInfo.$codemsg$ ?? value;
  const row = sample.layout.header
    .map((column, i) => `${column} ${sample.recipient.fields[i] ?? ''}`)
    .join(', ');
  const facts: Fact[] = [
    {
      label: 'First recipient',
      value: `line ${sample.recipient.line} of ${batch.recipientsDisplay}: ${row}`,
    },
    {
      label: 'bizSerialId',
      value: `${sample.recipient.bizSerialId}${sample.recipient.derived ? ' (derived)' : ''}`,
    },
    { label: 'codeInfo', value: JSON.stringify(filled.codeInfo) },
  ];
  if (filled.dataInfo) facts.push({ label: 'dataInfo', value: JSON.stringify(filled.dataInfo) });
  if (filled.extInfo) facts.push({ label: 'extInfo', value: filled.extInfo });
  if (batch.publishScene) facts.push({ label: 'publishScene', value: batch.publishScene });

  let card: SafeHtml;
  let body: SafeHtml = html``;
  if (template) {
    const b = template.body;
    const view: CardView = {
      body: b,
      status: template.status,
      code: {
        value,
        message,
        sample: false,
        image: codeImage(str(b.codeType) ?? '', str(b.codeStandard) ?? '', value),
      },
    };
    const variables = filled.dataInfo as Partial<Record<Locale, Record<string, string>>> | undefined;
    if (variables) view.variables = variables;
    card = localeColumns(view, 'this pass');
    const base: PassBase = {
      templateCode: input.templateCode ?? NOT_YET,
      startDate: batch.startDate ?? b.startDate,
      endDate: batch.endDate ?? b.endDate,
      type: batch.type,
      product: batch.product,
    };
    if (batch.publishScene !== undefined) base.publishScene = batch.publishScene;
    facts.push({
      label: 'Valid',
      value: `${displayHongKongTime(base.startDate)} to ${displayHongKongTime(base.endDate)}${batch.startDate === undefined ? ' (the template’s dates)' : ''}`,
    });
    const request = passRequest(base, sample.content, sample.layout, sample.recipient, input.now);
    body = requestBody('createPass request body for this row (bizCreate is the moment it is sent)', request);
  } else {
    card = html`<div class="note">The template ${target} is not one of these campaign files’ templates, so its card is not shown; the pass shows code ${message}.</div>`;
  }
  return html`<section class="pass" id="pass-${batch.key}" data-address="${batch.address}">${head}${factList(facts)}${card}${body}</section>`;
}
