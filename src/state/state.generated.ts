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
  /**
   * Highest createTemplate attempt (generation) started per address. A new create uses the next one, so a requestId is only ever re-sent verbatim for an attempt whose outcome is unknown.
   */
  createAttempts: {
    [k: string]: number | undefined;
  };
  /**
   * Requests whose outcome is unknown (in doubt) from an earlier apply. The next apply re-sends each one verbatim, with the same business id, before anything else.
   */
  pending: PendingRequest[];
  /**
   * The git commit of the last apply that succeeded (or finished with only recipient failures). An apply from a commit that is not a descendant of it is refused (APPLY_OLDER_COMMIT) unless --allow-rollback.
   */
  lastApplied?: {
    /**
     * The full commit id (sha1 or sha256).
     */
    commit: string;
    /**
     * The run (ipass history) that applied it.
     */
    runId: string;
    /**
     * When that run ended (ISO 8601, UTC).
     */
    at: string;
  };
  /**
   * The last `ipass drift` sweep: when every managed template was read from AlipayHK, how many, and what differed from the campaign files. A plan without the key shows it.
   */
  lastSweep?: {
    /**
     * When the sweep read AlipayHK (ISO 8601, UTC).
     */
    at: string;
    /**
     * Templates read.
     */
    templates: number;
    /**
     * Each field that differed.
     */
    drift: {
      address: string;
      templateCode: string;
      /**
       * The field (status, stock, or a content field; templateCode when the template is gone).
       */
      path: string;
      /**
       * What the campaign files say (absent when the address is no longer in them).
       */
      files?: unknown;
      /**
       * What AlipayHK has.
       */
      remote?: unknown;
    }[];
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
export interface PendingRequest {
  /**
   * Address the request was for.
   */
  address: string;
  /**
   * Only requests that are not naturally idempotent are kept.
   */
  endpoint: 'createTemplate' | 'updateBudget';
  /**
   * The exact body sent (without merchantId).
   */
  body: {
    [k: string]: unknown | undefined;
  };
  /**
   * For createTemplate: the attempt number behind its requestId.
   */
  generation?: number;
  /**
   * For createTemplate: the spec to record when it succeeds.
   */
  spec?: {
    [k: string]: unknown | undefined;
  };
  /**
   * For createTemplate: the status the template should reach.
   */
  status?: 'valid' | 'paused' | 'closed';
  protect?: boolean;
  /**
   * For a replace: the template code the new one replaces.
   */
  supersedes?: string;
  /**
   * For updateBudget: the stock the template holds once it succeeded.
   */
  stock?: number;
}
