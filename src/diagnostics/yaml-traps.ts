// YAML that parses but does not mean what its writer meant, found on the built document: keys that
// are special in JavaScript (`__proto__`, `constructor`, `prototype`), refused everywhere; text cut
// short by ` #` (the rest became a comment); and a hint for `name: Offer: Bean Club`. Pure.
import { type Document, isMap, isPair, isScalar, isSeq, type Node, Scalar } from 'yaml';
import type { Diagnostic, SourcePosition } from './diagnostic.js';
import { excerpt } from './terminal-text.js';

export type JsonPath = readonly (string | number)[];

/** Longest line the hint patterns run on (they backtrack, so their input is bounded first). */
const MAX_TRAP_LINE = 240;

/** Keys no YAML file read by ipass may use: JavaScript gives them a meaning of their own. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Every node under the document with its path, keys included (depth is bounded by yaml-limits). */
function walk(
  node: unknown,
  path: (string | number)[],
  visit: (node: Node, path: JsonPath, key: boolean) => void,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      if (isScalar(pair.key)) visit(pair.key, path, true);
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      walk(pair.value, [...path, key], visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      walk(item, [...path, i], visit);
    });
  } else if (isScalar(node)) {
    visit(node, path, false);
  }
}

export interface TrapOptions {
  text: string;
  file: string;
  at: (offset: number) => SourcePosition;
  /** Whether the value at `path` is free text (a cut there is worth a warning). */
  isTextField?: (path: JsonPath) => boolean;
}

export function yamlTraps(doc: Document, o: TrapOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  walk(doc.contents, [], (node, path, key) => {
    if (key) {
      const name = String((node as Scalar).value);
      if (RESERVED_KEYS.has(name) && node.range) out.push(reservedKey(name, o.at(node.range[0]), path));
      return;
    }
    if (o.isTextField?.(path)) {
      const cut = cutByComment(node, o.text);
      if (cut) out.push(commentInText(path, node as Scalar, cut, o));
    }
  });
  return out;
}

function reservedKey(name: string, position: SourcePosition, path: JsonPath): Diagnostic {
  return {
    severity: 'error',
    code: 'YAML_RESERVED_KEY',
    message: `The key ${name} is not allowed: \`__proto__\`, \`constructor\` and \`prototype\` have a meaning of their own in JavaScript, so ipass cannot keep such a field as written.`,
    hint: 'Rename or remove this key (in any mapping, including passExtInfo, codeInfo, dataInfo and extInfo).',
    position,
    path: `/${[...path, name].join('/')}`,
  };
}

/** Offset of a comment written right after a plain scalar with no space after `#` ("#1 in HK"). */
function cutByComment(node: Node, text: string): number | undefined {
  if (!(node instanceof Scalar) || node.type !== Scalar.PLAIN || typeof node.value !== 'string')
    return undefined;
  const end = node.range?.[1];
  if (end === undefined) return undefined;
  let i = end;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (i === end || text[i] !== '#') return undefined;
  const after = text[i + 1];
  return after === undefined || /\s/.test(after) ? undefined : i;
}

function commentInText(path: JsonPath, node: Scalar, offset: number, o: TrapOptions): Diagnostic {
  const field = String(path[path.length - 1]);
  const lineEnd = o.text.indexOf('\n', offset);
  const comment = o.text
    .slice(offset, lineEnd === -1 ? undefined : lineEnd)
    .replace(/\r$/, '')
    .trimEnd();
  const whole = `${String(node.value)} ${comment}`;
  return {
    severity: 'warning',
    code: 'YAML_COMMENT_IN_TEXT',
    message: `\`${field}\` is read as ${JSON.stringify(excerpt(String(node.value)))}: in YAML, a # after a space starts a comment, so "${excerpt(comment)}" is dropped.`,
    hint: `If "${excerpt(comment)}" is part of the text, put the whole value in quotes: ${field}: ${JSON.stringify(excerpt(whole, 80))}. If it is a comment, write a space after the #.`,
    position: o.at(offset),
    path: `/${path.join('/')}`,
  };
}

/**
 * For "Nested mappings are not allowed in compact mappings" at `offset`: when the line is
 * `key: text: more`, the fix is quotes, not a missing ":".
 */
export function colonInValue(text: string, offset: number): { message: string; hint: string } | undefined {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  const line = text.slice(start, end === -1 ? undefined : end).replace(/\r$/, '');
  // The patterns below backtrack; a line too long for a person to read gets the plain message.
  if (line.length > MAX_TRAP_LINE) return undefined;
  const m = /^(\s*(?:-\s+)?)([^\s#'"{[][^:#]*?):[ \t]+([^'"{[|>].*?:(?:[ \t].*)?)$/.exec(line);
  if (!m) return undefined;
  const key = m[2] ?? '';
  const value = (m[3] ?? '').replace(/[ \t]+#.*$/, '').trim();
  return {
    message: `YAML: the value of \`${key}\` contains ": ", which YAML reads as the start of another key.`,
    hint: `Put the value in quotes: ${key}: ${JSON.stringify(value)}.`,
  };
}

/**
 * For "… must end with a }" (or ]): a ` #` inside `{ … }` on one line starts a comment that hides
 * the closing bracket. Finds that `#` (on the line of the error or the one before) and the value it
 * cuts, so the diagnostic points there and suggests quotes.
 */
export function commentInFlow(
  text: string,
  offset: number,
  message: string,
): { offset: number; message: string; hint: string } | undefined {
  const close = /end with a ([}\]])/.exec(message)?.[1];
  if (!close) return undefined;
  let lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  for (let tries = 0; tries < 2 && lineStart >= 0; tries++) {
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    const m = line.length > MAX_TRAP_LINE ? null : /^(.*[{[].*?)[ \t]#(\S.*)$/.exec(line);
    if (m?.[2]?.includes(close)) {
      const before = m[1] ?? '';
      const cut = /([^\s{[,]+):[ \t]+([^,{}[\]]*?)[ \t]*$/.exec(before);
      const rest = /^[^,}\]]*/.exec(m[2])?.[0].trimEnd() ?? '';
      const hint = cut
        ? `Put the value in quotes: ${cut[1]}: ${JSON.stringify(`${cut[2]} #${rest}`)}.`
        : 'Put the text that contains # in quotes.';
      return {
        offset: lineStart + before.length + 1,
        message: `YAML: a # after a space starts a comment, which hides the rest of this line, the closing ${close} included.`,
        hint,
      };
    }
    if (lineStart === 0) break;
    lineStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  }
  return undefined;
}
