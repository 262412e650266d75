import { describe, expect, it } from 'vitest';
import { canonical, canonicalMerge, hasPath } from './canonical.js';

describe('canonicalMerge', () => {
  it('merges mappings recursively, the template winning, and replaces lists', () => {
    const defaults = {
      a: 1,
      button: { btnType: 'usage', urlType: 'CODE_PAY_BTN' },
      categories: ['Food', 'Others'],
    };
    const template = { button: { urlType: 'CUSTOM_BTN', btnUrl: 'https://x' }, categories: ['CoffeeAndTea'] };
    expect(canonicalMerge(defaults, template)).toEqual({
      a: 1,
      button: { btnType: 'usage', urlType: 'CUSTOM_BTN', btnUrl: 'https://x' },
      categories: ['CoffeeAndTea'],
    });
    expect(defaults.button).toEqual({ btnType: 'usage', urlType: 'CODE_PAY_BTN' });
  });

  it('lets a scalar replace a mapping and keeps the base when the template has nothing', () => {
    expect(canonicalMerge({ a: { b: 1 } }, { a: 2 })).toEqual({ a: 2 });
    expect(canonicalMerge({ a: 1 }, undefined)).toEqual({ a: 1 });
  });

  it('sorts the keys of the result', () => {
    expect(JSON.stringify(canonicalMerge({ z: 1, b: { y: 1, x: 2 } }, { a: 0, b: { w: 3 } }))).toBe(
      '{"a":0,"b":{"w":3,"x":2,"y":1},"z":1}',
    );
  });
});

describe('canonical', () => {
  it('sorts keys recursively, inside lists too, so equal specs serialize identically', () => {
    const a = canonical({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 3 } });
    expect(JSON.stringify(a)).toBe('{"a":{"c":3,"d":[{"x":2,"y":1}]},"b":1}');
  });
});

describe('hasPath', () => {
  it('tells present (even null) values from absent ones', () => {
    expect(hasPath({ a: { b: null } }, ['a', 'b'])).toBe(true);
    expect(hasPath({ a: [1] }, ['a', 1])).toBe(false);
    expect(hasPath({ a: 1 }, ['a', 'b'])).toBe(false);
  });
});
