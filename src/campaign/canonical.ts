// Plain-data helpers for normalization: deep merge of `defaults` under a template (mappings merge,
// everything else, lists included, is replaced) and canonical key order so equal specs serialize equally.

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `over` merged onto `base` as a fresh copy: mappings merge key by key, `over` wins everywhere
 * else (lists replace), and every mapping's keys are sorted. Inputs are not changed.
 */
export function canonicalMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return canonical(base);
  if (!isPlainObject(base) || !isPlainObject(over)) return canonical(over);
  const out: PlainObject = {};
  const keys = Object.keys(base);
  for (const key of Object.keys(over)) if (!Object.hasOwn(base, key)) keys.push(key);
  for (const key of keys.sort()) set(out, key, canonicalMerge(base[key], over[key]));
  return out;
}

/** A copy with every mapping's keys in sorted (code unit) order, recursively. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isPlainObject(value)) return value;
  const out: PlainObject = {};
  for (const key of Object.keys(value).sort()) set(out, key, canonical(value[key]));
  return out;
}

/** Assign an own property; a key named "__proto__" stays data instead of changing the prototype. */
function set(target: PlainObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Whether `path` leads to a value (possibly null) inside `root`. */
export function hasPath(root: unknown, path: readonly (string | number)[]): boolean {
  let node: unknown = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') {
      if (segment < 0 || segment >= node.length) return false;
      node = node[segment];
    } else if (isPlainObject(node) && Object.hasOwn(node, segment)) {
      node = node[segment];
    } else {
      return false;
    }
  }
  return true;
}

/** The value at `path`, or undefined. */
export function valueAtPath(root: unknown, path: readonly (string | number)[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
