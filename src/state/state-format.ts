// The state file format (pure): create, parse and check, serialize with sorted keys, and the
// deterministic business ids derived from it. No I/O here; see state-store.ts for that.
import { createHash } from 'node:crypto';
import stateSchema from '../../schemas/state.schema.json' with { type: 'json' };
import { pathToString, pointerToPath } from '../diagnostics/schema-diagnostics.js';
import { compileSchema } from '../shared/schema-check.js';
import type { StateFile, TemplateState } from './state.generated.js';

export type {
  PassBatchState,
  PendingRequest,
  StateFile,
  SupersededTemplate,
  TemplateState,
} from './state.generated.js';

export const STATE_FORMAT_VERSION = 1;

/** Every status a template can have at AlipayHK: the one list, read from the state schema. */
export const TEMPLATE_STATUSES = stateSchema.definitions.TemplateState.properties.status
  .enum as readonly TemplateState['status'][];

/** Whether a status the API reported is one the state can record. */
export function isTemplateStatus(s: unknown): s is TemplateState['status'] {
  return TEMPLATE_STATUSES.some((known) => known === s);
}

export function emptyState(environment: string, lineage: string): StateFile {
  return {
    formatVersion: 1,
    lineage,
    serial: 0,
    environment,
    templates: {},
    passBatches: {},
    createAttempts: {},
    pending: [],
  };
}

export type ParseStateResult = { ok: true; state: StateFile } | { ok: false; problem: string };

/** Parse and check a state file's text. Never throws. */
export function parseState(text: string): ParseStateResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `it is not valid JSON (${(error as Error).message})` };
  }
  const validate = compileSchema(stateSchema);
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first
      ? pathToString(pointerToPath(first.instancePath)) || 'the top level'
      : 'the top level';
    return { ok: false, problem: `${where} ${first?.message ?? 'does not match the state format'}` };
  }
  return { ok: true, state: value as StateFile };
}

/** JSON with object keys sorted at every level, two-space indent and a final newline. */
export function stableStringify(value: unknown, indent = 2): string {
  return `${JSON.stringify(sortKeys(value), null, indent)}\n`;
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function serializeState(state: StateFile): string {
  return stableStringify(state);
}

/** sha256 of the canonical JSON of a spec; equal specs give equal hashes. */
export function specHash(spec: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(sortKeys(spec)))
    .digest('hex');
}

function hashId(parts: readonly (string | number)[], length: number): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, length);
}

/**
 * createTemplate requestId (≤ 32 chars): deterministic per (lineage, address, generation), so an
 * in-doubt create is re-sent with the same id and a new attempt after a definite outcome gets a new one.
 */
export function createRequestId(lineage: string, address: string, generation: number): string {
  return hashId(['createTemplate', lineage, address, generation], 32);
}

/**
 * updateBudget requestId (≤ 128 chars): deterministic per (lineage, address, template, before,
 * after, state serial) so one planned change keeps its id, and a later identical change gets a new one.
 */
export function budgetRequestId(
  lineage: string,
  address: string,
  templateCode: string,
  before: number,
  after: number,
  serial: number,
): string {
  return hashId(['updateBudget', lineage, address, templateCode, before, after, serial], 64);
}

export function getTemplate(state: StateFile, address: string): TemplateState | undefined {
  return Object.hasOwn(state.templates, address) ? state.templates[address] : undefined;
}

/** Addresses in sorted order with their (defined) entries. */
export function templateEntries(state: StateFile): [string, TemplateState][] {
  return Object.keys(state.templates)
    .sort()
    .flatMap((address) => {
      const t = state.templates[address];
      return t ? [[address, t] as [string, TemplateState]] : [];
    });
}
