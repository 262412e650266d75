// Limits on the shape of a YAML file, checked on the parser's token tree before the document is built
// (building it recurses, and a huge one takes minutes and gigabytes): nesting depth, entries in one
// mapping or list, values in the whole file. The walk is iterative, so any input is safe. Pure.
import type { CST } from 'yaml';

export interface YamlLimits {
  /** Mappings and lists inside each other. */
  maxDepth: number;
  /** Entries of one mapping or list. */
  maxEntries: number;
  /** Values (scalars, mappings, lists) in the whole file. */
  maxNodes: number;
  /** Entries of a top-level section, by its key (e.g. `templates`), when lower than maxEntries. */
  maxSectionEntries?: Readonly<Record<string, number>>;
}

export type YamlLimitBreach =
  | { limit: 'depth'; offset: number; value: number }
  | { limit: 'entries'; offset: number; value: number }
  | { limit: 'nodes'; offset: number; value: number }
  | { limit: 'section'; offset: number; value: number; section: string };

/** The first limit the token tree breaks, with the offset where it shows; undefined when none. */
export function checkYamlLimits(
  tokens: readonly CST.Token[],
  limits: YamlLimits,
): YamlLimitBreach | undefined {
  const stack: Array<{ token: CST.Token; depth: number }> = [];
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token) stack.push({ token, depth: 0 });
  }
  let nodes = 0;
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { token, depth } = next;
    if (token.type === 'document') {
      if (token.value) stack.push({ token: token.value, depth });
      continue;
    }
    nodes++;
    if (nodes > limits.maxNodes) return { limit: 'nodes', offset: token.offset, value: limits.maxNodes };
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection')
      continue;
    if (depth + 1 > limits.maxDepth) return { limit: 'depth', offset: token.offset, value: limits.maxDepth };
    const items = token.items as readonly CST.CollectionItem[];
    if (items.length > limits.maxEntries) {
      return {
        limit: 'entries',
        offset: itemOffset(items[limits.maxEntries], token),
        value: limits.maxEntries,
      };
    }
    if (depth === 0 && limits.maxSectionEntries) {
      const breach = sectionBreach(items, limits.maxSectionEntries);
      if (breach) return breach;
    }
    for (let k = items.length - 1; k >= 0; k--) {
      const item = items[k];
      if (item?.value) stack.push({ token: item.value, depth: depth + 1 });
      if (item?.key) stack.push({ token: item.key, depth: depth + 1 });
    }
  }
  return undefined;
}

function itemOffset(item: CST.CollectionItem | undefined, parent: CST.Token): number {
  return item?.key?.offset ?? item?.value?.offset ?? item?.start[0]?.offset ?? parent.offset;
}

function sectionBreach(
  items: readonly CST.CollectionItem[],
  max: Readonly<Record<string, number>>,
): YamlLimitBreach | undefined {
  for (const item of items) {
    const key = item.key?.type === 'scalar' ? item.key.source : undefined;
    const limit = key === undefined ? undefined : max[key];
    const value = item.value;
    if (limit === undefined || key === undefined || !value) continue;
    if (value.type !== 'block-map' && value.type !== 'block-seq' && value.type !== 'flow-collection')
      continue;
    const entries = value.items as readonly CST.CollectionItem[];
    if (entries.length > limit) {
      return { limit: 'section', offset: itemOffset(entries[limit], value), value: limit, section: key };
    }
  }
  return undefined;
}

/** What a breach means, in plain words. */
export function describeYamlLimit(breach: YamlLimitBreach): { message: string; hint: string } {
  switch (breach.limit) {
    case 'depth':
      return {
        message: `Mappings and lists are nested more than ${breach.value} levels deep here.`,
        hint: `A campaign file needs about 7 levels; ipass reads at most ${breach.value}. Check the indentation and the brackets around this place.`,
      };
    case 'entries':
      return {
        message: `This mapping or list has more than ${breach.value.toLocaleString('en-US')} entries; this is entry ${(breach.value + 1).toLocaleString('en-US')}.`,
        hint: `ipass reads at most ${breach.value.toLocaleString('en-US')} entries in one mapping or list. Split the entries over several files (e.g. one campaign file per month).`,
      };
    case 'section':
      return {
        message: `\`${breach.section}\` has more than ${breach.value.toLocaleString('en-US')} entries; this is entry ${(breach.value + 1).toLocaleString('en-US')}.`,
        hint: `A file may have at most ${breach.value.toLocaleString('en-US')} entries under \`${breach.section}\`. Split them over several files.`,
      };
    case 'nodes':
      return {
        message: `The file has more than ${breach.value.toLocaleString('en-US')} values; reading stopped here.`,
        hint: `ipass reads at most ${breach.value.toLocaleString('en-US')} values per file. Split it into several campaign files.`,
      };
  }
}
