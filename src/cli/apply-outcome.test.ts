import { describe, expect, it } from 'vitest';
import type { ChangeOutcome } from '../apply/outcomes.js';
import type { ApplyReport, PassBatchOutcome } from '../apply/run-apply.js';
import { desired, plan, set } from '../plan/testing/plan-fixtures.js';
import { emptyState } from '../state/state-format.js';
import { applyVerdict } from './apply-outcome.js';

const state = emptyState('dev', 'L');
const withChanges = plan(set([desired('a')]), state);
const noChanges = plan(set([]), state);

const done: ChangeOutcome = { address: 'c/a', action: 'create', status: 'done', requestsSent: 1 };
const batch = (over: Partial<PassBatchOutcome> = {}): PassBatchOutcome => ({
  address: 'c/gift',
  issued: 8,
  failed: 0,
  inDoubt: 0,
  skipped: 0,
  ...over,
});
const noPassChanges = {
  updated: 0,
  closed: 0,
  failed: 0,
  inDoubt: 0,
  notSent: 0,
  noPassId: 0,
  failureCodes: {},
};
const notActive = { used: 0, closed: 0, closedOrUsed: 0, notActive: 0 };

/** An apply of `withChanges` that created c/a, and whatever `over` says besides. */
function report(over: Partial<ApplyReport> = {}): ApplyReport {
  const unset = {
    stopReason: undefined,
    credentialsFailure: undefined,
    storageFailure: undefined,
    error: undefined,
  };
  return {
    plan: withChanges,
    recovered: 0,
    resumed: [],
    outcomes: [done],
    passes: [],
    cancelled: false,
    state,
    ...unset,
    ...over,
  };
}

const verdict = (over: Partial<ApplyReport>) => {
  const v = applyVerdict(report(over));
  return [v.outcome, v.exitCode];
};

describe('applyVerdict', () => {
  it('exits 0 when everything was done, or there was nothing to do', () => {
    expect(verdict({ passes: [batch()] })).toEqual(['complete', 0]);
    expect(verdict({ plan: noChanges, outcomes: [] })).toEqual(['no-changes', 0]);
  });

  it('exits 4 when only recipients failed: issuing, or updating and closing issued passes', () => {
    expect(verdict({ passes: [batch({ failed: 2 })] })).toEqual(['recipients-failed', 4]);
    const changes = { ...noPassChanges, notActive, failed: 1 };
    expect(verdict({ passes: [batch({ changes })] })).toEqual(['recipients-failed', 4]);
    expect(applyVerdict(report({ passes: [batch({ failed: 2, changes })] })).recipientFailures).toBe(3);
  });

  it('exits 1 when anything else is unfinished, failed recipients or not', () => {
    const failed = batch({ failed: 2 });
    const inDoubt: ChangeOutcome = { ...done, status: 'in-doubt' };
    const cases: Partial<ApplyReport>[] = [
      { outcomes: [{ ...done, status: 'failed' }], passes: [failed] },
      { outcomes: [inDoubt], passes: [failed] },
      { outcomes: [{ ...done, status: 'skipped' }] },
      { resumed: [{ ...inDoubt, action: 'resume' }], passes: [failed] },
      { passes: [failed, batch({ inDoubt: 1 })] },
      { passes: [batch({ failed: 1, skipped: 40 })] },
      { passes: [batch({ changes: { ...noPassChanges, notActive, inDoubt: 1 } })] },
      { passes: [batch({ changes: { ...noPassChanges, notActive, notSent: 1 } })] },
      { passes: [failed], stopReason: 'interrupted' },
      { passes: [failed], cancelled: true },
    ];
    for (const c of cases) expect(verdict(c)[1], JSON.stringify(c)).toBe(1);
    expect(verdict({ passes: [failed], stopReason: 'interrupted' })).toEqual(['interrupted', 1]);
  });
});
