// ajv errors → diagnostics placed on the YAML node they concern, in plain words with a hint.
// Callers may pass `codeFor` to give specific codes (e.g. TEMPLATE_NAME_TOO_LONG) to known paths.
import type { ErrorObject } from 'ajv';
import { closest } from './closest.js';
import type { Diagnostic, SourcePosition } from './diagnostic.js';
import type { JsonPath } from './yaml-source.js';

export type Locate = (path: JsonPath, at?: 'key' | 'value') => SourcePosition;

export interface SchemaDiagnosticOptions {
  /** Prefix of the generic codes: `${prefix}_UNKNOWN_FIELD`, `${prefix}_MISSING_FIELD`, ... */
  prefix: string;
  /** A more specific code (and optionally message/hint) for an error, or undefined for the generic one. */
  refine?: (error: ErrorObject, path: JsonPath, value: unknown) => Partial<Diagnostic> | undefined;
}

export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function pathToString(path: JsonPath): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 37)}…"` : `"${value}"`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** Drop errors that only restate others (oneOf/anyOf wrappers, `if` failures), keep the rest. */
function essential(errors: readonly ErrorObject[]): ErrorObject[] {
  const kept = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  return kept.length > 0 ? kept : [...errors];
}

export function schemaErrorsToDiagnostics(
  errors: readonly ErrorObject[],
  root: unknown,
  locate: Locate,
  options: SchemaDiagnosticOptions,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of essential(errors)) {
    let path = pointerToPath(e.instancePath);
    let at: 'key' | 'value' = 'value';
    const value = valueAt(root, path);
    const where = path.length ? `\`${pathToString(path)}\`` : 'The file';
    let d: Diagnostic;
    switch (e.keyword) {
      case 'required': {
        const missing = String((e.params as { missingProperty: string }).missingProperty);
        d = base(options, 'MISSING_FIELD', `${where} needs \`${missing}\`, which is missing.`, `Add \`${missing}:\`.`);
        break;
      }
      case 'additionalProperties': {
        const extra = String((e.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        const guess = closest(extra, allowed);
        path = [...path, extra];
        at = 'key';
        d = base(
          options,
          'UNKNOWN_FIELD',
          `\`${extra}\` is not a known field here.`,
          guess ? `Did you mean \`${guess}\`?` : `Known fields: ${allowed.join(', ') || '(none)'}.`,
        );
        break;
      }
      case 'enum': {
        const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
        const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
        d = base(
          options,
          'INVALID_VALUE',
          `${where} is ${describe(value)}, which is not allowed.`,
          `${guess ? `Did you mean "${guess}"? ` : ''}Use one of: ${allowed.join(', ')}.`,
        );
        break;
      }
      case 'type':
        d = base(
          options,
          'WRONG_TYPE',
          `${where} should be ${article((e.params as { type: string }).type)}, not ${describe(value)}.`,
          'Change the value to the expected kind.',
        );
        break;
      case 'maxLength':
      case 'minLength':
      case 'maximum':
      case 'minimum':
      case 'exclusiveMaximum':
      case 'exclusiveMinimum':
      case 'maxItems':
      case 'minItems':
        d = base(
          options,
          'OUT_OF_RANGE',
          `${where} ${e.message ?? 'is out of range'} (it is ${measure(e.keyword, value)}).`,
          'Change the value so it fits the limit.',
        );
        break;
      case 'pattern':
      case 'format':
        d = base(
          options,
          'BAD_FORMAT',
          `${where} is ${describe(value)}, which is not in the expected format.`,
          (e.parentSchema as { description?: string } | undefined)?.description ?? `It ${e.message ?? 'is invalid'}.`,
        );
        break;
      default:
        d = base(options, 'INVALID_VALUE', `${where} ${e.message ?? 'is invalid'}.`, 'Check the value against the documentation.');
    }
    const refined = options.refine?.(e, path, value);
    if (refined) d = { ...d, ...refined };
    d.position = locate(path, at);
    d.path = `/${path.join('/')}`;
    const key = `${d.code}@${d.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function base(options: SchemaDiagnosticOptions, suffix: string, message: string, hint: string): Diagnostic {
  return { severity: 'error', code: `${options.prefix}_${suffix}`, message, hint };
}

function article(type: string): string {
  const words: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    object: 'a mapping (key: value lines)',
    array: 'a list',
  };
  return type
    .split(',')
    .map((t) => words[t] ?? t)
    .join(' or ');
}

function measure(keyword: string, value: unknown): string {
  if (keyword.endsWith('Length') && typeof value === 'string') return `${[...value].length} characters`;
  if (keyword.endsWith('Items') && Array.isArray(value)) return `${value.length} items`;
  return describe(value);
}
