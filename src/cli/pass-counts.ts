// Pass batch counts for a plan: what each recipients file and ledger say (see src/passes/).
import type { CampaignSet } from '../campaign/types.js';
import { summarizePassBatches } from '../passes/index.js';
import type { PassBatchSummary } from '../plan/plan-types.js';
import type { LedgerReader } from '../state/backend.js';
import type { StateFile } from '../state/state-format.js';

export async function countPasses(
  ledgers: LedgerReader,
  environment: string,
  desired: CampaignSet,
  state: StateFile,
): Promise<Map<string, PassBatchSummary>> {
  if (desired.passes.length === 0) return new Map();
  const { summaries } = await summarizePassBatches({ batches: desired.passes, state, ledgers, environment });
  return summaries;
}
