// The planner on pass batches: what is left to issue, and what it refuses or warns about (a template
// being replaced or moved away from while rows are in doubt, the stock, the template's status and type).
import { describe, expect, it } from 'vitest';
import { batch, body, desired, plan, set, stateWith, summary } from './testing/plan-fixtures.js';

describe('makePlan: pass batches', () => {
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

describe('makePlan: pass batch rows in doubt on another template', () => {
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
});
