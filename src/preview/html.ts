// A tiny safe-HTML builder (pure): every interpolated value is escaped unless it is already
// SafeHtml, so user text from campaign files can never become markup. Invisible and direction-changing
// characters (U+202E, U+200B, …) and control characters are shown as `<U+202E>` / `\x1b`, so a
// reviewer sees them; line breaks and tabs stay.
import { isControl, isInvisible, visibleCodePoint } from '../diagnostics/terminal-text.js';

export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Invisible characters as `<U+202E>`, control characters (but line breaks and tabs) as `\x1b`. */
function showHidden(text: string): string {
  let out = '';
  let plain = true;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isInvisible(cp)) {
      out += visibleCodePoint(cp);
      plain = false;
    } else if (isControl(cp) && cp !== 0x0a && cp !== 0x09 && cp !== 0x0d) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
      plain = false;
    } else out += ch;
  }
  return plain ? text : out;
}

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return showHidden(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Markup ipass produced itself (CSS, generated SVG): inserted as is. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\``: strings and numbers escaped, SafeHtml kept, lists joined, nullish dropped. */
export function html(strings: TemplateStringsArray, ...values: readonly Value[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as Value) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Class names from a map of name → on. */
export function classes(map: Readonly<Record<string, boolean | undefined>>): string {
  return Object.entries(map)
    .filter(([, on]) => on)
    .map(([name]) => name)
    .join(' ');
}
