import { describe, expect, it } from 'vitest';
import { emptyState } from '../state/state-format.js';
import { customerImpact, passesHeld } from './customer-impact.js';
import type { PassBatchSummary, TemplateChange } from './plan-types.js';
import { switchStatus } from './template-requests.js';
import { body } from './testing/plan-fixtures.js';

function summary(address: string, issuedTotal: number, ledgerTemplateCode?: string): PassBatchSummary {
  return {
    address,
    recipients: issuedTotal,
    alreadyIssued: issuedTotal,
    toIssue: 0,
    removed: 0,
    failedBefore: 0,
    inDoubt: 0,
    issuedTotal,
    ...(ledgerTemplateCode ? { ledgerTemplateCode } : {}),
    diagnostics: [],
  };
}

function change(over: Partial<TemplateChange>): TemplateChange {
  return {
    address: 'c/a',
    action: 'noop',
    irreversible: false,
    templateCode: 'CODE-A',
    reasons: [],
    requests: [],
    ...over,
  };
}

describe('passes held per template', () => {
  it('counts each ledger for its latest template, and batches gone from the files from the state', () => {
    const state = emptyState('dev', 'l');
    state.passBatches['c/gone'] = { templateCode: 'CODE-A', ledger: 'x', issued: 4, failed: 1 };
    state.passBatches['c/kept'] = { templateCode: 'CODE-OLD', ledger: 'y', issued: 1, failed: 0 };
    const held = passesHeld(
      state,
      new Map([
        ['c/kept', summary('c/kept', 1200, 'CODE-A')],
        ['c/new', summary('c/new', 0)],
      ]),
    );
    expect(Object.fromEntries(held)).toEqual({ 'CODE-A': 1204 });
  });
});

describe('customer impact lines', () => {
  const held = new Map([
    ['CODE-A', 1204],
    ['CODE-OLD', 3],
  ]);

  it('close: how many passes customers hold, and that the API documents do not say their fate', () => {
    const impact = customerImpact(
      change({ action: 'close', irreversible: true, requests: [switchStatus('CODE-A', 'closed')] }),
      held,
    );
    expect(impact?.passes).toBe(1204);
    expect(impact?.text).toMatch(
      /^Customers hold 1,204 passes of this template \(issued through ipass\); closing is permanent/,
    );
    expect(impact?.text).toContain('do not say what happens to passes already issued');
    // A status change to closed, and the old template of an earlier replace, count the same way.
    const both = customerImpact(
      change({
        action: 'status',
        requests: [switchStatus('CODE-A', 'closed'), switchStatus('CODE-OLD', 'closed')],
      }),
      held,
    );
    expect(both?.passes).toBe(1207);
    expect(both?.text).toContain('template CODE-A, CODE-OLD');
  });

  it('replace: the passes stay on the old template, which is closed', () => {
    const impact = customerImpact(
      change({
        action: 'replace',
        requests: [
          { endpoint: 'createTemplate', body: { requestId: 'rq', ...body() } },
          switchStatus('CODE-A', 'closed'),
        ],
      }),
      held,
    );
    expect(impact?.text).toContain('they stay on it and do not move to the new template');
    expect(
      customerImpact(change({ action: 'replace', requests: [switchStatus('CODE-A', 'closed')] }), new Map())
        ?.text,
    ).toBe(
      'No passes of the current template CODE-A were issued through ipass; it is closed for good and a new template takes its place.',
    );
  });

  it('pause, rename, and a create that looks like a rename', () => {
    expect(
      customerImpact(change({ action: 'status', requests: [switchStatus('CODE-A', 'paused')] }), held)?.text,
    ).toContain('pausing takes the template offline for now');
    expect(customerImpact(change({ action: 'move', movedFrom: 'c/old' }), held)?.text).toContain(
      "a rename changes only ipass's records",
    );
    const { templateCode: _, ...fresh } = change({ action: 'create', address: 'c/b' });
    const create = customerImpact(fresh, held, { from: 'c/a', templateCode: 'CODE-A' });
    expect(create?.text).toContain('add `moved: [{ from: c/a, to: c/b }]`');
    // Updates, stock changes and resuming are not about passes customers hold.
    expect(customerImpact(change({ action: 'update' }), held)).toBeUndefined();
    expect(
      customerImpact(change({ action: 'status', requests: [switchStatus('CODE-A', 'valid')] }), held),
    ).toBeUndefined();
  });
});
