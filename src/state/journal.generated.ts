/* Generated from schemas/journal.schema.json by `npm run gen:types`. Do not edit by hand: change the schema and regenerate. */

/**
 * One record of an apply journal (<stateDir>/<environment>.journal.jsonl, one per line; or a row of the postgres backend's journal table). An intent is written before each request and `settled` after a definite outcome; every state change is a `set`/`delete` of one address.
 */
export type JournalRecord =
  BeginRecord | IntentRecord | SettledRecord | SetRecord | DeleteRecord | BatchRecord | PendingDoneRecord;
export type Address = string;

export interface BeginRecord {
  t: 'begin';
  lineage: string;
  serial: number;
  pid: number;
  at: string;
}
export interface IntentRecord {
  t: 'intent';
  /**
   * Unique within one journal.
   */
  id: string;
  address: Address;
  endpoint:
    | 'createTemplate'
    | 'updateTemplate'
    | 'switchStatus'
    | 'detail'
    | 'updateBudget'
    | 'createPass'
    | 'updatePass';
  /**
   * Exactly what is sent (without merchantId).
   */
  body: {
    [k: string]: unknown | undefined;
  };
  meta?: IntentMeta;
}
/**
 * createTemplate: what to record when it succeeds.
 */
export interface IntentMeta {
  generation?: number;
  spec?: {
    [k: string]: unknown | undefined;
  };
  status?: 'valid' | 'paused' | 'closed';
  protect?: boolean;
  supersedes?: string;
  /**
   * updateBudget: the stock the template holds once it succeeded (the stock the API reported just before, plus or minus the change).
   */
  stock?: number;
}
export interface SettledRecord {
  t: 'settled';
  id: string;
}
export interface SetRecord {
  t: 'set';
  address: Address;
  entry: TemplateState;
}
export interface TemplateState {
  /**
   * Code AlipayHK gave the template.
   */
  templateCode: string;
  /**
   * Status after the last change ipass made or observed.
   */
  status: 'valid' | 'paused' | 'closed' | 'frozen' | 'expired';
  /**
   * Total stock (budget) as last set.
   */
  stock: number;
  /**
   * Plans refuse to close or replace this template.
   */
  protect: boolean;
  /**
   * Which createTemplate attempt produced templateCode; requestIds derive from (lineage, address, generation).
   */
  generation: number;
  /**
   * requestId of the createTemplate that produced templateCode (empty when imported).
   */
  requestId: string;
  /**
   * The campaign file the template was last applied from, as shown in messages (relative to where ipass ran). Absent in states written before it was recorded.
   */
  file?: string;
  /**
   * Adopted with `ipass state import` rather than created by ipass.
   */
  imported?: boolean;
  /**
   * The normalized createTemplate body (without requestId and merchantId) last applied.
   */
  spec: {
    [k: string]: unknown | undefined;
  };
  /**
   * Earlier templates of this address that a replace created a successor for.
   */
  superseded: SupersededTemplate[];
}
export interface SupersededTemplate {
  templateCode: string;
  /**
   * False until switchStatus closed succeeded on it.
   */
  closed: boolean;
}
export interface DeleteRecord {
  t: 'delete';
  address: Address;
}
export interface BatchRecord {
  t: 'batch';
  address: Address;
  entry: PassBatchState;
}
export interface PassBatchState {
  /**
   * Template the batch issues passes of.
   */
  templateCode: string;
  /**
   * Ledger file, relative to the state folder.
   */
  ledger: string;
  /**
   * Passes issued so far.
   */
  issued: number;
  /**
   * Recipients whose last attempt failed definitively.
   */
  failed: number;
}
export interface PendingDoneRecord {
  t: 'pending-done';
  address: Address;
  requestId: string;
}
