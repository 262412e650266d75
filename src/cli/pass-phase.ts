// The apply's pass-issuing phase (see src/passes/), wired to the progress reporter.
import type { PassPhase } from '../apply/run-apply.js';
import type { CampaignSet } from '../campaign/types.js';
import type { EnvironmentSettings } from '../config/environment.js';
import { createPassPhase } from '../passes/index.js';
import type { Reporter } from './reporter.js';

export function passPhase(
  settings: EnvironmentSettings,
  desired: CampaignSet,
  reporter: Reporter,
): PassPhase | undefined {
  if (desired.passes.length === 0) return undefined;
  return createPassPhase({
    batches: desired.passes,
    stateDir: settings.stateDir,
    environment: settings.name,
    concurrency: settings.concurrency,
    hooks: {
      progress: (p) => reporter.passProgress(p),
      ...(reporter.hooks.notice ? { notice: reporter.hooks.notice } : {}),
    },
  });
}
