// The planner on `import:` entries: `<= import` with a detail only, the differences as an update
// with the API's view, records, codes and addresses managed elsewhere, closed and unchangeable
// templates, statuses left as they are; and the state entry an apply records from `detail`.
import { describe, expect, it } from 'vitest';
import type { ImportEntry } from '../campaign/types.js';
import { planHasChanges, planHasErrors } from './make-plan.js';
import { importDifferences, importedEntry } from './plan-import.js';
import type { RemoteTemplate } from './plan-types.js';
import { body, desired, plan, pos, set, stateWith } from './testing/plan-fixtures.js';

const entry = (to: string, templateCode: string): ImportEntry => ({
  to,
  templateCode,
  source: { ...pos, line: 20 },
});
const live = (over: Partial<RemoteTemplate> = {}, fields: Record<string, unknown> = {}): RemoteTemplate => {
  const { stock, ...content } = body();
  return { templateCode: 'LIVE', status: 'valid', stock, fields: { ...content, ...fields }, ...over };
};

describe('makePlan: import entries', () => {
  it('plans `import` with one detail, and the contents compared at apply, without the API', () => {
    const p = plan(set([desired('a')], { imports: [entry('c/a', 'LIVE')] }), stateWith({}));
    expect(p.changes[0]).toMatchObject({ action: 'import', templateCode: 'LIVE', irreversible: false });
    expect(p.changes[0]?.requests).toEqual([{ endpoint: 'detail', body: { templateCode: 'LIVE' } }]);
    expect(p.changes[0]?.customerImpact?.text).toContain('passes issued outside ipass');
    expect(p.summary.import).toBe(1);
    expect(planHasChanges(p)).toBe(true);
  });

  it('with the API view: nothing more when it matches, an update after the import when it differs', () => {
    const same = plan(set([desired('a')], { imports: [entry('c/a', 'LIVE')] }), stateWith({}), {
      importRemote: new Map([['c/a', live()]]),
    });
    expect(same.changes[0]?.requests).toHaveLength(1);
    const differs = plan(set([desired('a')], { imports: [entry('c/a', 'LIVE')] }), stateWith({}), {
      importRemote: new Map([
        ['c/a', live({ stock: 90, status: 'paused' }, { localeInfo: { en_US: { name: 'Old' } } })],
      ]),
    });
    const c = differs.changes[0];
    expect(c?.action).toBe('import');
    expect(c?.requests.map((r) => r.endpoint)).toEqual([
      'detail',
      'updateTemplate',
      'detail',
      'updateBudget',
      'switchStatus',
    ]);
    expect(c?.reasons).toContainEqual({ path: 'localeInfo.en_US.name', before: 'Old', after: 'Coffee' });
    expect(planHasErrors(differs)).toBe(false);
  });

  it('leaves an entry already applied as a record, and names both sides of a code or address managed otherwise', () => {
    const applied = plan(
      set([desired('a')], { imports: [entry('c/a', 'CODE-c/a')] }),
      stateWith({ 'c/a': {} }),
    );
    expect(applied.changes[0]?.action).toBe('noop');
    const p = plan(
      set([desired('a'), desired('b')], { imports: [entry('c/a', 'OTHER'), entry('c/b', 'CODE-c/x')] }),
      stateWith({ 'c/a': {}, 'c/x': {} }),
    );
    const messages = p.diagnostics.map((d) => `${d.code}: ${d.message}`);
    expect(messages).toContain(
      'IMPORT_ADDRESS_MANAGED: c/a already manages template CODE-c/a; this entry would adopt OTHER there.',
    );
    expect(messages).toContain(
      'IMPORT_CODE_MANAGED: Template CODE-c/x is already managed at c/x; this entry would adopt it again at c/b.',
    );
  });

  it('adopts a closed template only as closed, never replaces, and names an unknown code', () => {
    const imports = [entry('c/a', 'LIVE')];
    const closed = plan(set([desired('a')], { imports }), stateWith({}), {
      importRemote: new Map([['c/a', live({ status: 'closed' })]]),
    });
    expect(closed.diagnostics.map((d) => d.code)).toEqual(['IMPORT_CANNOT_CHANGE']);
    const asClosed = plan(set([desired('a', { status: 'closed' })], { imports }), stateWith({}), {
      importRemote: new Map([['c/a', live({ status: 'closed' })]]),
    });
    expect(planHasErrors(asClosed)).toBe(false);
    expect(asClosed.changes[0]?.requests).toHaveLength(1);
    const fixed = plan(set([desired('a')], { imports }), stateWith({}), {
      importRemote: new Map([['c/a', live({}, { codeType: 'barcode' })]]),
    });
    expect(fixed.diagnostics[0]?.message).toContain('differs from c/a in codeType, which cannot be updated');
    expect(fixed.changes[0]?.requests.map((r) => r.endpoint)).toEqual(['detail']);
    const unknown = plan(set([desired('a')], { imports }), stateWith({}), {
      importRemote: new Map([['c/a', null]]),
    });
    expect(unknown.diagnostics.map((d) => d.code)).toEqual(['IMPORT_UNKNOWN_CODE']);
  });
});

describe('makePlan: adopted templates afterwards', () => {
  it('leaves an adopted expired or frozen template in that status', () => {
    for (const status of ['expired', 'frozen'] as const) {
      const p = plan(set([desired('a')]), stateWith({ 'c/a': { status, imported: true } }));
      expect(p.changes[0]?.action).toBe('noop');
    }
    const made = plan(set([desired('a')]), stateWith({ 'c/a': { status: 'frozen' } }));
    expect(made.changes[0]?.action).toBe('status');
  });

  it('says, on a later pause or close of an adopted template, that passes issued outside ipass are unknown', () => {
    const p = plan(set([desired('a', { status: 'paused' })]), stateWith({ 'c/a': { imported: true } }));
    expect(p.changes[0]?.customerImpact?.text).toContain('passes issued outside ipass are unknown to it');
    const made = plan(set([desired('a', { status: 'paused' })]), stateWith({ 'c/a': {} }));
    expect(made.changes[0]?.customerImpact?.text).not.toContain('outside ipass');
  });
});

describe('importedEntry and importDifferences', () => {
  it('records the template as the API reported it, with only the fields a campaign file can hold', () => {
    const remote = live({ stock: 42 }, { merchantId: '2160', detailLink: 'x', bizMids: ['1'] });
    const e = importedEntry('LIVE', remote, { spec: body(), protect: true }, 'campaigns/c.yaml');
    expect(e).toMatchObject({
      templateCode: 'LIVE',
      stock: 42,
      imported: true,
      protect: true,
      requestId: '',
    });
    expect(e.spec).not.toHaveProperty('merchantId');
    expect(e.spec).not.toHaveProperty('detailLink');
    expect(importDifferences(e, { spec: body(), status: 'valid', protect: true })).toEqual([
      { path: 'bizMids', before: ['1'] },
      { path: 'stock', before: 42, after: 100 },
    ]);
  });
});
