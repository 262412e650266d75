// User text inside a Markdown comment (pure): campaign names, file paths and messages are shown as
// written, never as emphasis, links, HTML, math or extra table columns.

/** Characters that Markdown (GitHub's flavour: tables, strikethrough, math) would act on. */
const ACTIVE = /[\\`*_[\]<>|~&$]/g;

/** Text for a paragraph, list item or table cell: active characters escaped, one line. */
export function mdText(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(ACTIVE, (c) => `\\${c}`);
}

/**
 * An inline code span that holds any text: a fence longer than the longest run of backticks inside.
 * In a table cell `|` still ends the cell, so it is escaped there (GitHub shows it as `|`).
 */
export function mdCode(text: string, inTable = false): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block whose fence no line inside can close. */
export function mdBlock(lines: readonly string[]): string[] {
  const longest = Math.max(0, ...lines.flatMap((l) => l.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...lines, fence];
}

/** Text inside raw HTML (a `<summary>`): entities for the characters HTML acts on. */
export function htmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}
