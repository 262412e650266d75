// The plan as a value: one change per address with its action, the reasons (field paths with
// before → after), whether it is irreversible, and the exact requests it will send. Serializable.
import type {
  CreateTemplateRequest,
  DetailRequest,
  SwitchStatusRequest,
  UpdateBudgetRequest,
  UpdateTemplateRequest,
} from '../api/endpoints.js';
import type { PassTemplateRef, TemplateBody, TemplateStatus } from '../campaign/types.js';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import type { StateFile } from '../state/state-format.js';
import type { PolicyOverride } from './policies.js';

export const PLAN_FORMAT_VERSION = 1;

export type TemplateAction =
  | 'create'
  | 'update'
  | 'stock'
  | 'status'
  | 'replace'
  | 'close'
  | 'move'
  | 'import'
  | 'noop';

export interface Reason {
  /** Dotted field path (e.g. localeInfo.en_US.name), or a topic such as "status" or "address". */
  path: string;
  before?: unknown;
  after?: unknown;
  /** Plain words when a before → after pair does not say it all. */
  note?: string;
}

/**
 * One request of a change, typed by its endpoint's request body (without merchantId: the client adds
 * it). Serialized as it is: `endpoint`, `body` and, where they apply, `templateCodeFrom` and `stockTarget`.
 */
export type PlannedRequest =
  | { endpoint: 'createTemplate'; body: CreateTemplateRequest }
  | { endpoint: 'updateTemplate'; body: UpdateTemplateRequest }
  | { endpoint: 'switchStatus'; body: SwitchStatusRequest }
  | CreatedStatusRequest
  | { endpoint: 'detail'; body: DetailRequest }
  | StockRequest;

/** A status switch of the template this change creates: its `templateCode` is the one createTemplate returns. */
export interface CreatedStatusRequest {
  endpoint: 'switchStatus';
  body: Omit<SwitchStatusRequest, 'templateCode'>;
  templateCodeFrom: 'created';
}

/**
 * updateBudget to `stockTarget`, the stock the template must hold afterwards. Its APPEND/SUBTRACT and
 * number (and requestId) are worked out at apply time from the stock the API reports in the `detail`
 * request just before it, never from the state, so whatever changed the stock outside ipass is corrected.
 */
export interface StockRequest {
  endpoint: 'updateBudget';
  body: Pick<UpdateBudgetRequest, 'templateCode'>;
  stockTarget: number;
}

/** What the state records for the address once the change succeeded. */
export interface RecordAfter {
  spec: TemplateBody;
  status: TemplateStatus;
  protect: boolean;
  /** For create/replace: the attempt number behind the createTemplate requestId. */
  generation?: number;
}

/** What customers holding passes see of a change (close, replace, pause, rename). */
export interface CustomerImpact {
  /** Passes issued through ipass on the template(s) concerned (from the pass ledgers). */
  passes: number;
  /** One plain line: how many passes customers hold and what happens to them. */
  text: string;
}

export interface TemplateChange {
  address: string;
  action: TemplateAction;
  irreversible: boolean;
  /** The template's current code (absent for a create). */
  templateCode?: string;
  /** Set when a `moved` entry renames this address. */
  movedFrom?: string;
  reasons: Reason[];
  requests: PlannedRequest[];
  /** Absent for a close of a removed address. */
  record?: RecordAfter;
  /** The template's place in a campaign file; for a close, the `removed:` entry. */
  source?: SourcePosition;
  /** For close, replace, pause and rename (and a create that looks like a rename). */
  customerImpact?: CustomerImpact;
}

export interface PassBatchChange {
  address: string;
  /** issue when there are passes to issue; else close, update or noop. Updates and closes go with any. */
  action: 'issue' | 'update' | 'close' | 'noop';
  template: PassTemplateRef;
  /** Template code when already known (state or literal). */
  templateCode?: string;
  recipients: number;
  alreadyIssued: number;
  toIssue: number;
  /** Rows issued earlier that are no longer in the file (reported, never revoked). */
  removed: number;
  /** Rows whose last attempt failed; they are tried again. */
  failedBefore: number;
  /**
   * Rows an earlier attempt of which has an unknown outcome; sent again with the same bizSerialId,
   * so a pass that exists is recognized. Absent in plans saved by earlier versions.
   */
  inDoubt?: number;
  /** Rows not sent: they failed permanently with the same row (absent when none; see HeldBack). */
  heldBack?: HeldBack;
  /** Issued passes whose content changes: one updatePass UPDATE each (per kind of change). */
  update?: PassUpdatePlan;
  /** Passes taken back (`revoked:`): one updatePass CLOSED each, irreversible. */
  close?: PassClosePlan;
  source?: SourcePosition;
}

/** Recipients held back: their last createPass failed permanently with the row as it is now. */
export interface HeldBack {
  count: number;
  /** How many per result code (USER_NOT_EXIST, …). */
  codes: Record<string, number>;
}

/** A batch field whose value changed since its passes were issued (or last updated). */
export interface PassFieldChange {
  /** e.g. dataInfo.en_US.$shopname$, endDate. */
  path: string;
  before: unknown;
  after: unknown;
}

/** What one pass shows (dataInfo and end date), before or after. */
export interface PassSampleContent {
  dataInfo?: unknown;
  endDate?: number;
}

/** Passes left alone because AlipayHK would refuse a change (as far as the ledger knows). */
export interface PassesNotActive {
  used: number;
  closed: number;
  /** A close of ours whose answer was lost, then refused: AlipayHK does not say which. */
  closedOrUsed: number;
  /** Refused as not active without a close of ours in doubt (closed or refunded elsewhere). */
  notActive: number;
}

export interface PassUpdatePlan {
  /** Passes to update. */
  count: number;
  /** Of those, passes whose dataInfo changes (UPDATE_DATA_INFO) and whose end date does (UPDATE_VALIDITY). */
  dataInfo: number;
  validity: number;
  /** Of those, passes an earlier update of which has an unknown outcome (sent again). */
  inDoubt: number;
  /** The batch's own fields that changed (its values before {{column}}s are filled in). */
  fields: PassFieldChange[];
  /** The first pass to update: its line, user, and content before (when known) and after. */
  example?: { line: number; user: string; before?: PassSampleContent; after: PassSampleContent };
  /** Issued passes of the file whose content would change but that are not active any more. */
  skipped: PassesNotActive;
  /** Issued passes whose content the ledger does not know (issued by an earlier ipass): not updated. */
  contentUnknown: number;
  /** Passes issued without a passId (PASS_HAS_EXIST to a repeat): updatePass needs one. */
  noPassId?: number;
}

export interface PassClosePlan {
  /** Passes to close. */
  count: number;
  /** `all`, or the display path of the revoked file. */
  source: string;
  /** Of those, passes an earlier close of which has an unknown outcome. */
  inDoubt: number;
  /** Revoked rows the batch never issued a pass to (a warning; nothing to close). */
  neverIssued: number;
  /** Revoked passes closed, used or not active already: nothing sent. */
  already: PassesNotActive;
  /** Passes issued without a passId (PASS_HAS_EXIST to a repeat): updatePass needs one. */
  noPassId?: number;
}

export interface DriftItem {
  address: string;
  templateCode: string;
  path: string;
  state: unknown;
  remote: unknown;
}

export interface PlanSummary {
  create: number;
  update: number;
  stock: number;
  status: number;
  replace: number;
  close: number;
  move: number;
  /** Templates adopted (`import:` entries); absent in plans of earlier versions. */
  import?: number;
  noop: number;
  /** Passes to issue across all batches. */
  passes: number;
  /** Issued passes to update, and passes to close (absent in plans of earlier versions). */
  passUpdates?: number;
  passCloses?: number;
  /** Requests from an earlier apply that will be re-sent first. */
  resume: number;
  /** Recipients held back across all batches (absent when none). */
  passesHeldBack?: number;
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  environment: string;
  /** The state this plan was made against; a saved plan is refused once it moved on. */
  state: { lineage: string; serial: number; exists: boolean };
  /** Hash of the campaign files and recipients the plan was made from. */
  inputHash: string;
  refreshed: boolean;
  createdAt?: string;
  changes: TemplateChange[];
  passBatches: PassBatchChange[];
  drift: DriftItem[];
  diagnostics: Diagnostic[];
  /** `deny` policy rules overridden on purpose (--allow-policy); absent in plans of earlier versions. */
  policyOverrides?: PolicyOverride[];
  /** Made with --retry-failed: recipients that failed permanently are sent again (absent otherwise). */
  retryFailed?: true;
  /** The last drift sweep recorded in the state (`ipass drift`), for a plan that does not read the API. */
  lastSweep?: LastSweep;
  summary: PlanSummary;
}

export type LastSweep = NonNullable<StateFile['lastSweep']>;

/** Remote view of a template from `detail`, normalized (used with --refresh). */
export interface RemoteTemplate {
  templateCode: string;
  status: string;
  stock?: number;
  availableStock?: number;
  /** Content fields as returned, by API name. */
  fields: Record<string, unknown>;
}

/** Per batch, what the recipients file and the ledger say (computed by the passes module). */
export interface PassBatchSummary {
  address: string;
  recipients: number;
  alreadyIssued: number;
  toIssue: number;
  removed: number;
  failedBefore: number;
  /** Rows of the file whose last attempt has an unknown outcome (the ledger has only its intent). */
  inDoubt: number;
  /** Passes issued so far from this batch (ledger), for stock accounting. */
  issuedTotal: number;
  /** The template the ledger's latest rows were sent to (absent without a ledger). */
  ledgerTemplateCode?: string;
  /** The recipients-file lines of the first few rows in doubt. */
  inDoubtLines?: number[];
  heldBack?: HeldBack;
  update?: PassUpdatePlan;
  close?: PassClosePlan;
  diagnostics: Diagnostic[];
}
