import { describe, expect, it } from 'vitest';
import type { CampaignSet, DesiredPassBatch, DesiredTemplate, TemplateBody } from '../campaign/types.js';
import { createRequestId, emptyState, type StateFile, type TemplateState } from '../state/state-format.js';
import { makePlan, planHasChanges, planHasErrors } from './make-plan.js';
import type { PassBatchSummary, RemoteTemplate } from './plan-types.js';
import { desiredTemplate } from './testing/desired.js';

const NOW = Date.parse('2027-01-01T00:00:00+08:00');
const START = Date.parse('2027-06-01T00:00:00+08:00');
const END = Date.parse('2027-08-31T23:59:59+08:00');
const pos = { file: 'campaigns/c.yaml', line: 3, col: 3 };

function body(over: Partial<TemplateBody> = {}): TemplateBody {
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

function desired(key: string, over: Partial<DesiredTemplate> = {}): DesiredTemplate {
  const fields = {
    startDate: { ...pos, line: 5 },
    protect: { ...pos, line: 9 },
    status: { ...pos, line: 8 },
  };
  return desiredTemplate(key, body(), pos, { fields, ...over });
}

function stateWith(
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

function set(templates: DesiredTemplate[], extra: Partial<CampaignSet> = {}): CampaignSet {
  return { templates, passes: [], moved: [], removed: [], files: [pos.file], inputHash: 'h', ...extra };
}

function plan(desiredSet: CampaignSet, state: StateFile, more: Partial<Parameters<typeof makePlan>[0]> = {}) {
  return makePlan({ environment: 'dev', desired: desiredSet, state, stateExists: true, now: NOW, ...more });
}

describe('makePlan: templates', () => {
  it('creates a new address with a deterministic requestId, and pauses after creating when asked', () => {
    const p = plan(set([desired('a'), desired('b', { status: 'paused' })]), stateWith({}));
    const [a, b] = p.changes;
    expect(a).toMatchObject({ address: 'c/a', action: 'create', irreversible: false });
    expect(a?.requests).toEqual([
      { endpoint: 'createTemplate', body: { requestId: createRequestId('lineage-1', 'c/a', 1), ...body() } },
    ]);
    expect(b?.requests.map((r) => [r.endpoint, r.body.status, r.templateCodeFrom])).toEqual([
      ['createTemplate', undefined, undefined],
      ['switchStatus', 'paused', 'created'],
    ]);
    expect(p.summary).toMatchObject({ create: 2, noop: 0 });
    expect(planHasChanges(p)).toBe(true);
  });

  it('uses the next attempt number after an earlier create attempt', () => {
    const p = plan(set([desired('a')]), stateWith({}, { createAttempts: { 'c/a': 3 } }));
    expect(p.changes[0]?.requests[0]?.body.requestId).toBe(createRequestId('lineage-1', 'c/a', 4));
    expect(p.changes[0]?.record?.generation).toBe(4);
  });

  it('is a no-op when nothing changed', () => {
    const p = plan(set([desired('a')]), stateWith({ 'c/a': {} }));
    expect(p.changes).toMatchObject([{ action: 'noop', requests: [] }]);
    expect(planHasChanges(p)).toBe(false);
  });

  it('updates content with updateTemplate carrying content fields only, and says what changed', () => {
    const d = desired('a', { body: body({ localeInfo: { en_US: { name: 'Coffee voucher' } } }) });
    const [c] = plan(set([d]), stateWith({ 'c/a': {} })).changes;
    expect(c?.action).toBe('update');
    expect(c?.reasons).toEqual([
      { path: 'localeInfo.en_US.name', before: 'Coffee', after: 'Coffee voucher' },
    ]);
    expect(c?.requests).toEqual([
      {
        endpoint: 'updateTemplate',
        body: {
          templateCode: 'CODE-c/a',
          endDate: END,
          localeInfo: { en_US: { name: 'Coffee voucher' } },
          startDate: START,
        },
      },
    ]);
  });

  it("changes stock by reading it at the API, then updateBudget to the files' value", () => {
    const up = plan(set([desired('a', { body: body({ stock: 150 }) })]), stateWith({ 'c/a': {} })).changes[0];
    expect(up?.action).toBe('stock');
    expect(up?.reasons).toContainEqual({ path: 'stock', before: 100, after: 150 });
    // The difference is worked out at apply time from the detail read, never from the state.
    expect(up?.requests).toEqual([
      { endpoint: 'detail', body: { templateCode: 'CODE-c/a' } },
      { endpoint: 'updateBudget', body: { templateCode: 'CODE-c/a' }, stockTarget: 150 },
    ]);
    const down = plan(set([desired('a', { body: body({ stock: 40 }) })]), stateWith({ 'c/a': {} }))
      .changes[0];
    expect(down?.requests[1]).toMatchObject({ endpoint: 'updateBudget', stockTarget: 40 });
  });

  it('switches status, refuses transitions the API forbids', () => {
    const paused = plan(set([desired('a', { status: 'paused' })]), stateWith({ 'c/a': {} }));
    expect(paused.changes[0]).toMatchObject({
      action: 'status',
      requests: [{ endpoint: 'switchStatus', body: { status: 'paused' } }],
    });
    const fromExpired = plan(
      set([desired('a', { status: 'paused' })]),
      stateWith({ 'c/a': { status: 'expired' } }),
    );
    expect(fromExpired.diagnostics.map((d) => d.code)).toEqual(['TEMPLATE_STATUS_TRANSITION']);
    expect(planHasErrors(fromExpired)).toBe(true);
  });

  it('closing through status is irreversible and blocked by protect', () => {
    const closing = plan(set([desired('a', { status: 'closed' })]), stateWith({ 'c/a': {} }));
    expect(closing.changes[0]).toMatchObject({ action: 'status', irreversible: true });
    const guarded = plan(set([desired('a', { status: 'closed', protect: true })]), stateWith({ 'c/a': {} }));
    expect(guarded.diagnostics).toMatchObject([{ code: 'TEMPLATE_PROTECTED', position: { line: 9 } }]);
  });

  it('replaces on an immutable field: create anew, then close the old one; protect blocks it', () => {
    const d = desired('a', { body: body({ codeType: 'barcode', codeStandard: 'CODE128' }) });
    const p = plan(set([d]), stateWith({ 'c/a': {} }));
    const [c] = p.changes;
    expect(c).toMatchObject({ action: 'replace', irreversible: true, templateCode: 'CODE-c/a' });
    expect(
      c?.requests.map((r) => `${r.endpoint}:${r.body.templateCode ?? ''}:${r.body.status ?? ''}`),
    ).toEqual(['createTemplate::', 'switchStatus:CODE-c/a:closed']);
    expect(c?.requests[0]?.body.requestId).toBe(createRequestId('lineage-1', 'c/a', 2));
    const guarded = plan(set([{ ...d, protect: true }]), stateWith({ 'c/a': {} }));
    expect(guarded.diagnostics.map((x) => x.code)).toEqual(['TEMPLATE_PROTECTED']);
  });

  it('closes an address only through a `removed:` entry, unless protected', () => {
    const removed = [{ address: 'c/gone', source: { ...pos, line: 20 } }];
    const p = plan(set([], { removed }), stateWith({ 'c/gone': {} }));
    expect(p.diagnostics).toEqual([]);
    expect(p.changes).toMatchObject([
      {
        address: 'c/gone',
        action: 'close',
        irreversible: true,
        requests: [{ endpoint: 'switchStatus', body: { templateCode: 'CODE-c/gone', status: 'closed' } }],
        source: { line: 20 },
      },
    ]);
    const guarded = plan(set([], { removed }), stateWith({ 'c/gone': { protect: true } }));
    expect(guarded.diagnostics).toMatchObject([{ code: 'TEMPLATE_PROTECTED', position: { line: 20 } }]);
    // Already closed: the entry has done its job, and may be deleted.
    const closed = stateWith({ 'c/gone': { status: 'closed' } });
    expect(plan(set([], { removed }), closed).changes).toEqual([]);
    expect(plan(set([]), closed).diagnostics).toEqual([]);
  });

  it('refuses a template that disappeared from the files: nothing is closed, the hint offers moved: or removed:', () => {
    const p = plan(set([]), stateWith({ 'c/gone': { file: 'campaigns/c.yaml' } }));
    expect(p.changes).toEqual([]);
    expect(planHasErrors(p)).toBe(true);
    expect(p.diagnostics).toMatchObject([
      {
        severity: 'error',
        code: 'TEMPLATE_MISSING_FROM_FILES',
        position: { file: 'campaigns/c.yaml', line: 1 },
      },
    ]);
    expect(p.diagnostics[0]?.message).toContain('last seen in campaigns/c.yaml');
    expect(p.diagnostics[0]?.hint).toContain('`removed: [c/gone]`');
    // A deleted file has no place to point at; an older state does not know the file at all.
    const older = plan(set([], { files: [] }), stateWith({ 'c/gone': {} }));
    expect(older.diagnostics[0]?.position).toBeUndefined();
    expect(older.diagnostics[0]?.message).toContain('does not record its file');
  });

  it('names the likely new key of a renamed template (same content, whatever the stock)', () => {
    const renamed = desired('new-name', { body: body({ stock: 999 }) });
    const other = desired('other', { body: body({ localeInfo: { en_US: { name: 'Tea' } } }) });
    const p = plan(set([other, renamed]), stateWith({ 'c/old': { file: 'campaigns/c.yaml' } }));
    const [missing] = p.diagnostics;
    expect(missing?.code).toBe('TEMPLATE_MISSING_FROM_FILES');
    expect(missing?.hint).toContain('`moved: [{ from: c/old, to: c/new-name }]`');
    expect(missing?.hint).not.toContain('c/other');
    const create = p.changes.find((c) => c.address === 'c/new-name');
    expect(create?.customerImpact?.text).toContain('Looks like a rename of c/old');
  });

  it('warns about a `removed:` entry for an address the state does not have', () => {
    const removed = [{ address: 'c/never', source: { ...pos, line: 21 } }];
    const p = plan(set([], { removed }), stateWith({}));
    expect(p.diagnostics).toMatchObject([
      { severity: 'warning', code: 'REMOVED_NOT_IN_STATE', position: { line: 21 } },
    ]);
    expect(planHasErrors(p)).toBe(false);
  });

  it('moves state for a `moved` entry without any request, and diffs the rest as usual', () => {
    const moved = [{ from: 'c/old', to: 'c/a', source: pos }];
    const p = plan(set([desired('a')], { moved }), stateWith({ 'c/old': {} }));
    expect(p.changes).toMatchObject([{ address: 'c/a', action: 'move', movedFrom: 'c/old', requests: [] }]);
    const both = plan(set([desired('a')], { moved }), stateWith({ 'c/old': {}, 'c/a': {} }));
    expect(both.diagnostics.map((x) => x.code)).toEqual(['MOVE_TARGET_EXISTS']);
  });

  it('refuses to create or replace with a start date in the past, at the startDate line', () => {
    const late = desired('a', { body: body({ startDate: NOW - 1000 }) });
    const p = plan(set([late]), stateWith({}));
    expect(p.diagnostics).toMatchObject([{ code: 'TEMPLATE_START_IN_PAST', position: { line: 5 } }]);
    // An existing template whose start passed is fine to update.
    expect(
      plan(set([late]), stateWith({ 'c/a': { spec: body({ startDate: NOW - 1000 }) } })).diagnostics,
    ).toEqual([]);
  });

  it('creates a new template for an address whose template was closed', () => {
    const p = plan(set([desired('a')]), stateWith({ 'c/a': { status: 'closed', generation: 2 } }));
    expect(p.changes[0]).toMatchObject({ action: 'create', record: { generation: 3 } });
  });

  it('finishes an interrupted replace by closing the superseded template', () => {
    const p = plan(
      set([desired('a')]),
      stateWith({ 'c/a': { superseded: [{ templateCode: 'OLD', closed: false }] } }),
    );
    expect(p.changes[0]).toMatchObject({
      action: 'close',
      irreversible: true,
      requests: [{ endpoint: 'switchStatus', body: { templateCode: 'OLD', status: 'closed' } }],
    });
  });

  it('plans in-doubt creates as pending and counts them to resume', () => {
    const pending = [
      {
        address: 'c/a',
        endpoint: 'createTemplate' as const,
        body: { requestId: 'rq', ...body() },
        spec: body(),
        generation: 1,
      },
    ];
    const p = plan(set([desired('a')]), stateWith({}, { pending }));
    expect(p.changes[0]).toMatchObject({ action: 'noop', templateCode: '(pending)' });
    expect(p.summary.resume).toBe(1);
    expect(planHasChanges(p)).toBe(true);
  });

  it('with a remote view, reports drift and plans from the remote values', () => {
    const remote = new Map<string, RemoteTemplate>([
      [
        'c/a',
        {
          templateCode: 'CODE-c/a',
          status: 'paused',
          stock: 80,
          fields: { localeInfo: { en_US: { name: 'Edited' } } },
        },
      ],
    ]);
    const p = plan(set([desired('a')]), stateWith({ 'c/a': {} }), { remote });
    expect(p.refreshed).toBe(true);
    expect(p.drift.map((d) => d.path)).toEqual(['status', 'stock', 'localeInfo']);
    expect(p.changes[0]?.requests.map((r) => r.endpoint)).toEqual([
      'updateTemplate',
      'detail',
      'updateBudget',
      'switchStatus',
    ]);
  });
});

describe('makePlan: pass batches', () => {
  const batch = (over: Partial<DesiredPassBatch> = {}): DesiredPassBatch => ({
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
  });
  const summary = (over: Partial<PassBatchSummary> = {}): PassBatchSummary => ({
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
  });

  it('issues the remainder, with the template code from state', () => {
    const p = plan(set([desired('a')], { passes: [batch()] }), stateWith({ 'c/a': {} }), {
      passSummaries: new Map([['c/gift', summary()]]),
    });
    expect(p.passBatches).toMatchObject([
      { action: 'issue', toIssue: 6, alreadyIssued: 4, removed: 1, templateCode: 'CODE-c/a' },
    ]);
    expect(p.summary.passes).toBe(6);
    expect(p.diagnostics).toEqual([]);
  });

  it('refuses to replace a template while passes of a batch on it are in doubt', () => {
    const replaced = stateWith({ 'c/a': { spec: body({ codeType: 'barcode' }) } });
    const withDoubt = plan(set([desired('a')], { passes: [batch()] }), replaced, {
      passSummaries: new Map([['c/gift', summary({ inDoubt: 2 })]]),
    });
    expect(withDoubt.changes.find((c) => c.address === 'c/a')?.action).toBe('replace');
    expect(withDoubt.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['error', 'PASS_IN_DOUBT_TEMPLATE_CHANGE'],
    ]);
    expect(withDoubt.diagnostics[0]?.message).toContain('2 pass(es)');
    // Nothing in doubt: the replace goes ahead, and the batch issues to the new template.
    const settled = plan(set([desired('a')], { passes: [batch()] }), replaced, {
      passSummaries: new Map([['c/gift', summary()]]),
    });
    expect(settled.diagnostics).toEqual([]);
    // In doubt, but the template is only updated: the rows go to the same template again.
    const updated = plan(
      set([desired('a')], { passes: [batch()] }),
      stateWith({ 'c/a': { spec: body({ stock: 50 }) } }),
      { passSummaries: new Map([['c/gift', summary({ inDoubt: 2 })]]) },
    );
    expect(updated.diagnostics.map((d) => d.code)).not.toContain('PASS_IN_DOUBT_TEMPLATE_CHANGE');
  });

  it('refuses to move rows in doubt off a template that can still settle them; only warns once it is closed', () => {
    const codes = (p: ReturnType<typeof plan>) => p.diagnostics.map((d) => [d.severity, d.code]);
    const doubt = (ledgerTemplateCode: string) =>
      new Map([['c/gift', summary({ inDoubt: 7, ledgerTemplateCode, inDoubtLines: [2, 9, 14, 15, 40] })]]);
    const toB = set([desired('a'), desired('b')], { passes: [batch({ template: { address: 'c/b' } })] });
    // The batch now points at c/b, but 7 rows are in doubt on c/a, which is still valid.
    const moved = plan(toB, stateWith({ 'c/a': {}, 'c/b': {} }), { passSummaries: doubt('CODE-c/a') });
    expect(codes(moved)).toEqual([['error', 'PASS_IN_DOUBT_TEMPLATE_CHANGE']]);
    expect(moved.diagnostics[0]?.message).toContain(
      '7 pass(es) whose outcome on template CODE-c/a is unknown after an interrupted apply (r.csv lines 2, 9, 14, 15, 40, …)',
    );
    expect(moved.diagnostics[0]?.message).toContain('issues them on template CODE-c/b');
    expect(moved.diagnostics[0]?.hint).toContain('point its `template:` back');
    // To a template this plan creates: the same.
    const toNew = plan(toB, stateWith({ 'c/a': {} }), { passSummaries: doubt('CODE-c/a') });
    expect(codes(toNew)).toEqual([['error', 'PASS_IN_DOUBT_TEMPLATE_CHANGE']]);
    expect(toNew.diagnostics[0]?.message).toContain('a new template at c/b');
    // c/a is closed: its rows can never be settled, so re-sending them is only a warning.
    const closed = plan(toB, stateWith({ 'c/a': { status: 'closed' }, 'c/b': {} }), {
      passSummaries: doubt('CODE-c/a'),
    });
    expect(codes(closed)).toEqual([['warning', 'PASS_IN_DOUBT_ON_CLOSED_TEMPLATE']]);
    // A template replaced earlier: an error while the old one is still open, a warning once closed.
    const onA = set([desired('a')], { passes: [batch()] });
    const superseded = (closed: boolean) =>
      stateWith({ 'c/a': { superseded: [{ templateCode: 'CODE-old', closed }] } });
    expect(codes(plan(onA, superseded(false), { passSummaries: doubt('CODE-old') }))).toEqual([
      ['error', 'PASS_IN_DOUBT_TEMPLATE_CHANGE'],
    ]);
    expect(codes(plan(onA, superseded(true), { passSummaries: doubt('CODE-old') }))).toEqual([
      ['warning', 'PASS_IN_DOUBT_ON_CLOSED_TEMPLATE'],
    ]);
    // Rows in doubt on the template the batch still uses: re-sent to it, nothing to say.
    expect(plan(onA, stateWith({ 'c/a': {} }), { passSummaries: doubt('CODE-c/a') }).diagnostics).toEqual([]);
  });

  it('warns past the stock, refuses a paused template or a type mismatch', () => {
    const lowStock = desired('a', { body: body({ stock: 8 }) });
    const warn = plan(
      set([lowStock], { passes: [batch()] }),
      stateWith({ 'c/a': { stock: 8, spec: body({ stock: 8 }) } }),
      {
        passSummaries: new Map([['c/gift', summary()]]),
      },
    );
    expect(warn.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'PASS_STOCK_EXCEEDED']]);
    const paused = plan(
      set([desired('a', { status: 'paused' })], {
        passes: [batch({ type: 'CARD', product: 'MEMBER_CARD' })],
      }),
      stateWith({ 'c/a': {} }),
      {
        passSummaries: new Map([['c/gift', summary()]]),
      },
    );
    expect(paused.diagnostics.map((d) => d.code).sort()).toEqual([
      'PASS_TEMPLATE_NOT_VALID',
      'PASS_TYPE_MISMATCH',
    ]);
  });
});
