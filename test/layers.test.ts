// The dependency rules ARCHITECTURE.md states, checked on the import graph of src/ (read with the
// TypeScript parser; type-only imports are erased at run time and count only where a rule says so).
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { globSync } from 'tinyglobby';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

interface Import {
  /** A path under src/ (".ts") for a relative import, else the package or node: name. */
  target: string;
  typeOnly: boolean;
  dynamic: boolean;
}

function importsOf(path: string, text: string): Import[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic: boolean): void => {
    const target = spec.startsWith('.') ? normalize(join(dirname(path), spec)).replace(/\.js$/, '.ts') : spec;
    found.push({ target, typeOnly, dynamic });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, allTypes, false);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Every source file under src/ that is built (no tests, no testing helpers) and what it imports. */
const graph = new Map<string, { text: string; imports: Import[] }>(
  globSync('src/**/*.ts', { cwd: ROOT, ignore: ['src/**/*.test.ts', 'src/**/testing/**'] })
    .sort()
    .map((path) => {
      const text = readFileSync(join(ROOT, path), 'utf8');
      return [path, { text, imports: importsOf(path, text) }];
    }),
);

const folder = (path: string): string => path.split('/')[1] ?? '';
const inSrc = (target: string): boolean => target.startsWith('src/');

/** Files reached from `start` through imports that run when it loads (static, not type-only). */
function staticClosure(start: string): Set<string> {
  const seen = new Set<string>([start]);
  const todo = [start];
  for (let path = todo.pop(); path !== undefined; path = todo.pop()) {
    for (const i of graph.get(path)?.imports ?? []) {
      if (i.typeOnly || i.dynamic || seen.has(i.target)) continue;
      seen.add(i.target);
      if (inSrc(i.target)) todo.push(i.target);
    }
  }
  return seen;
}

/** "a → b" for each import of a file in `from` whose target breaks `allowed`. */
function violations(
  from: (path: string) => boolean,
  allowed: (i: Import, path: string) => boolean,
): string[] {
  return [...graph].flatMap(([path, { imports }]) =>
    from(path) ? imports.filter((i) => !allowed(i, path)).map((i) => `${path} → ${i.target}`) : [],
  );
}

const IO_MODULES = [
  'node:fs',
  'node:fs/promises',
  'node:net',
  'node:http',
  'node:https',
  'node:http2',
  'node:dgram',
  'node:child_process',
  'node:tty',
  'node:readline',
  'undici',
  'pg',
  'pg-copy-streams',
  'cosmiconfig',
  'tinyglobby',
];

/** The pure core (ARCHITECTURE.md, "Dependency rules"). */
const PURE = (path: string): boolean =>
  path.startsWith('src/plan/') ||
  [
    'src/api/signing.ts',
    'src/campaign/parse-campaign-file.ts',
    'src/campaign/normalize-template.ts',
    'src/state/state-format.ts',
  ].includes(path);

describe('the layers of src/', () => {
  it('reads the graph', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/cli/main.ts')?.imports.length).toBeGreaterThan(5);
  });

  it('points down the folder order ARCHITECTURE.md draws (type-only imports too)', () => {
    // Top to bottom; a folder imports only folders after it. One known exception, kept visible here:
    // campaign/ validates a batch's {{column}} placeholders with passes/placeholders.ts (pure).
    const ORDER = [
      'cli',
      'preview',
      'passes',
      'apply',
      'sandbox',
      'plan',
      'campaign',
      'state',
      'api',
      'config',
      'shared',
      'diagnostics',
    ];
    const KNOWN = ['src/campaign/pass-batch-draft.ts → src/passes/placeholders.ts'];
    expect([...new Set([...graph.keys()].map(folder))].filter((f) => !ORDER.includes(f))).toEqual([]);
    const upward = violations(
      () => true,
      (i, path) =>
        !inSrc(i.target) ||
        folder(i.target) === folder(path) ||
        ORDER.indexOf(folder(i.target)) > ORDER.indexOf(folder(path)),
    );
    expect(upward.filter((edge) => !KNOWN.includes(edge))).toEqual([]);
  });

  it('has no import cycle at run time (type-only imports are erased)', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (path: string, trail: string[]): void => {
      if (state.get(path) === 'done') return;
      if (state.get(path) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(path)), path].join(' → '));
        return;
      }
      state.set(path, 'open');
      for (const i of graph.get(path)?.imports ?? [])
        if (!i.typeOnly && graph.has(i.target)) visit(i.target, [...trail, path]);
      state.set(path, 'done');
    };
    for (const path of graph.keys()) visit(path, []);
    expect(cycles).toEqual([]);
  });

  it('keeps the pure core free of files, network, terminal and clock', () => {
    const reached = [...graph.keys()]
      .filter(PURE)
      .flatMap((path) =>
        [...staticClosure(path)]
          .filter((target) => IO_MODULES.includes(target))
          .map((target) => `${path} reaches ${target}`),
      );
    expect(reached).toEqual([]);
    const clocks = [...graph]
      .filter(([path, { text }]) => PURE(path) && /\bDate\.now\(|new Date\(\)/.test(text))
      .map(([path]) => path);
    expect(clocks).toEqual([]);
  });

  it('lets nothing below cli/ import cli/', () => {
    expect(
      violations(
        (path) => folder(path) !== 'cli',
        (i) => !i.target.startsWith('src/cli/'),
      ),
    ).toEqual([]);
  });

  it('keeps the lowest modules lowest: diagnostics/ and shared/ import no other folder, config/ no client', () => {
    const within =
      (...folders: string[]) =>
      (i: Import): boolean =>
        !inSrc(i.target) || folders.includes(folder(i.target));
    expect(violations((p) => folder(p) === 'diagnostics', within('diagnostics'))).toEqual([]);
    expect(violations((p) => folder(p) === 'shared', within('shared', 'diagnostics'))).toEqual([]);
    expect(violations((p) => folder(p) === 'config', within('config', 'shared', 'diagnostics'))).toEqual([]);
  });

  it('lets the sandbox share only the wire types, signing and the API limits with the client', () => {
    const shared = ['src/api/endpoints.ts', 'src/api/signing.ts', 'src/api/api-limits.ts'];
    expect(
      violations(
        (path) => folder(path) === 'sandbox',
        (i) =>
          !inSrc(i.target) ||
          ['sandbox', 'shared', 'diagnostics'].includes(folder(i.target)) ||
          shared.includes(i.target),
      ),
    ).toEqual([]);
  });

  it('loads the emulator only when the sandbox is the target', () => {
    // Commands are loaded one at a time (cli/commands/index.ts); only `ipass sandbox` runs the
    // emulator as such. Every other command reaches it only through connect()'s dynamic import.
    const commands = [...graph.keys()].filter(
      (path) => path.startsWith('src/cli/commands/') && !path.endsWith('/sandbox.ts'),
    );
    expect(commands.length).toBeGreaterThan(5);
    const loaded = commands.flatMap((command) =>
      [...staticClosure(command)]
        .filter((p) => p.startsWith('src/sandbox/'))
        .map((p) => `${command} loads ${p}`),
    );
    expect(loaded).toEqual([]);
    const dynamicOnly = violations(
      (path) => folder(path) !== 'sandbox' && path !== 'src/cli/commands/sandbox.ts',
      (i) => !i.target.startsWith('src/sandbox/') || i.typeOnly || i.dynamic,
    );
    expect(dynamicOnly).toEqual([]);
  });
});
