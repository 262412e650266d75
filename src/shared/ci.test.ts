import { describe, expect, it } from 'vitest';
import { inCi } from './ci.js';

describe('inCi', () => {
  it('counts any value of CI but empty, false and 0', () => {
    for (const ci of ['true', '1', 'woodpecker', 'TRUE']) expect(inCi({ CI: ci })).toBe(true);
    for (const ci of [undefined, '', 'false', '0'])
      expect(inCi(ci === undefined ? {} : { CI: ci })).toBe(false);
  });
});
