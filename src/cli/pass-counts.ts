// Pass batch counts for a plan: what each recipients file and ledger say (see src/passes/).
import type { CampaignSet } from '../campaign/types.js';
import type { EnvironmentSettings } from '../config/environment.js';
import { summarizePassBatches } from '../passes/index.js';
import type { PassBatchSummary } from '../plan/plan-types.js';
import type { StateFile } from '../state/state-format.js';
import type { Io } from './io.js';

export async function countPasses(
  io: Io,
  settings: EnvironmentSettings,
  desired: CampaignSet,
  state: StateFile,
): Promise<Map<string, PassBatchSummary>> {
  if (desired.passes.length === 0) return new Map();
  const { summaries } = await summarizePassBatches({
    batches: desired.passes,
    state,
    stateDir: settings.stateDir,
    environment: settings.name,
    cwd: io.cwd,
  });
  return summaries;
}
