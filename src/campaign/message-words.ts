// Words shared by campaign messages: who a JSON path belongs to ("template coffee-voucher"), the
// field part of the path, quoting, lengths in characters, and key suggestions. Pure.
import type { ErrorObject } from 'ajv';
import { excerpt } from '../diagnostics/terminal-text.js';
import type { JsonPath } from '../diagnostics/yaml-source.js';

/** Who the path belongs to, for messages: "template coffee", "defaults", "pass batch welcome". */
export function owner(path: JsonPath): string {
  const [top, key] = path;
  if (top === 'templates' && key !== undefined) return `template ${key}`;
  if (top === 'passes' && key !== undefined) return `pass batch ${key}`;
  if (top === 'defaults') return 'defaults';
  if (top === 'moved' && typeof key === 'number') return `moved entry ${key + 1}`;
  return 'the file';
}

/** The field part of a path after its owner, dotted: "localeInfo.zh_HK.name". */
export function fieldOf(path: JsonPath): string {
  const top = path[0];
  const start = top === 'defaults' ? 1 : top === 'templates' || top === 'passes' || top === 'moved' ? 2 : 0;
  return path
    .slice(start)
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
}

export const chars = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);
/** A value from a file, quoted as a short excerpt (control and invisible characters made visible). */
export const quote = (value: unknown): string =>
  typeof value === 'string' ? `"${excerpt(value)}"` : excerpt(JSON.stringify(value) ?? 'nothing');
export const limitOf = (e: ErrorObject): number => Number((e.params as { limit?: number }).limit);

export function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A suggestion for a key: lowercase, runs of other characters as one hyphen. */
export function slug(s: string): string {
  const dashed = s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  let start = 0;
  let end = dashed.length;
  while (start < end && dashed[start] === '-') start++;
  while (end > start && dashed[end - 1] === '-') end--;
  return dashed.slice(start, end).slice(0, 63) || 'my-key';
}
