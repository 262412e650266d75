// User text inside a Markdown comment (pure): campaign names, file paths and messages are shown as
// written, never as emphasis, links, images, autolinks, mentions, HTML, math, headings, list items,
// block quotes or extra table columns. Line breaks (CR, LF, U+2028/2029, NEL) become spaces, so a value
// stays on its line; other control and invisible characters are shown as escapes (`\x1b`, `<U+202E>`).
import { escapeControl } from '../diagnostics/terminal-text.js';

/** Characters that Markdown (GitHub's flavour: tables, strikethrough, math) would act on anywhere. */
const ACTIVE = new Set(['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '$', '#', '!']);

/** Word joiner: after `@` it keeps GitHub from turning `@someone` into a mention, and shows nothing. */
const WORD_JOINER = '\u2060';

/** One line: every line break a space, every other control or invisible character visible. */
export function oneLine(text: string): string {
  let flat = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue; // CRLF: one space, from the LF
    flat += c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029 || c === 0x85 ? ' ' : text[i];
  }
  return escapeControl(flat);
}

/** Text for a paragraph, list item or table cell: one line, nothing Markdown could act on. */
export function mdText(text: string): string {
  const flat = oneLine(text);
  let out = '';
  for (let i = 0; i < flat.length; i++) {
    const ch = flat[i] ?? '';
    if (ACTIVE.has(ch)) out += `\\${ch}`;
    else if (ch === '@') out += `@${WORD_JOINER}`;
    else if (ch === ':' && flat.startsWith('//', i + 1))
      out += '\\:'; // http:// is no autolink
    else if (ch === '.' && i >= 3 && flat.slice(i - 3, i).toLowerCase() === 'www') out += '\\.';
    else out += ch;
  }
  // At the start of a line these open a list item or a setext heading.
  const lead = /^(\s*)([-+=]|\d{1,9}[.)])/.exec(out);
  if (lead) {
    const mark = lead[2] ?? '';
    const at = (lead[1] ?? '').length + mark.length - 1;
    out = `${out.slice(0, at)}\\${out.slice(at)}`;
  }
  return out;
}

/**
 * An inline code span that holds any text: a fence longer than the longest run of backticks inside.
 * In a table cell `|` still ends the cell, so it is escaped there (GitHub shows it as `|`).
 */
export function mdCode(text: string, inTable = false): string {
  const flat = oneLine(text);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block whose fence no line inside can close (each line kept on one line). */
export function mdBlock(lines: readonly string[]): string[] {
  const flat = lines.map(oneLine);
  const longest = Math.max(0, ...flat.flatMap((l) => l.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...flat, fence];
}

/** Text inside raw HTML (a `<summary>`): entities for the characters HTML acts on, one line. */
export function htmlText(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, `@${WORD_JOINER}`);
}
