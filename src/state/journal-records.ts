// What an apply writes to the journal (schemas/journal.schema.json), how a journal read back is
// checked, and how it folds into the state (pure). An intent is written before each request and
// `settled` after a definite outcome; every state change is a `set`/`delete` of one address. Intents
// never settled are in doubt.

import journalSchema from '../../schemas/journal.schema.json' with { type: 'json' };
import stateSchema from '../../schemas/state.schema.json' with { type: 'json' };
import type { EndpointName } from '../api/endpoints.js';
import { pathToString, pointerToPath } from '../diagnostics/schema-diagnostics.js';
import { compileSchema } from '../shared/schema-check.js';
import type { IntentRecord, JournalRecord } from './journal.generated.js';
import type { PendingRequest, StateFile, TemplateState } from './state-format.js';

export type { IntentMeta, IntentRecord, JournalRecord } from './journal.generated.js';

export type CheckJournalResult =
  | { ok: true; records: JournalRecord[] }
  | { ok: false; index: number; problem: string };

/** Check records read back from a journal against its schema. Never throws. */
export function checkJournal(records: readonly unknown[]): CheckJournalResult {
  const validate = compileSchema(journalSchema, [stateSchema]);
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (validate(record)) continue;
    // oneOf reports every branch; the branch named by `t` says what is really wrong.
    const t = record !== null && typeof record === 'object' ? (record as { t?: unknown }).t : undefined;
    const errors = validate.errors ?? [];
    const specific = errors.find(
      (e) => e.keyword !== 'oneOf' && e.keyword !== 'const' && e.instancePath !== '',
    );
    const first = typeof t === 'string' ? (specific ?? errors[0]) : undefined;
    const where = first ? pathToString(pointerToPath(first.instancePath)) : '';
    return {
      ok: false,
      index: i,
      problem: first
        ? `${where ? `${where} ` : ''}${first.message ?? 'does not match the journal format'}`
        : 'it is not a journal record',
    };
  }
  return { ok: true, records: records as JournalRecord[] };
}

/** Only these are kept as pending when in doubt: the others are idempotent and simply re-planned. */
export function resentWhenInDoubt(endpoint: EndpointName): endpoint is PendingRequest['endpoint'] {
  return endpoint === 'createTemplate' || endpoint === 'updateBudget';
}

export function requestIdOf(body: Record<string, unknown>): string {
  return typeof body.requestId === 'string' ? body.requestId : '';
}

export interface FoldResult {
  state: StateFile;
  /** Intents without a definite outcome, in journal order. */
  inDoubt: IntentRecord[];
  /** Records that changed something. */
  changes: number;
}

/** Apply a journal's records to a state (a new object; the input is not modified). */
export function foldJournal(state: StateFile, records: readonly JournalRecord[]): FoldResult {
  const templates: Record<string, TemplateState | undefined> = { ...state.templates };
  const createAttempts = { ...state.createAttempts };
  const passBatches = { ...state.passBatches };
  let pending = [...state.pending];
  const intents = new Map<string, IntentRecord>();
  let changes = 0;
  for (const r of records) {
    switch (r.t) {
      case 'intent':
        intents.set(r.id, r);
        if (r.endpoint === 'createTemplate' && r.meta?.generation !== undefined) {
          createAttempts[r.address] = Math.max(createAttempts[r.address] ?? 0, r.meta.generation);
          changes++;
        }
        break;
      case 'settled':
        intents.delete(r.id);
        break;
      case 'set':
        templates[r.address] = r.entry;
        changes++;
        break;
      case 'delete':
        delete templates[r.address];
        changes++;
        break;
      case 'batch':
        passBatches[r.address] = r.entry;
        changes++;
        break;
      case 'pending-done':
        pending = pending.filter((p) => !(p.address === r.address && requestIdOf(p.body) === r.requestId));
        changes++;
        break;
      default:
        break;
    }
  }
  const inDoubt = [...intents.values()];
  for (const intent of inDoubt) {
    const endpoint = intent.endpoint;
    if (!resentWhenInDoubt(endpoint)) continue;
    const id = requestIdOf(intent.body);
    if (pending.some((p) => p.address === intent.address && requestIdOf(p.body) === id)) continue;
    pending.push({
      address: intent.address,
      endpoint,
      body: intent.body,
      ...intent.meta,
    });
    changes++;
  }
  const defined: Record<string, TemplateState> = {};
  for (const [address, t] of Object.entries(templates)) if (t) defined[address] = t;
  return { state: { ...state, templates: defined, passBatches, createAttempts, pending }, inDoubt, changes };
}
