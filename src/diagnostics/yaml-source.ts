// YAML text → plain value plus a way back from a JSON path to file:line:col. Syntax problems
// (bad indentation, duplicate keys, tabs, ...) become diagnostics; this never throws on bad input.
import { isMap, isPair, isScalar, isSeq, Lexer, LineCounter, type Node, parseDocument } from 'yaml';
import type { Diagnostic, SourcePosition } from './diagnostic.js';

export type JsonPath = readonly (string | number)[];

export interface YamlSource {
  file: string;
  /** The document as plain JS (undefined for an empty file). */
  value: unknown;
  /** Syntax errors and warnings, already positioned. */
  diagnostics: Diagnostic[];
  /** Position of the node at `path` (its key when `at` is 'key'), or of the nearest ancestor that exists. */
  locate(path: JsonPath, at?: 'key' | 'value'): SourcePosition;
  /** Position of every key of the mapping at `path`, in one pass (empty when there is no mapping). */
  keyPositions(path: JsonPath): Map<string, SourcePosition>;
}

const SYNTAX_HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'Each key may appear once in a mapping; remove or rename the repeated one.',
  TAB_AS_INDENT: 'Indent with spaces, not tabs.',
  BAD_INDENT: 'Line up the keys of one mapping at the same column, with spaces.',
  MISSING_CHAR: 'A quote or bracket is not closed; check the quotes on this line.',
  MULTILINE_IMPLICIT_KEY: 'A key must fit on one line; did you forget a ":" or a space after it?',
  BLOCK_AS_IMPLICIT_KEY: 'A key must fit on one line; did you forget a ":" or a space after it?',
};

function syntaxCode(yamlCode: string): string {
  return yamlCode === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX';
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { file, line, col };
  };
  const diagnostics: Diagnostic[] = [];
  for (const [severity, list] of [
    ['error', doc.errors],
    ['warning', doc.warnings],
  ] as const) {
    for (const e of list) {
      const message = e.message.split('\n')[0] ?? e.message;
      // A missing closing quote is reported at the end of the input; point at the opening quote.
      const start = e.code === 'MISSING_CHAR' ? (unclosedQuoteOffset(text, e.pos[0]) ?? e.pos[0]) : e.pos[0];
      const hint =
        SYNTAX_HINTS[e.code] ?? 'Fix the YAML syntax at this place; quoting the value often helps.';
      diagnostics.push({
        severity,
        code: syntaxCode(e.code),
        message:
          e.code === 'DUPLICATE_KEY'
            ? duplicateKeyMessage(text, e.pos[0])
            : `YAML: ${message.replace(/ at line \d+, column \d+:?$/, '')}`,
        hint,
        position: at(start),
      });
    }
  }
  let value: unknown;
  if (!doc.errors.length) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      diagnostics.push({
        severity: 'error',
        code: 'YAML_SYNTAX',
        message: `YAML: ${(error as Error).message}`,
        hint: 'Avoid aliases (*name) that expand into very large documents.',
        position: at(0),
      });
    }
  }

  const locate = (path: JsonPath, where: 'key' | 'value' = 'value'): SourcePosition => {
    let node: unknown = doc.contents;
    let best: number = (node as Node | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
        );
        if (!pair) return at(best);
        const keyNode = pair.key as Node;
        if (last && where === 'key' && keyNode.range) return at(keyNode.range[0]);
        const valueNode = pair.value as Node | null;
        best = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? best;
        node = valueNode;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) return at(best);
        best = item.range?.[0] ?? best;
        node = item;
      } else {
        return at(best);
      }
    }
    return at(best);
  };

  const keyPositions = (path: JsonPath): Map<string, SourcePosition> => {
    let node: unknown = doc.contents;
    for (const segment of path) {
      if (isMap(node)) {
        node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))?.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        return new Map();
      }
    }
    const out = new Map<string, SourcePosition>();
    if (!isMap(node)) return out;
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (isScalar(key) && key.range && !out.has(String(key.value)))
        out.set(String(key.value), at(key.range[0]));
    }
    return out;
  };

  return { file, value, diagnostics, locate, keyPositions };
}

/** Name the repeated key: "the key stock appears more than once in this mapping". */
function duplicateKeyMessage(text: string, offset: number): string {
  const key = /^("[^"\n]*"|'[^'\n]*'|[^:#\n]+?)\s*:/.exec(text.slice(offset, offset + 200))?.[1];
  return key
    ? `YAML: the key ${key} appears more than once in the same mapping.`
    : 'YAML: a key appears more than once in the same mapping.';
}

/** Lexer tokens that mark structure and are not part of the source text. */
const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * Where the quoted scalar that is never closed begins (the parser reports the end of the input, far
 * from the mistake), or undefined when none is found before `end`.
 */
function unclosedQuoteOffset(text: string, end: number): number | undefined {
  let offset = 0;
  let found: number | undefined;
  for (const token of new Lexer().lex(text)) {
    if (offset > end) break;
    if (CONTROL_TOKENS.has(token)) continue;
    const quote = token[0];
    if ((quote === '"' || quote === "'") && !closesQuote(token)) found = offset;
    offset += token.length;
  }
  return found;
}

function closesQuote(token: string): boolean {
  const quote = token[0];
  if (token.length < 2 || token[token.length - 1] !== quote) return false;
  if (quote === "'") return true;
  let backslashes = 0;
  for (let i = token.length - 2; i > 0 && token[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}
