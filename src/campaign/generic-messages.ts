// Campaign wording for the generic schema codes (wrong type, missing or unknown field, value not
// allowed): whose field it is ("`stock` of template coffee-voucher"), what a missing field is for
// (its schema description), and how to write a value of the expected kind. Pure.
import type { ErrorObject } from 'ajv';
import campaignSchema from '../../schemas/campaign.schema.json' with { type: 'json' };
import { closest } from '../diagnostics/closest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { pathToString } from '../diagnostics/schema-diagnostics.js';
import type { JsonPath } from '../diagnostics/yaml-source.js';
import { capital, fieldOf, owner } from './message-words.js';
import { amountHint } from './price-rules.js';

type SchemaNode = {
  $ref?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  allOf?: SchemaNode[];
};

const root = campaignSchema as unknown as SchemaNode & { definitions: Record<string, SchemaNode> };

export function genericMessage(
  e: ErrorObject,
  path: JsonPath,
  value: unknown,
  current: Diagnostic,
): Partial<Diagnostic> | undefined {
  let message = current.message;
  let hint = current.hint;
  const full = `\`${pathToString(path)}\``;
  if (path.length > 0 && message.startsWith(full)) {
    const field = fieldOf(path);
    message = `${field ? `\`${field}\` of ${owner(path)}` : capital(owner(path))}${message.slice(full.length)}`;
  }
  switch (e.keyword) {
    case 'required':
    case 'dependencies': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const description = schemaNodeAt([...path, missing])?.description;
      hint = `Add \`${missing}:\`${description ? ` — ${description}` : '.'}`;
      break;
    }
    case 'additionalProperties': {
      const parent = path.slice(0, -1);
      const field = fieldOf(parent);
      const where = field ? `in \`${field}\` of ${owner(parent)}` : `of ${owner(parent)}`;
      if (current.code.endsWith('UNKNOWN_FIELD')) {
        const extra = String(path[path.length - 1]);
        const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        const guess = closest(extra, known);
        // "Did you mean" first: it usually explains the rest (see explained.ts).
        message = `\`${extra}\` is not a known field ${where}${guess ? `: did you mean \`${guess}\`?` : '.'}`;
        if (guess) hint = `Rename it to \`${guess}\`.`;
      }
      break;
    }
    case 'type':
      hint = typeHint(String((e.params as { type: string }).type), value, path);
      break;
    case 'enum': {
      const allowed = ((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String);
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      if (guess) {
        // "Did you mean" first, and the one report for this spot (see explained.ts).
        message = message.replace(/, which is not allowed\.$/, `: did you mean "${guess}"?`);
        hint = `Use one of: ${allowed.join(', ')}.`;
      }
      break;
    }
  }
  return hint === undefined ? { message } : { message, hint };
}

function typeHint(expected: string, value: unknown, path: JsonPath): string {
  const field = String(path[path.length - 1]);
  if (expected === 'integer' || expected === 'number') {
    if (field.endsWith('AmountCent')) return amountHint(value);
    if (typeof value === 'string' && /^[\d,._\s]+$/.test(value)) {
      return 'Write the number without quotes or separators, e.g. 5000.';
    }
    return 'Write a whole number, e.g. 5000.';
  }
  if (expected.includes('object')) return 'Write its fields as indented `key: value` lines under it.';
  if (expected.includes('array')) return 'Write a list: [a, b] on one line, or one `- item` per line.';
  if (expected === 'boolean') return 'Write true or false.';
  if (expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
    return `Put the value in quotes, e.g. "${String(value)}" (long numbers such as ids must be quoted).`;
  }
  return 'Change the value to the expected kind.';
}

/** The schema node that describes the value at `path` in a campaign file (descriptions kept). */
export function schemaNodeAt(path: JsonPath): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  let description: string | undefined;
  for (const segment of path) {
    node = resolve(node);
    if (!node) return undefined;
    const next: SchemaNode | boolean | undefined =
      typeof segment === 'number'
        ? node.items
        : (node.properties?.[segment] ??
          (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined));
    if (next === undefined || typeof next === 'boolean') return undefined;
    description = next.description;
    node = next;
  }
  const resolved = resolve(node);
  if (!resolved) return undefined;
  const text = description ?? resolved.description;
  return text === undefined ? resolved : { ...resolved, description: text };
}

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let depth = 0; current && depth < 8; depth++) {
    const ref = current.$ref ?? current.allOf?.[0]?.$ref;
    if (!ref?.startsWith('#/definitions/')) return current;
    current = root.definitions[ref.slice('#/definitions/'.length)];
  }
  return current;
}
