// What an apply writes to the journal, and how a journal folds into the state (pure). An intent is
// written before each request and `settled` after a definite outcome; every state change is a
// `set`/`delete` of one address. Intents never settled are in doubt.
import type { EndpointName } from '../api/endpoints.js';
import type { PassBatchState, PendingRequest, StateFile, TemplateState } from '../state/state-format.js';

export interface IntentRecord {
  t: 'intent';
  /** Unique within one journal. */
  id: string;
  address: string;
  endpoint: EndpointName;
  /** Exactly what is sent (without merchantId). */
  body: Record<string, unknown>;
  /** createTemplate: what to record when it succeeds. */
  meta?: Omit<PendingRequest, 'address' | 'endpoint' | 'body'>;
}

export type JournalRecord =
  | { t: 'begin'; lineage: string; serial: number; pid: number; at: string }
  | IntentRecord
  | { t: 'settled'; id: string }
  | { t: 'set'; address: string; entry: TemplateState }
  | { t: 'delete'; address: string }
  | { t: 'batch'; address: string; entry: PassBatchState }
  | { t: 'pending-done'; address: string; requestId: string };

/** Only these are kept as pending when in doubt: the others are idempotent and simply re-planned. */
export const RESENT_WHEN_IN_DOUBT: ReadonlySet<EndpointName> = new Set(['createTemplate', 'updateBudget']);

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
    if (!RESENT_WHEN_IN_DOUBT.has(intent.endpoint)) continue;
    const id = requestIdOf(intent.body);
    if (pending.some((p) => p.address === intent.address && requestIdOf(p.body) === id)) continue;
    pending.push({
      address: intent.address,
      endpoint: intent.endpoint as PendingRequest['endpoint'],
      body: intent.body,
      ...intent.meta,
    });
    changes++;
  }
  const defined: Record<string, TemplateState> = {};
  for (const [address, t] of Object.entries(templates)) if (t) defined[address] = t;
  return { state: { ...state, templates: defined, passBatches, createAttempts, pending }, inDoubt, changes };
}
