// A campaign set, a state and a plan made from them, for the planner's tests: templates of campaign
// `c` (addresses c/<key>) in campaigns/c.yaml, a state of environment dev with lineage-1 at serial 7.
import type { CampaignSet, DesiredPassBatch, DesiredTemplate, TemplateBody } from '../../campaign/types.js';
import { emptyState, type StateFile, type TemplateState } from '../../state/state-format.js';
import { makePlan } from '../make-plan.js';
import type { PassBatchSummary, PlannedRequest } from '../plan-types.js';
import { desiredTemplate } from './desired.js';

export const NOW = Date.parse('2027-01-01T00:00:00+08:00');
export const START = Date.parse('2027-06-01T00:00:00+08:00');
export const END = Date.parse('2027-08-31T23:59:59+08:00');
export const pos = { file: 'campaigns/c.yaml', line: 3, col: 3 };

export function body(over: Partial<TemplateBody> = {}): TemplateBody {
  return {
    codeStandard: 'QRCODE',
    codeType: 'qrcode',
    endDate: END,
    localeInfo: { en_US: { name: 'Coffee' } },
    product: 'GIFT_CARD',
    startDate: START,
    stock: 100,
    type: 'COUPON',
    ...over,
  };
}

export function desired(key: string, over: Partial<DesiredTemplate> = {}): DesiredTemplate {
  const fields = {
    startDate: { ...pos, line: 5 },
    protect: { ...pos, line: 9 },
    status: { ...pos, line: 8 },
  };
  return desiredTemplate(key, body(), pos, { fields, ...over });
}

export function stateWith(
  templates: Record<string, Partial<TemplateState>>,
  extra: Partial<StateFile> = {},
): StateFile {
  const s = emptyState('dev', 'lineage-1');
  s.serial = 7;
  for (const [address, t] of Object.entries(templates)) {
    s.templates[address] = {
      templateCode: `CODE-${address}`,
      status: 'valid',
      stock: 100,
      protect: false,
      generation: 1,
      requestId: 'r',
      spec: body(),
      superseded: [],
      ...t,
    };
  }
  return { ...s, ...extra };
}

export function set(templates: DesiredTemplate[], extra: Partial<CampaignSet> = {}): CampaignSet {
  return { templates, passes: [], moved: [], removed: [], files: [pos.file], inputHash: 'h', ...extra };
}

export function plan(
  desiredSet: CampaignSet,
  state: StateFile,
  more: Partial<Parameters<typeof makePlan>[0]> = {},
) {
  return makePlan({ environment: 'dev', desired: desiredSet, state, stateExists: true, now: NOW, ...more });
}

/** A request's body by field name, whatever its endpoint. */
export function bodyOf(r: PlannedRequest | undefined): Record<string, unknown> {
  return r?.body ?? {};
}

/** The pass batch c/gift on template c/a. */
export function batch(over: Partial<DesiredPassBatch> = {}): DesiredPassBatch {
  return {
    address: 'c/gift',
    campaign: 'c',
    key: 'gift',
    file: pos.file,
    source: pos,
    template: { address: 'c/a' },
    recipients: '/x/r.csv',
    recipientsDisplay: 'r.csv',
    type: 'COUPON',
    product: 'GIFT_CARD',
    codeInfo: {},
    fields: {},
    ...over,
  };
}

/** What the passes module says of c/gift: 10 recipients, 4 issued, 6 to issue. */
export function summary(over: Partial<PassBatchSummary> = {}): PassBatchSummary {
  return {
    address: 'c/gift',
    recipients: 10,
    alreadyIssued: 4,
    toIssue: 6,
    removed: 1,
    failedBefore: 0,
    inDoubt: 0,
    issuedTotal: 5,
    diagnostics: [],
    ...over,
  };
}
