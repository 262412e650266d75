// A run record as the history tests write and read back: an apply from CI that ended well.
import type { RunRecord } from '../../src/state/run-record.js';

export function sampleRun(id: string, more: Partial<RunRecord> = {}): RunRecord {
  return {
    formatVersion: 1,
    id,
    environment: 'dev',
    command: 'apply',
    who: 'ci@runner',
    version: '0.1.0',
    startedAt: '2026-12-07T12:00:00.000Z',
    endedAt: '2026-12-07T12:00:01.000Z',
    outcome: 'succeeded',
    counts: {},
    changes: [],
    ...more,
  };
}
