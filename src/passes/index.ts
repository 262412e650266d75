// Pass giveaways: recipients CSV streaming and checks, {{column}} substitution, bizSerialIds, the
// per-batch pass ledger, plan summaries and the apply's issuing phase.

export { defaultLedgerPath, failuresPathOf } from '../state/ledger-format.js';
export { deriveBizSerialId, MAX_BIZ_SERIAL_ID } from './biz-serial-id.js';
export { failuresHeader } from './failures-csv.js';
export type { PassHooks } from './issue-batch.js';
export { createPassPhase, type PassPhaseInput } from './pass-phase.js';
export {
  ledgerPathOf,
  ledgerRefOf,
  MAX_ROW_DIAGNOSTICS,
  type SummarizeInput,
  type SummarizeResult,
  summarizePassBatches,
} from './summarize.js';
