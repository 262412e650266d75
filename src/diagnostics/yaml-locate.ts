// The way back from a JSON path to file:line:col in a parsed YAML document: the node at a path (or
// its key, or the nearest ancestor that exists), and every key of a mapping. Each mapping's pairs are
// indexed on first use, so a lookup per path segment stays constant-time in a file of thousands.
import { type Document, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { SourcePosition } from './diagnostic.js';
import type { JsonPath } from './yaml-traps.js';

export interface YamlLocator {
  locate(path: JsonPath, at?: 'key' | 'value'): SourcePosition;
  keyPositions(path: JsonPath): Map<string, SourcePosition>;
}

export function yamlLocator(doc: Document.Parsed, at: (offset: number) => SourcePosition): YamlLocator {
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string | number): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value)))
          index.set(String(p.key.value), p);
      }
      indexes.set(map, index);
    }
    return index.get(String(key));
  };

  const locate = (path: JsonPath, where: 'key' | 'value' = 'value'): SourcePosition => {
    let node: unknown = doc.contents;
    let best: number = (node as Node | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = segment === undefined ? undefined : pairOf(node, segment);
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
        node = pairOf(node, segment)?.value;
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

  return { locate, keyPositions };
}
