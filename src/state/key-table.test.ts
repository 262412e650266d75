import { describe, expect, it } from 'vitest';
import { hash64, KeyTable, LedgerStatus } from './key-table.js';

describe('KeyTable', () => {
  it('finds what it holds across growth, with status and first line kept', () => {
    const t = new KeyTable(4);
    for (let i = 0; i < 50_000; i++) {
      const slot = t.slot(`id-${i}`);
      t.setStatus(slot, (i % 4) as LedgerStatus);
      t.markSeen(slot, i + 2);
    }
    expect(t.size).toBe(50_000);
    for (const i of [0, 1, 777, 49_999]) {
      const slot = t.find(`id-${i}`);
      expect(slot).not.toBe(-1);
      expect(t.status(slot)).toBe(i % 4);
      expect(t.line(slot)).toBe(i + 2);
    }
    expect(t.find('id-50000')).toBe(-1);
  });

  it('reports a second sighting as a duplicate and tallies seen and unseen keys by status', () => {
    const t = new KeyTable();
    const a = t.slot('a');
    t.setStatus(a, LedgerStatus.issued);
    t.setStatus(t.slot('gone'), LedgerStatus.issued);
    expect(t.markSeen(a, 2)).toBe(true);
    expect(t.markSeen(t.slot('a'), 9)).toBe(false);
    expect(t.line(t.slot('a'))).toBe(2);
    const { seen, unseen } = t.tally();
    expect(seen[LedgerStatus.issued]).toBe(1);
    expect(unseen[LedgerStatus.issued]).toBe(1);
  });

  it('hashes to 64 bits that differ for near-identical ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const { hi, lo } = hash64(`2160220037${String(i).padStart(6, '0')}`);
      seen.add(`${hi}:${lo}`);
    }
    expect(seen.size).toBe(100_000);
  });
});
