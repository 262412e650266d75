// Small field checks for the emulator's request rules. A check returns what is wrong (plain words)
// or undefined; a FieldRule ties a field to its check and to the result code a breach answers with.
import { API_LIMITS, looksLikeSeconds } from '../../api/api-limits.js';
import type { Failure, ResultCode } from '../result-codes.js';

export type Check = (value: unknown) => string | undefined;

export interface FieldRule {
  field: string;
  code: ResultCode;
  required: boolean;
  check: Check;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length in characters (code points), as the API's CHN/EN limits count. */
export function length(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export const object: Check = (v) => (isObject(v) ? undefined : 'must be a JSON object');

export const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');

export function text(max: number): Check {
  return (v) => {
    if (typeof v !== 'string' || v.trim() === '') return 'must be a non-empty string';
    return length(v) > max ? `must be at most ${max} characters (has ${length(v)})` : undefined;
  };
}

export function oneOf(values: readonly string[]): Check {
  return (v) =>
    typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.join(', ')}`;
}

export function integer(min: number, max: number): Check {
  return (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `must be an integer from ${min} to ${max}`;
}

/** Milliseconds since the epoch, as every date field of the API is; a seconds value is refused. */
export const epochMs: Check = (v) => {
  const problem = integer(0, 8_640_000_000_000_000)(v);
  if (problem) return problem;
  return looksLikeSeconds(v as number)
    ? `must be epoch milliseconds (at least ${API_LIMITS.earliestDateMs.value}); ${String(v)} looks like seconds`
    : undefined;
};

export function url(max: number, schemes: readonly string[] = ['http:', 'https:']): Check {
  const within = text(max);
  return (v) => {
    const problem = within(v);
    if (problem) return problem;
    try {
      const parsed = new URL(v as string);
      if (schemes.includes(parsed.protocol) && parsed.host !== '') return undefined;
    } catch {
      // not a URL at all
    }
    return `must be a URL (${schemes.map((s) => `${s}//`).join(' or ')}) of at most ${max} characters`;
  };
}

export function prefixed(prefix: string, max: number): Check {
  const within = text(max);
  return (v) => within(v) ?? ((v as string).startsWith(prefix) ? undefined : `must start with ${prefix}`);
}

export function list(min: number, max: number, item: Check, unique = false): Check {
  return (v) => {
    if (!Array.isArray(v)) return 'must be a list';
    if (v.length < min || v.length > max) return `must have ${min} to ${max} entries (has ${v.length})`;
    for (const [i, entry] of v.entries()) {
      const problem = item(entry);
      if (problem) return `entry ${i + 1} ${problem}`;
    }
    if (unique && new Set(v).size !== v.length) return 'must not repeat an entry';
    return undefined;
  };
}

/** The first breached rule, in table order. A field that is null counts as missing. */
export function checkFields(value: JsonObject, rules: readonly FieldRule[], where = ''): Failure | undefined {
  for (const rule of rules) {
    const v = value[rule.field];
    const name = `${where}${rule.field}`;
    if (v === undefined || v === null) {
      if (rule.required) return { code: rule.code, message: `${name} is required` };
      continue;
    }
    const problem = rule.check(v);
    if (problem) return { code: rule.code, message: `${name} ${problem}` };
  }
  return undefined;
}
