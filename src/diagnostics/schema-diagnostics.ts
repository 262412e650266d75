// ajv errors → diagnostics placed on the YAML node they concern, in plain words with a hint.
// A schema may name specific codes with `"x-codes": { "<keyword>": "CODE" }` next to the failing
// keyword; callers may `refine` any diagnostic further (code, message, hint).
import type { ErrorObject } from 'ajv';
import { closest } from './closest.js';
import type { Diagnostic, SourcePosition } from './diagnostic.js';
import { type ErrorCode, isErrorCode } from './error-codes.js';
import type { JsonPath } from './yaml-source.js';

export type Locate = (path: JsonPath, at?: 'key' | 'value') => SourcePosition;

/** The documents checked against a schema into diagnostics, by the prefix of their generic codes. */
export type SchemaCodePrefix = 'CAMPAIGN' | 'CONFIG';
type GenericSuffix =
  | 'BAD_NAME'
  | 'MISSING_FIELD'
  | 'UNKNOWN_FIELD'
  | 'INVALID_VALUE'
  | 'WRONG_TYPE'
  | 'OUT_OF_RANGE'
  | 'BAD_FORMAT';

export interface SchemaDiagnosticOptions {
  /** Prefix of the generic codes: `${prefix}_UNKNOWN_FIELD`, `${prefix}_MISSING_FIELD`, ... */
  prefix: SchemaCodePrefix;
  /**
   * A more specific code (and optionally message/hint) for an error, or undefined to keep `current`
   * (the generic diagnostic, with any `x-codes` code already applied).
   */
  refine?: (
    error: ErrorObject,
    path: JsonPath,
    value: unknown,
    current: Diagnostic,
  ) => Partial<Diagnostic> | undefined;
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
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
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
  const kept = errors.filter(
    (e) =>
      e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'propertyNames',
  );
  return kept.length > 0 ? kept : [...errors];
}

/** The code a schema gives for this keyword via `"x-codes": { keyword: CODE }`, if any. */
function schemaCode(e: ErrorObject): ErrorCode | undefined {
  const codes = (e.parentSchema as { 'x-codes'?: Record<string, unknown> } | undefined)?.['x-codes'];
  const code = codes?.[e.keyword];
  return typeof code === 'string' && isErrorCode(code) ? code : undefined;
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
    const g = generic(e, root, options);
    let d = g.diagnostic;
    const code = schemaCode(e);
    if (code) d.code = code;
    const refined = options.refine?.(e, g.path, g.value, d);
    if (refined) d = { ...d, ...refined };
    d.position = locate(g.path, g.at);
    d.path = `/${g.path.join('/')}`;
    // Several fields missing from one mapping share code and path; their messages differ.
    const key = `${d.code}@${d.path}@${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

interface Generic {
  diagnostic: Diagnostic;
  /** The node the diagnostic concerns (for a bad or unknown key: the key's path). */
  path: JsonPath;
  at: 'key' | 'value';
  value: unknown;
}

function generic(e: ErrorObject, root: unknown, options: SchemaDiagnosticOptions): Generic {
  const path = pointerToPath(e.instancePath);
  const value = valueAt(root, path);
  const where = path.length ? `\`${pathToString(path)}\`` : 'The file';
  // An error about a mapping key (propertyNames) concerns the key itself, not the mapping.
  const propertyName = (e as { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    const description = (e.parentSchema as { description?: string } | undefined)?.description;
    return {
      diagnostic: base(
        options,
        'BAD_NAME',
        `\`${propertyName}\` is not a valid name here.`,
        description ?? `It ${e.message ?? 'is invalid'}.`,
      ),
      path: [...path, propertyName],
      at: 'key',
      value: propertyName,
    };
  }
  if (e.keyword === 'required' || e.keyword === 'dependencies') {
    const params = e.params as { missingProperty: string; property?: string };
    const missing = String(params.missingProperty);
    const because = params.property === undefined ? '' : ` because it has \`${params.property}\``;
    const message = `${where} needs \`${missing}\`${because}, which is missing.`;
    const diagnostic = base(options, 'MISSING_FIELD', message, `Add \`${missing}:\`.`);
    // Point at the key of the mapping that lacks the field (its value may start lines later).
    return { diagnostic, path, at: path.length ? 'key' : 'value', value };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const guess = closest(extra, allowed);
    return {
      diagnostic: base(
        options,
        'UNKNOWN_FIELD',
        `\`${extra}\` is not a known field here.`,
        guess ? `Did you mean \`${guess}\`?` : `Known fields: ${allowed.join(', ') || '(none)'}.`,
      ),
      path: [...path, extra],
      at: 'key',
      value,
    };
  }
  const { suffix, message, hint } = valueProblem(e, where, value);
  return { diagnostic: base(options, suffix, message, hint), path, at: 'value', value };
}

/** What is wrong with a value itself (not a missing or unknown field). */
function valueProblem(
  e: ErrorObject,
  where: string,
  value: unknown,
): { suffix: GenericSuffix; message: string; hint: string } {
  switch (e.keyword) {
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      return {
        suffix: 'INVALID_VALUE',
        message: `${where} is ${describe(value)}, which is not allowed.`,
        hint: `${guess ? `Did you mean "${guess}"? ` : ''}Use one of: ${allowed.join(', ')}.`,
      };
    }
    case 'type':
      return {
        suffix: 'WRONG_TYPE',
        message: `${where} should be ${article((e.params as { type: string | string[] }).type)}, not ${describe(value)}.`,
        hint: 'Change the value to the expected kind.',
      };
    case 'maxLength':
    case 'minLength':
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
    case 'maxItems':
    case 'minItems':
    case 'maxProperties':
    case 'minProperties':
      return {
        suffix: 'OUT_OF_RANGE',
        message: `${where} ${e.message ?? 'is out of range'} (it is ${measure(e.keyword, value)}).`,
        hint: 'Change the value so it fits the limit.',
      };
    case 'pattern':
    case 'format':
      return {
        suffix: 'BAD_FORMAT',
        message: `${where} is ${describe(value)}, which is not in the expected format.`,
        hint:
          (e.parentSchema as { description?: string } | undefined)?.description ??
          `It ${e.message ?? 'is invalid'}.`,
      };
    default:
      return {
        suffix: 'INVALID_VALUE',
        message: `${where} ${e.message ?? 'is invalid'}.`,
        hint: 'Check the value against the documentation.',
      };
  }
}

function base(
  options: SchemaDiagnosticOptions,
  suffix: GenericSuffix,
  message: string,
  hint: string,
): Diagnostic {
  return { severity: 'error', code: `${options.prefix}_${suffix}`, message, hint };
}

/** ajv names the expected type as "string", "string,integer", or a list (a schema with several types). */
function article(type: string | string[]): string {
  const words: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    object: 'a mapping (key: value lines)',
    array: 'a list',
  };
  return [type]
    .flat()
    .flatMap((t) => t.split(','))
    .map((t) => words[t] ?? t)
    .join(' or ');
}

function measure(keyword: string, value: unknown): string {
  if (keyword.endsWith('Length') && typeof value === 'string') return `${[...value].length} characters`;
  if (keyword.endsWith('Items') && Array.isArray(value)) return `${value.length} items`;
  return describe(value);
}
