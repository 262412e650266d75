import { describe, expect, it } from 'vitest';
import { deepEqual, diffValues, rootField } from './diff.js';

describe('diffValues', () => {
  it('reports changed, added and removed leaves by dotted path, arrays whole', () => {
    const before = { a: 1, b: { c: 'x', d: [1, 2] }, gone: true };
    const after = { a: 1, b: { c: 'y', d: [1, 2, 3] }, added: 'n' };
    expect(diffValues(before, after)).toEqual([
      { path: 'added', after: 'n' },
      { path: 'b.c', before: 'x', after: 'y' },
      { path: 'b.d', before: [1, 2], after: [1, 2, 3] },
      { path: 'gone', before: true },
    ]);
    expect(diffValues(before, structuredClone(before))).toEqual([]);
  });

  it('treats undefined properties as absent and knows the root field', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual([1, { x: 1 }], [1, { x: 2 }])).toBe(false);
    expect(rootField('localeInfo.en_US.name')).toBe('localeInfo');
    expect(rootField('stock')).toBe('stock');
  });
});
