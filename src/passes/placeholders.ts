// {{column}} substitution into a batch's codeInfo, dataInfo and extInfo (pure). A template is compiled
// once per batch; each row then fills it from its values, with the JSON length known without
// serializing (the API caps codeInfo at 512 and dataInfo at 8192 characters).

/**
 * Where `{{ name }}` placeholders are in a text (spaces allowed inside, no braces): each match's
 * start, end and trimmed name, found in one pass (a pattern with nested repeats took cubic time on
 * `{{` followed by spaces). The campaign loader checks the same syntax.
 */
export function findPlaceholders(text: string): { start: number; end: number; name: string }[] {
  const found: { start: number; end: number; name: string }[] = [];
  let i = text.indexOf('{{');
  while (i !== -1) {
    let j = i + 2;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 0x7b || c === 0x7d) break; // { or }
      j++;
    }
    if (j + 1 < text.length && text.charCodeAt(j) === 0x7d && text.charCodeAt(j + 1) === 0x7d) {
      found.push({ start: i, end: j + 2, name: text.slice(i + 2, j).trim() });
      i = text.indexOf('{{', j + 2);
    } else {
      // No placeholder starts at i; none starts between i + 2 and j (no brace there) either.
      i = text.indexOf('{{', j === i + 2 ? i + 1 : j);
    }
  }
  return found;
}

/** `text` split around its placeholders: literal text at even indexes, names at odd ones. */
export function splitPlaceholders(text: string): string[] {
  const pieces: string[] = [];
  let at = 0;
  for (const m of findPlaceholders(text)) {
    pieces.push(text.slice(at, m.start), m.name);
    at = m.end;
  }
  pieces.push(text.slice(at));
  return pieces;
}

/** A string value split into literal text and placeholder names (odd indexes are names). */
type Pieces = readonly string[];

type Node =
  | { kind: 'text'; value: string }
  | { kind: 'fill'; pieces: Pieces }
  | { kind: 'object'; entries: readonly (readonly [string, Node])[] }
  | { kind: 'array'; items: readonly Node[] }
  | { kind: 'value'; value: unknown };

export interface CompiledValue {
  /** Placeholder names in this value, each once. */
  readonly names: readonly string[];
  /** JSON length with every placeholder removed. */
  readonly baseLength: number;
  /** How many times each name occurs (parallel to `names`). */
  readonly counts: readonly number[];
  readonly node: Node;
}

/** Looks up a placeholder's value for the current row. */
export type Lookup = (name: string) => string;

export function compileValue(value: unknown): CompiledValue {
  const occurrences = new Map<string, number>();
  const node = compileNode(value, occurrences);
  const names = [...occurrences.keys()];
  return {
    names,
    counts: names.map((n) => occurrences.get(n) ?? 0),
    baseLength: JSON.stringify(fill(node, () => '')).length,
    node,
  };
}

function compileNode(value: unknown, occurrences: Map<string, number>): Node {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return { kind: 'text', value };
    const pieces = splitPlaceholders(value);
    if (pieces.length === 1) return { kind: 'text', value };
    for (let i = 1; i < pieces.length; i += 2) {
      const name = pieces[i] ?? '';
      occurrences.set(name, (occurrences.get(name) ?? 0) + 1);
    }
    return { kind: 'fill', pieces };
  }
  if (Array.isArray(value)) return { kind: 'array', items: value.map((v) => compileNode(v, occurrences)) };
  if (value !== null && typeof value === 'object') {
    return {
      kind: 'object',
      entries: Object.entries(value).map(([k, v]) => [k, compileNode(v, occurrences)] as const),
    };
  }
  return { kind: 'value', value };
}

/** The value with every placeholder replaced by its row value. */
export function fill(node: Node, lookup: Lookup): unknown {
  switch (node.kind) {
    case 'text':
      return node.value;
    case 'value':
      return node.value;
    case 'fill': {
      let out = node.pieces[0] ?? '';
      for (let i = 1; i < node.pieces.length; i += 2)
        out += lookup(node.pieces[i] ?? '') + (node.pieces[i + 1] ?? '');
      return out;
    }
    case 'array':
      return node.items.map((item) => fill(item, lookup));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of node.entries) out[k] = fill(v, lookup);
      return out;
    }
  }
}

/** Characters `s` takes inside a JSON string, without the quotes. */
export function jsonStringLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A quote, a backslash or a control character is escaped; then let JSON count.
    if (c < 0x20 || c === 0x22 || c === 0x5c) return JSON.stringify(s).length - 2;
  }
  return s.length;
}

/** JSON length of the filled value, computed from the row's values only. */
export function filledLength(compiled: CompiledValue, lookup: Lookup): number {
  let length = compiled.baseLength;
  for (let i = 0; i < compiled.names.length; i++) {
    length += jsonStringLength(lookup(compiled.names[i] ?? '')) * (compiled.counts[i] ?? 0);
  }
  return length;
}

/** Placeholder names used anywhere in the values, each once, in first-use order. */
export function placeholderNames(values: readonly CompiledValue[]): string[] {
  return [...new Set(values.flatMap((v) => v.names))];
}

/** The batch fields that take placeholders, compiled. */
export interface CompiledContent {
  codeInfo: CompiledValue;
  dataInfo: CompiledValue | undefined;
  extInfo: CompiledValue | undefined;
}

export function compileContent(batch: {
  codeInfo: Record<string, string>;
  dataInfo?: Record<string, Record<string, string>>;
  extInfo?: Record<string, unknown>;
}): CompiledContent {
  return {
    codeInfo: compileValue(batch.codeInfo),
    dataInfo: batch.dataInfo === undefined ? undefined : compileValue(batch.dataInfo),
    extInfo: batch.extInfo === undefined ? undefined : compileValue(batch.extInfo),
  };
}

/** codeInfo and dataInfo as objects, extInfo as the JSON string the API expects. */
export interface FilledContent {
  codeInfo: Record<string, string>;
  dataInfo?: Record<string, Record<string, string>>;
  extInfo?: string;
}

export function fillContent(content: CompiledContent, lookup: Lookup): FilledContent {
  const out: FilledContent = { codeInfo: fill(content.codeInfo.node, lookup) as Record<string, string> };
  if (content.dataInfo)
    out.dataInfo = fill(content.dataInfo.node, lookup) as Record<string, Record<string, string>>;
  if (content.extInfo) out.extInfo = JSON.stringify(fill(content.extInfo.node, lookup));
  return out;
}
