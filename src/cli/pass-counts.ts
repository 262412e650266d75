// Pass batch counts for a plan: what each recipients file and ledger say (see src/passes/).
import type { CampaignSet } from '../campaign/types.js';
import type { EnvironmentSettings } from '../config/environment.js';
import type { PassBatchSummary } from '../plan/plan-types.js';
import type { StateFile } from '../state/state-format.js';
import type { Io } from './io.js';

export async function countPasses(
  _io: Io,
  _settings: EnvironmentSettings,
  _desired: CampaignSet,
  _state: StateFile,
): Promise<Map<string, PassBatchSummary>> {
  return new Map();
}
