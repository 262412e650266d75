// Field-level differences between two JSON values, as dotted paths with before → after.
// Objects are compared key by key; arrays and scalars as wholes.
import type { Reason } from './plan-types.js';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Every leaf that differs; `undefined` on one side means the field is absent there. */
export function diffValues(before: unknown, after: unknown, path = ''): Reason[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (deepEqual(before, after)) return [];
  const reason: Reason = { path };
  if (before !== undefined) reason.before = before;
  if (after !== undefined) reason.after = after;
  return [reason];
}

/** The top-level field a dotted path belongs to. */
export function rootField(path: string): string {
  const dot = path.indexOf('.');
  return dot === -1 ? path : path.slice(0, dot);
}
