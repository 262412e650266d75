import { describe, expect, it } from 'vitest';
import { Parser } from 'yaml';
import { checkYamlLimits, type YamlLimits } from './yaml-limits.js';

const limits: YamlLimits = { maxDepth: 5, maxEntries: 3, maxNodes: 40, maxSectionEntries: { templates: 2 } };
const check = (text: string) => checkYamlLimits([...new Parser().parse(text)], limits);

describe('checkYamlLimits', () => {
  it('passes a file within every limit', () => {
    expect(check('a:\n  b: [1, 2]\n  c: { d: x }\n')).toBeUndefined();
  });

  it('finds nesting too deep in flow and in block style, where the level starts', () => {
    const flow = 'a: [[[[[[1]]]]]]\n';
    // The mapping is level 1, so the fifth [ is level 6.
    expect(check(flow)).toEqual({ limit: 'depth', value: 5, offset: flow.indexOf('[[1') });
    const block = ['a:', '  b:', '    c:', '      d:', '        e:', '          f: 1', ''].join('\n');
    expect(check(block)).toEqual({ limit: 'depth', value: 5, offset: block.indexOf('f:') });
  });

  it('finds a mapping or list with too many entries, at the first one too many', () => {
    const text = 'a: [1, 2, 3, 4]\n';
    expect(check(text)).toEqual({ limit: 'entries', value: 3, offset: text.indexOf('4') });
  });

  it('limits the entries of a named top-level section', () => {
    const text = 'templates:\n  a: 1\n  b: 2\n  c: 3\nother:\n  a: 1\n  b: 2\n  c: 3\n';
    expect(check(text)).toEqual({
      limit: 'section',
      section: 'templates',
      value: 2,
      offset: text.indexOf('c: 3'),
    });
  });

  it('counts the values of the whole file', () => {
    const wide = Array.from({ length: 14 }, (_, i) => `- [${i}, ${i}]`).join('\n');
    expect(checkYamlLimits([...new Parser().parse(wide)], { ...limits, maxEntries: 100 })?.limit).toBe(
      'nodes',
    );
  });

  it('walks 100,000 levels without recursing', () => {
    const deep = `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const loose = { ...limits, maxDepth: 64, maxNodes: 1_000_000 };
    expect(checkYamlLimits([...new Parser().parse(deep)], loose)).toMatchObject({
      limit: 'depth',
      offset: 3 + 63,
    });
  });
});
