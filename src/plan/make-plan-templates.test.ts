// The planner on templates: create, update, stock, status, replace, close, moves and removals, pending
// creates and a refreshed remote view; each change with its reasons and exact requests.
import { describe, expect, it } from 'vitest';
import { createRequestId } from '../state/state-format.js';
import { planHasChanges, planHasErrors } from './make-plan.js';
import type { RemoteTemplate } from './plan-types.js';
import {
  body,
  bodyOf,
  desired,
  END,
  NOW,
  plan,
  pos,
  START,
  set,
  stateWith,
} from './testing/plan-fixtures.js';

describe('makePlan: creating and updating templates', () => {
  it('creates a new address with a deterministic requestId, and pauses after creating when asked', () => {
    const p = plan(set([desired('a'), desired('b', { status: 'paused' })]), stateWith({}));
    const [a, b] = p.changes;
    expect(a).toMatchObject({ address: 'c/a', action: 'create', irreversible: false });
    expect(a?.requests).toEqual([
      { endpoint: 'createTemplate', body: { requestId: createRequestId('lineage-1', 'c/a', 1), ...body() } },
    ]);
    expect(
      b?.requests.map((r) => [
        r.endpoint,
        bodyOf(r).status,
        'templateCodeFrom' in r ? r.templateCodeFrom : 0,
      ]),
    ).toEqual([
      ['createTemplate', undefined, 0],
      ['switchStatus', 'paused', 'created'],
    ]);
    expect(p.summary).toMatchObject({ create: 2, noop: 0 });
    expect(planHasChanges(p)).toBe(true);
  });

  it('uses the next attempt number after an earlier create attempt', () => {
    const p = plan(set([desired('a')]), stateWith({}, { createAttempts: { 'c/a': 3 } }));
    expect(bodyOf(p.changes[0]?.requests[0]).requestId).toBe(createRequestId('lineage-1', 'c/a', 4));
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
});

describe('makePlan: status, replace and close', () => {
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
      c?.requests.map((r) => `${r.endpoint}:${bodyOf(r).templateCode ?? ''}:${bodyOf(r).status ?? ''}`),
    ).toEqual(['createTemplate::', 'switchStatus:CODE-c/a:closed']);
    expect(bodyOf(c?.requests[0]).requestId).toBe(createRequestId('lineage-1', 'c/a', 2));
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
});

describe('makePlan: templates gone from the files, renamed or moved', () => {
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
});

describe('makePlan: finishing earlier work, and a refreshed view', () => {
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
