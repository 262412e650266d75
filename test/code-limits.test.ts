// The size limits of STYLE.md, enforced: no hand-written source file under src/ over 300 lines, no
// function (declaration, method, arrow, callback) over 80. Generated files (their first line says
// "Generated from") are exempt. Measured with the TypeScript compiler's own parser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

interface Source {
  path: string;
  file: ts.SourceFile;
  lines: number;
}

function handWritten(): Source[] {
  return globSync('src/**/*.ts', { cwd: ROOT })
    .sort()
    .flatMap((path) => {
      const text = readFileSync(join(ROOT, path), 'utf8');
      if (text.startsWith('/* Generated from')) return [];
      const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
      const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
      return [{ path, file, lines }];
    });
}

/** Every function-like node with a body, as "path:line name (N lines)" when longer than the limit. */
function longFunctions({ path, file }: Source): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      if (length > MAX_FUNCTION_LINES) {
        const name = node.name?.getText(file) ?? `(${ts.SyntaxKind[node.kind]})`;
        found.push(`${path}:${start + 1} ${name} (${length} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('code size limits', () => {
  const sources = handWritten();

  it('reads the hand-written sources and leaves the generated ones out', () => {
    expect(sources.length).toBeGreaterThan(200);
    expect(sources.some((s) => s.path.endsWith('.generated.ts'))).toBe(false);
    expect(sources.some((s) => s.path === 'src/cli/main.ts')).toBe(true);
  });

  it(`has no hand-written file over ${MAX_FILE_LINES} lines`, () => {
    const long = sources.filter((s) => s.lines > MAX_FILE_LINES).map((s) => `${s.path} (${s.lines} lines)`);
    expect(long).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(sources.flatMap(longFunctions)).toEqual([]);
  });

  it('measures what it claims to: a long function and a long file are found', () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = `export function big(): void {\n${body}\n}\nexport const small = () => 1;\n`;
    const file = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true);
    expect(longFunctions({ path: 'x.ts', file, lines: MAX_FUNCTION_LINES + 3 })).toEqual([
      `x.ts:1 big (${MAX_FUNCTION_LINES + 2} lines)`,
    ]);
  });
});
