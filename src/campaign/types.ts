// What the campaign loader hands to the planner: the desired templates, pass batches and renames,
// normalized to the exact request bodies the API will receive (dates as epoch milliseconds).
import type { SourcePosition } from '../diagnostics/diagnostic.js';

export type TemplateStatus = 'valid' | 'paused' | 'closed';

/**
 * A createTemplate body without `requestId` and `merchantId` (both added when sending): every
 * field by its API name, optional fields absent rather than undefined, keys in canonical
 * (sorted) order so equal specs serialize identically.
 */
export interface TemplateBody {
  startDate: number;
  endDate: number;
  type: string;
  product: string;
  codeType: string;
  codeStandard: string;
  stock: number;
  [field: string]: unknown;
}

export interface DesiredTemplate {
  /** "campaign/key". */
  address: string;
  campaign: string;
  key: string;
  /** Campaign file, as displayed (relative to the working directory). */
  file: string;
  /** Position of the template's key in its file. */
  source: SourcePosition;
  body: TemplateBody;
  status: TemplateStatus;
  protect: boolean;
  /** Position of each top-level field of the template (after defaults merge), for later diagnostics. */
  fields: Record<string, SourcePosition>;
}

export type PassTemplateRef = { address: string } | { templateCode: string };

export interface DesiredPassBatch {
  /** "campaign/key". */
  address: string;
  campaign: string;
  key: string;
  file: string;
  source: SourcePosition;
  template: PassTemplateRef;
  /** Absolute path of the recipients CSV. */
  recipients: string;
  /** The recipients path as displayed. */
  recipientsDisplay: string;
  /** `revoked:`: close every pass issued to the rows of `recipients`, or those of another file's rows. */
  revoked?: { all: true } | { path: string; display: string };
  type: string;
  product: string;
  /** Values may contain {{column}} placeholders. */
  codeInfo: Record<string, string>;
  dataInfo?: Record<string, Record<string, string>>;
  extInfo?: Record<string, unknown>;
  publishScene?: string;
  /** Epoch ms; default: the template's dates. */
  startDate?: number;
  endDate?: number;
  fields: Record<string, SourcePosition>;
}

export interface MovedEntry {
  from: string;
  to: string;
  source: SourcePosition;
}

/** A `removed:` entry: the template at `address` is to be closed for good. */
export interface RemovedEntry {
  address: string;
  source: SourcePosition;
}

export interface CampaignSet {
  templates: DesiredTemplate[];
  passes: DesiredPassBatch[];
  moved: MovedEntry[];
  /** Addresses to close, once each (the first entry's position). */
  removed: RemovedEntry[];
  /** Campaign files read, as displayed, sorted. */
  files: string[];
  /** sha256 (hex) over every file's display path and bytes, and each referenced recipients file's bytes. */
  inputHash: string;
}
