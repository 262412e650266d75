import { describe, expect, it } from 'vitest';
import { parseYamlSource } from './yaml-source.js';

describe('parseYamlSource', () => {
  it('locates values and keys by JSON path, falling back to the nearest ancestor', () => {
    const src = parseYamlSource('a: 1\nb:\n  c: [x, y]\n  d: {e: 2}\n', 'f.yaml');
    expect(src.diagnostics).toEqual([]);
    expect(src.value).toEqual({ a: 1, b: { c: ['x', 'y'], d: { e: 2 } } });
    expect(src.locate(['b', 'c', 1])).toEqual({ file: 'f.yaml', line: 3, col: 10 });
    expect(src.locate(['b', 'd'], 'key')).toEqual({ file: 'f.yaml', line: 4, col: 3 });
    expect(src.locate(['b', 'd', 'e'])).toEqual({ file: 'f.yaml', line: 4, col: 10 });
    expect(src.locate(['b', 'missing', 'deeper'])).toEqual({ file: 'f.yaml', line: 3, col: 3 });
  });

  it('reports duplicate keys and syntax errors as positioned diagnostics', () => {
    const dup = parseYamlSource('a: 1\nb: 2\na: 3\n', 'd.yaml');
    expect(dup.diagnostics.map((d) => [d.code, d.position?.line])).toEqual([['YAML_DUPLICATE_KEY', 3]]);
    expect(dup.value).toBeUndefined();
    const bad = parseYamlSource('a: "open\nb: 2\n', 'b.yaml');
    expect(bad.diagnostics[0]?.code).toBe('YAML_SYNTAX');
    expect(bad.diagnostics[0]?.hint).toBeTruthy();
  });
});
