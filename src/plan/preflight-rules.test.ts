import { describe, expect, it } from 'vitest';
import type { DesiredPassBatch, DesiredTemplate, TemplateBody } from '../campaign/types.js';
import { emptyState, type StateFile, type TemplateState } from '../state/state-format.js';
import type { PassBatchSummary } from './plan-types.js';
import { type PreflightInput, preflightDiagnostics } from './preflight-rules.js';
import { desiredTemplate } from './testing/desired.js';

const NOW = Date.parse('2027-01-01T00:00:00+08:00');
const DAY = 86_400_000;
const START = Date.parse('2027-06-01T00:00:00+08:00');
const pos = { file: 'campaigns/c.yaml', line: 3, col: 3 };

const body = (over: Partial<TemplateBody> = {}): TemplateBody => ({
  codeStandard: 'QRCODE',
  codeType: 'qrcode',
  endDate: START + 90 * DAY,
  product: 'GIFT_CARD',
  startDate: START,
  stock: 100,
  type: 'COUPON',
  ...over,
});
const desired = (over: Partial<TemplateBody> = {}, more: Partial<DesiredTemplate> = {}): DesiredTemplate =>
  desiredTemplate('a', body(over), pos, {
    fields: { stock: { ...pos, line: 7 }, startDate: { ...pos, line: 5 } },
    ...more,
  });

function state(t: Partial<TemplateState> = {}, address = 'c/a'): StateFile {
  const s = emptyState('dev', 'lineage-1');
  s.templates[address] = {
    templateCode: 'TPL-A',
    status: 'valid',
    stock: 100,
    protect: false,
    generation: 1,
    requestId: 'r',
    spec: body(),
    superseded: [],
    ...t,
  };
  return s;
}

const batch = (address: string): DesiredPassBatch => ({
  address,
  campaign: 'c',
  key: address.split('/')[1] ?? '',
  file: pos.file,
  source: pos,
  template: { address: 'c/a' },
  recipients: '/r.csv',
  recipientsDisplay: 'r.csv',
  type: 'COUPON',
  product: 'GIFT_CARD',
  codeInfo: {},
  fields: {},
});
const summary = (address: string, issuedTotal: number, ledgerTemplateCode = 'TPL-A'): PassBatchSummary => ({
  address,
  recipients: issuedTotal,
  alreadyIssued: issuedTotal,
  toIssue: 0,
  removed: 0,
  failedBefore: 0,
  inDoubt: 0,
  issuedTotal,
  ledgerTemplateCode,
  diagnostics: [],
});

function check(input: Partial<PreflightInput>) {
  return preflightDiagnostics({
    templates: [desired()],
    moved: [],
    batches: [],
    state: state(),
    summaries: new Map(),
    now: NOW,
    ...input,
  });
}

describe('preflightDiagnostics: stock below the passes issued', () => {
  const twoBatches = {
    batches: [batch('c/gift'), batch('c/vip')],
    summaries: new Map([
      ['c/gift', summary('c/gift', 50)],
      ['c/vip', summary('c/vip', 5)],
    ]),
  };

  it('refuses a stock lowered below the passes the ledgers have issued from the template', () => {
    const [d, ...rest] = check({ templates: [desired({ stock: 40 })], ...twoBatches });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'error',
      code: 'TEMPLATE_STOCK_BELOW_ISSUED',
      position: { line: 7 },
      path: '/templates/a/stock',
    });
    expect(d?.message).toContain('from 100 to 40, below the 55 passes already issued from template TPL-A');
    expect(d?.hint).toContain('at least 55 (issued so far: c/gift 50, c/vip 5)');
  });

  it('accepts a stock equal to the passes issued, and any raise', () => {
    expect(check({ templates: [desired({ stock: 55 })], ...twoBatches })).toEqual([]);
    expect(
      check({ templates: [desired({ stock: 200 })], state: state({ stock: 10 }), ...twoBatches }),
    ).toEqual([]);
  });

  it('counts batches no longer in any file from the state, and none issued to another template', () => {
    const s = state();
    s.passBatches['c/old'] = { templateCode: 'TPL-A', ledger: 'x', issued: 30, failed: 0 };
    s.passBatches['c/elsewhere'] = { templateCode: 'TPL-B', ledger: 'y', issued: 500, failed: 0 };
    const diagnostics = check({
      templates: [desired({ stock: 20 })],
      state: s,
      batches: [batch('c/gift')],
      summaries: new Map([['c/gift', summary('c/gift', 10, 'TPL-OLD')]]),
    });
    expect(diagnostics.map((d) => d.hint)).toEqual([
      expect.stringContaining('at least 30 (issued so far: c/old 30)'),
    ]);
  });

  it('says nothing for a replace, a closed template or a close: no updateBudget is sent', () => {
    const low = { stock: 1 };
    expect(check({ templates: [desired({ ...low, codeType: 'barcode' })], ...twoBatches })).toEqual([]);
    expect(check({ templates: [desired(low)], state: state({ status: 'closed' }), ...twoBatches })).toEqual(
      [],
    );
    expect(check({ templates: [desired(low, { status: 'closed' })], ...twoBatches })).toEqual([]);
  });

  it('follows a rename to the state entry of the old address', () => {
    const diagnostics = check({
      templates: [desired({ stock: 1 })],
      state: state({}, 'c/old-a'),
      moved: [{ from: 'c/old-a', to: 'c/a' }],
      ...twoBatches,
    });
    expect(diagnostics.map((d) => d.code)).toEqual(['TEMPLATE_STOCK_BELOW_ISSUED']);
  });
});

describe('preflightDiagnostics: a changed start of an existing template', () => {
  it('says nothing when the start is unchanged, even long past', () => {
    const past = NOW - 100 * DAY;
    expect(
      check({ templates: [desired({ startDate: past })], state: state({ spec: body({ startDate: past }) }) }),
    ).toEqual([]);
  });

  it('warns, as an inferred rule, when the start moves into the past', () => {
    const [d, ...rest] = check({ templates: [desired({ startDate: NOW - DAY })] });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'warning',
      code: 'TEMPLATE_START_MOVED_INTO_PAST',
      position: { line: 5 },
    });
    expect(d?.message).toContain('from 2027-06-01T00:00:00+08:00 to 2026-12-31T00:00:00+08:00');
    expect(d?.message).toContain('PASS_TEMPLATE_START_TIME_LESS_CURRENT');
    expect(d?.hint).toContain('Keep the start it has, 2027-06-01T00:00:00+08:00');
    expect(d?.hint).toContain('inferred');
  });

  it('warns when the start moves more than 730 days ahead', () => {
    const far = NOW + 731 * DAY;
    const diagnostics = check({ templates: [desired({ startDate: far, endDate: far + DAY })] });
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'TEMPLATE_START_TOO_FAR']]);
  });
});
