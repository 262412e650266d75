/* Generated from schemas/state.schema.json by `npm run gen:types`. Do not edit by hand: change the schema and regenerate. */

/**
 * What ipass knows it has created in one environment (<stateDir>/<environment>.state.json). Written atomically; never holds secrets.
 */
export interface StateFile {
  /**
   * Version of this file format.
   */
  formatVersion: 1;
  /**
   * Random id given when the state was first created; a saved plan is only applied to the same lineage.
   */
  lineage: string;
  /**
   * Bumped on every write; a saved plan is refused once the serial moved on.
   */
  serial: number;
  /**
   * Environment this state belongs to.
   */
  environment: string;
  /**
   * Managed templates by address ("campaign/key").
   */
  templates: {
    [k: string]: TemplateState | undefined;
  };
  /**
   * Pass batches by address; issued passes themselves are in the batch's ledger file.
   */
  passBatches: {
    [k: string]: PassBatchState | undefined;
  };
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
