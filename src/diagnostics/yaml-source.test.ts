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

describe('YAML traps', () => {
  const text = (path: readonly (string | number)[]) => path[0] === 'info';

  it('warns when ` #` cuts a plain text value short, and suggests quotes', () => {
    const src = parseYamlSource(
      'info:\n  name: Bean Club card #1 in HK\n  note: Fine # a real comment\n  q: "Quoted #1"\ncode: A #1\n',
      'f.yaml',
      { isTextField: text },
    );
    expect(src.value).toEqual({ info: { name: 'Bean Club card', note: 'Fine', q: 'Quoted #1' }, code: 'A' });
    expect(src.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'YAML_COMMENT_IN_TEXT',
        message:
          '`name` is read as "Bean Club card": in YAML, a # after a space starts a comment, so "#1 in HK" is dropped.',
        hint: 'If "#1 in HK" is part of the text, put the whole value in quotes: name: "Bean Club card #1 in HK". If it is a comment, write a space after the #.',
        position: { file: 'f.yaml', line: 2, col: 24 },
        path: '/info/name',
      },
    ]);
  });

  it('suggests quotes for `key: text: more`, not a missing ":"', () => {
    const src = parseYamlSource('info:\n  name: Offer: Bean Club\n', 'f.yaml');
    expect(src.diagnostics).toEqual([
      expect.objectContaining({
        code: 'YAML_SYNTAX',
        message: 'YAML: the value of `name` contains ": ", which YAML reads as the start of another key.',
        hint: 'Put the value in quotes: name: "Offer: Bean Club".',
        position: { file: 'f.yaml', line: 2, col: 9 },
      }),
    ]);
  });

  it('points a ` #` that hides the end of a { … } mapping at the #', () => {
    const src = parseYamlSource('a:\n  en_US: { name: Voucher #1, shops: All }\n', 'f.yaml');
    expect(src.diagnostics).toEqual([
      expect.objectContaining({
        code: 'YAML_SYNTAX',
        hint: 'Put the value in quotes: name: "Voucher #1".',
        position: { file: 'f.yaml', line: 2, col: 26 },
      }),
    ]);
  });

  it('reports only the first error of a file once it has a syntax error; every repeated key otherwise', () => {
    const broken = parseYamlSource('a: "open\nb: 1\nb: "x"\nb: 2\n', 'f.yaml');
    expect(broken.diagnostics.map((d) => [d.code, d.position?.line])).toEqual([['YAML_SYNTAX', 1]]);
    const repeated = parseYamlSource('a: 1\na: 2\nb: 1\nb: 2\n', 'f.yaml');
    expect(repeated.diagnostics.map((d) => [d.code, d.position?.line])).toEqual([
      ['YAML_DUPLICATE_KEY', 2],
      ['YAML_DUPLICATE_KEY', 4],
    ]);
  });

  it('refuses __proto__, constructor and prototype as keys anywhere, quoted or not', () => {
    const src = parseYamlSource(
      '__proto__: 1\nx:\n  - { "constructor": 2 }\n  - y: { prototype: 3, ok: 4 }\n',
      'f.yaml',
    );
    expect(src.value).toBeUndefined();
    expect(src.diagnostics.map((d) => [d.code, d.position?.line, d.position?.col, d.path])).toEqual([
      ['YAML_RESERVED_KEY', 1, 1, '/__proto__'],
      ['YAML_RESERVED_KEY', 3, 7, '/x/0/constructor'],
      ['YAML_RESERVED_KEY', 4, 10, '/x/1/y/prototype'],
    ]);
  });

  it('refuses nesting over the limit before building the document, at the place it happens', () => {
    const src = parseYamlSource(`a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, 'f.yaml');
    expect(src.diagnostics).toEqual([
      expect.objectContaining({ code: 'YAML_TOO_DEEP', position: { file: 'f.yaml', line: 1, col: 67 } }),
    ]);
    expect(src.value).toBeUndefined();
  });
});
