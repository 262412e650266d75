// The shape of one entry of the code registry (see ../error-codes.ts), and one helper per kind.

export type ErrorCategory =
  | 'cli'
  | 'config'
  | 'campaign'
  | 'recipients'
  | 'plan'
  | 'apply'
  | 'state'
  | 'storage'
  | 'lock'
  | 'client'
  | 'sandbox'
  | 'preview';

export type CodeKind =
  /** A runtime failure (IpassError): what happened, why, how to fix it; the command stops. */
  | 'error'
  /** A problem with input (campaign, config, recipients), at file:line:col, collected not thrown. */
  | 'diagnostic'
  /** What ipass makes of one request without the API saying so (an apply's failure line, the failures CSV). */
  | 'outcome'
  /** A note on a plan, printed like a diagnostic (GitHub annotations). */
  | 'notice';

export interface ErrorCodeInfo {
  kind: CodeKind;
  category: ErrorCategory;
  /** One line: what the code means. */
  meaning: string;
}

export const error = (category: ErrorCategory, meaning: string): ErrorCodeInfo => ({
  kind: 'error',
  category,
  meaning,
});
export const diagnostic = (category: ErrorCategory, meaning: string): ErrorCodeInfo => ({
  kind: 'diagnostic',
  category,
  meaning,
});
export const outcome = (category: ErrorCategory, meaning: string): ErrorCodeInfo => ({
  kind: 'outcome',
  category,
  meaning,
});
export const notice = (category: ErrorCategory, meaning: string): ErrorCodeInfo => ({
  kind: 'notice',
  category,
  meaning,
});
