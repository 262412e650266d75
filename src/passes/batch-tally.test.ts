// The counts of a batch being issued: this run's, the batch's totals, and what they make at the end.
import { describe, expect, it } from 'vitest';
import type { ApiFailure } from '../api/api-result.js';
import { BatchTally } from './batch-tally.js';

const failure = (code: string, message = `${code} happened.`): ApiFailure => ({
  kind: 'business',
  code,
  message,
  action: 'fix it',
  inDoubt: false,
  priorAttemptInDoubt: false,
  endpoint: 'createPass',
});

describe('BatchTally', () => {
  it("keeps the batch's totals: a row that failed before and is issued now no longer counts as failed", () => {
    const t = new BatchTally({ issued: 10, failed: 3 });
    t.countIssued(false);
    t.countIssued(true);
    t.countFailed(true, failure('USER_NOT_EXIST'));
    t.countFailed(false, failure('USER_NOT_EXIST'));
    expect(t.totals).toEqual({ issued: 12, failed: 3 });
    expect([t.issued, t.failed]).toEqual([2, 2]);
  });

  it('counts failures by code with the first message', () => {
    const t = new BatchTally({ issued: 0, failed: 0 });
    t.countFailed(false, failure('USER_NOT_EXIST', 'no such user'));
    t.countFailed(false, failure('USER_NOT_EXIST', 'another wording'));
    t.countFailed(false, failure('PARAM_ILLEGAL'));
    expect(t.failureCodes).toEqual({
      USER_NOT_EXIST: { count: 2, message: 'no such user' },
      PARAM_ILLEGAL: { count: 1, message: 'PARAM_ILLEGAL happened.' },
    });
  });

  it('counts what is settled and what remains of the plan', () => {
    const t = new BatchTally({ issued: 0, failed: 0 });
    t.countIssued(false);
    t.countFailed(false, failure('X'));
    t.countInDoubt(false);
    t.countNotSent();
    t.countInvalid();
    expect(t.done).toBe(4);
    expect(t.remaining(10)).toBe(6);
    expect(t.remaining(3)).toBe(0);
  });

  it('says what the counts do not: why it stopped, answers out of place, passes in doubt, rows skipped', () => {
    const t = new BatchTally({ issued: 0, failed: 0 });
    expect(t.notices('c/gift', undefined)).toEqual([]);
    t.countInDoubt(true);
    t.countInDoubt(false);
    t.countInvalid();
    const notices = t.notices('c/gift', 'PASS_TEMPLATE_STATUS_ILLEGAL: paused');
    expect(notices).toHaveLength(4);
    expect(notices[0]).toBe('c/gift: stopped issuing after PASS_TEMPLATE_STATUS_ILLEGAL: paused');
    expect(notices[1]).toMatch(/^c\/gift: 1 answer\(s\) were signed but not for their request/);
    expect(notices[2]).toMatch(/^c\/gift: 2 pass\(es\) have an unknown outcome/);
    expect(notices[3]).toMatch(/^c\/gift: 1 row\(s\) skipped/);
  });

  it('reports the outcome: what was not sent of an incomplete batch is skipped', () => {
    const t = new BatchTally({ issued: 0, failed: 0 });
    t.countIssued(false);
    t.countNotSent();
    t.countInvalid();
    expect(t.outcome('c/gift', { complete: true, toIssue: 10 })).toEqual({
      address: 'c/gift',
      issued: 1,
      failed: 0,
      inDoubt: 0,
      skipped: 2,
    });
    t.countFailed(false, failure('USER_NOT_EXIST'));
    expect(t.outcome('c/gift', { complete: false, toIssue: 10, failuresFile: '/s/f.csv' })).toEqual({
      address: 'c/gift',
      issued: 1,
      failed: 1,
      inDoubt: 0,
      skipped: 2 + 7,
      failuresFile: '/s/f.csv',
      failureCodes: { USER_NOT_EXIST: { count: 1, message: 'USER_NOT_EXIST happened.' } },
    });
  });
});
