// One list of error codes (src/diagnostics/error-codes.ts): every code is documented on
// docs/error-codes.md with its kind and meaning, the page lists nothing else, and every code the
// sources and the schemas give is in the list or is one of the API's own (docs/result-codes.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CLIENT_CODES } from '../src/api/client-codes.js';
import { RESULT_CODES } from '../src/api/result-codes.js';
import { categoryOf, ERROR_CODES, isErrorCode, isStorageFailure } from '../src/diagnostics/error-codes.js';
import { IpassError } from '../src/diagnostics/errors.js';
import { fileSystemError } from '../src/shared/fs-errors.js';

const ROOT = join(import.meta.dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/**
 * Codes given in the sources: `new IpassError('CODE', …)` and `code: 'CODE'` (either branch of a ?:),
 * in upper case (a library's own codes, such as commander's `commander.unknownOption`, are not ours).
 */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const literals = (node: ts.Node | undefined): ts.StringLiteral[] => {
    if (!node) return [];
    if (ts.isStringLiteral(node)) return [node];
    if (ts.isConditionalExpression(node)) return [...literals(node.whenTrue), ...literals(node.whenFalse)];
    if (ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node))
      return literals(node.expression);
    return [];
  };
  for (const path of globSync('src/**/*.ts', { cwd: ROOT, ignore: ['**/*.test.ts', '**/testing/**'] })) {
    const file = ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      let values: ts.StringLiteral[] = [];
      if (ts.isNewExpression(node) && node.expression.getText(file) === 'IpassError')
        values = literals(node.arguments?.[0]);
      else if (ts.isPropertyAssignment(node) && node.name.getText(file) === 'code')
        values = literals(node.initializer);
      for (const v of values.filter((l) => /^[A-Z][A-Z0-9_]+$/.test(l.text))) {
        const line = file.getLineAndCharacterOfPosition(v.getStart(file)).line + 1;
        if (!found.has(v.text)) found.set(v.text, `${path}:${line}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

/** Every `x-codes` value of a schema, and those in the part of the campaign schema under `passes`. */
function schemaCodes(node: unknown, defs: Record<string, unknown>, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) for (const x of n) walk(x);
    else if (n !== null && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if (k === 'x-codes' && v && typeof v === 'object')
          for (const c of Object.values(v)) out.add(String(c));
        else if (k === '$ref' && typeof v === 'string') {
          const name = v.replace('#/definitions/', '');
          if (!seen.has(name)) {
            seen.add(name);
            walk(defs[name]);
          }
        } else walk(v);
      }
    }
  };
  walk(node);
  return out;
}

const API_CODES = new Set([...Object.keys(RESULT_CODES), ...Object.keys(CLIENT_CODES)]);

describe('error codes', () => {
  it('documents every code on docs/error-codes.md with its kind and meaning, and nothing else', () => {
    const rows = new Map(
      [...read('docs/error-codes.md').matchAll(/^\| `([A-Z0-9_]+)` \| (\w+) \| (.*) \|$/gm)].map((m) => [
        m[1] ?? '',
        `${m[2]} | ${(m[3] ?? '').replaceAll('\\|', '|')}`,
      ]),
    );
    for (const [code, info] of Object.entries(ERROR_CODES))
      expect(rows.get(code), `${code} on docs/error-codes.md`).toBe(`${info.kind} | ${info.meaning}`);
    expect([...rows.keys()].filter((code) => !isErrorCode(code))).toEqual([]);
    expect(rows.size).toBe(Object.keys(ERROR_CODES).length);
  });

  it('lists every code the sources give, or it is one of the API result codes', () => {
    const found = codesInSources();
    expect(found.has('STATE_NOT_RECORDED') && found.has('RECIPIENTS_CHANGED')).toBe(true);
    const unlisted = [...found].filter(([code]) => !isErrorCode(code) && !API_CODES.has(code));
    expect(unlisted.map(([code, where]) => `${code} (${where})`)).toEqual([]);
  });

  it('lists every code the schemas name, and the pass batch form of the template codes under `passes`', () => {
    for (const name of ['campaign', 'config', 'state', 'journal']) {
      const schema = JSON.parse(read(`schemas/${name}.schema.json`)) as Record<string, unknown>;
      const defs = (schema.definitions ?? {}) as Record<string, unknown>;
      for (const code of schemaCodes(schema, defs)) expect(isErrorCode(code), `${code} (${name})`).toBe(true);
    }
    const campaign = JSON.parse(read('schemas/campaign.schema.json')) as {
      properties: Record<string, unknown>;
      definitions: Record<string, unknown>;
    };
    const underPasses = schemaCodes(campaign.properties.passes, campaign.definitions);
    expect(underPasses.has('TEMPLATE_UNKNOWN_TYPE')).toBe(true);
    for (const code of underPasses) {
      const pass = code.replace(/^TEMPLATE_/, 'PASS_');
      expect(isErrorCode(pass), `${pass} (for ${code} under passes)`).toBe(true);
    }
  });

  it('names no code twice across ipass and the API, so a code says whose it is', () => {
    expect(Object.keys(ERROR_CODES).filter((code) => API_CODES.has(code))).toEqual([]);
  });

  it('counts a file-system failure and a lost database as storage failures, and nothing else', () => {
    for (const errno of [
      'ENOSPC',
      'EDQUOT',
      'EROFS',
      'EACCES',
      'EPERM',
      'EISDIR',
      'EMFILE',
      'EIO',
      'EWHAT',
    ]) {
      const error = fileSystemError(
        Object.assign(new Error(errno), { code: errno, syscall: 'write' }),
        'x',
        'write',
      );
      expect(error instanceof IpassError && isStorageFailure(error), errno).toBe(true);
    }
    expect(categoryOf('STATE_DB_LOST')).toBe('storage');
    const notStorage = [
      'RECIPIENTS_CHANGED',
      'STATE_CORRUPT',
      'PASS_LEDGER_CORRUPT',
      'LOCK_HELD',
      'PLAN_STALE',
    ];
    for (const code of notStorage) expect(isStorageFailure({ code }), code).toBe(false);
    expect(isStorageFailure({ code: 'PARAM_ILLEGAL' })).toBe(false);
  });
});
