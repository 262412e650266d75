// YAML text → plain value plus a way back from a JSON path to file:line:col. Syntax problems
// (bad indentation, duplicate keys, tabs, ...) become diagnostics, the first syntax error of a file
// only; files beyond the shape limits are refused before the document is built. Never throws on input.

import { Composer, type CST, type Document, Lexer, LineCounter, Parser, YAMLParseError } from 'yaml';
import type { Diagnostic, SourcePosition } from './diagnostic.js';
import type { ErrorCode } from './error-codes.js';
import { checkYamlLimits, describeYamlLimit, type YamlLimitBreach, type YamlLimits } from './yaml-limits.js';
import { yamlLocator } from './yaml-locate.js';
import { colonInValue, commentInFlow, type JsonPath, yamlTraps } from './yaml-traps.js';

export type { JsonPath } from './yaml-traps.js';

/** Limits for any YAML file ipass reads (campaign files and the config). */
export const DEFAULT_YAML_LIMITS: YamlLimits = { maxDepth: 64, maxEntries: 10_000, maxNodes: 200_000 };

const LIMIT_CODES: Readonly<Record<YamlLimitBreach['limit'], ErrorCode>> = {
  depth: 'YAML_TOO_DEEP',
  entries: 'YAML_TOO_MANY_ENTRIES',
  section: 'YAML_TOO_MANY_ENTRIES',
  nodes: 'YAML_TOO_LARGE',
};

export interface ParseYamlOptions {
  limits?: YamlLimits;
  /** Whether the value at a path is free text: a ` #` that cuts it short is then a warning. */
  isTextField?: (path: JsonPath) => boolean;
}

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

function syntaxCode(yamlCode: string): ErrorCode {
  return yamlCode === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX';
}

export function parseYamlSource(text: string, file: string, options: ParseYamlOptions = {}): YamlSource {
  const lineCounter = new LineCounter();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { file, line, col };
  };
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const breach = checkYamlLimits(tokens, options.limits ?? DEFAULT_YAML_LIMITS);
  if (breach) {
    const { message, hint } = describeYamlLimit(breach);
    const code = LIMIT_CODES[breach.limit];
    const diagnostic: Diagnostic = { severity: 'error', code, message, hint, position: at(breach.offset) };
    return {
      file,
      value: undefined,
      diagnostics: [diagnostic],
      locate: () => at(0),
      keyPositions: () => new Map(),
    };
  }
  const doc = compose(tokens, text.length);
  const { errors, warnings } = syntaxProblems(doc, text, at);
  const diagnostics: Diagnostic[] = [...warnings, ...firstError(errors)];
  if (errors.length === 0) diagnostics.push(...yamlTraps(doc, { text, file, at, ...options }));
  let value: unknown;
  if (!diagnostics.some((d) => d.severity === 'error')) {
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
  return { file, value, diagnostics, ...yamlLocator(doc, at) };
}

/** The parser's errors and warnings, placed where the mistake is and worded for a person. */
function syntaxProblems(
  doc: Document.Parsed,
  text: string,
  at: (offset: number) => SourcePosition,
): { errors: Located[]; warnings: Diagnostic[] } {
  const errors: Located[] = [];
  const warnings: Diagnostic[] = [];
  for (const [severity, list] of [
    ['error', doc.errors],
    ['warning', doc.warnings],
  ] as const) {
    for (const e of list) {
      const message = e.message.split('\n')[0] ?? e.message;
      // A ` #` that hid a closing bracket, and a missing closing quote, are reported where the parser
      // gave up (often the end of the input); point at the # or the opening quote.
      const flow = commentInFlow(text, e.pos[0], message);
      const start =
        flow?.offset ??
        (e.code === 'MISSING_CHAR' ? (unclosedQuoteOffset(text, e.pos[0]) ?? e.pos[0]) : e.pos[0]);
      // Traps with a better message and hint than the parser's.
      const trap = e.code === 'BLOCK_AS_IMPLICIT_KEY' ? colonInValue(text, e.pos[0]) : flow;
      const hint =
        trap?.hint ??
        SYNTAX_HINTS[e.code] ??
        'Fix the YAML syntax at this place; quoting the value often helps.';
      const d: Located = {
        severity,
        code: syntaxCode(e.code),
        message:
          e.code === 'DUPLICATE_KEY'
            ? duplicateKeyMessage(text, e.pos[0])
            : (trap?.message ?? `YAML: ${message.replace(/ at line \d+, column \d+:?$/, '')}`),
        hint,
        position: at(start),
        offset: start,
      };
      if (severity === 'error') errors.push(d);
      else warnings.push(strip(d));
    }
  }
  return { errors, warnings };
}

/** The token tree → one document, as yaml's parseDocument builds it. */
function compose(tokens: readonly CST.Token[], length: number): Document.Parsed {
  const composer = new Composer({ prettyErrors: false, uniqueKeys: true, merge: false });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          'MULTIPLE_DOCS',
          'A file holds one document; this is a second one (after ---)',
        ),
      );
      break;
    }
  }
  return doc as Document.Parsed;
}

/**
 * After a syntax error the parser's view of the rest is guesswork (it reports keys as repeated,
 * indentation as wrong, …): one cause, one report. Without one, every repeated key is real.
 */
function firstError(errors: readonly Located[]): Diagnostic[] {
  if (errors.every((e) => e.code === 'YAML_DUPLICATE_KEY')) return errors.map(strip);
  const first = errors.reduce((a, b) => (b.offset < a.offset ? b : a));
  return [strip(first)];
}

/** A diagnostic with the offset it was found at, until the errors are sorted out. */
type Located = Diagnostic & { offset: number };

function strip({ offset: _offset, ...d }: Located): Diagnostic {
  return d;
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
