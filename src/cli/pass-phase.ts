// The apply's pass-issuing phase (see src/passes/), wired to the progress reporter.
import type { PassPhase } from '../apply/run-apply.js';
import type { CampaignSet } from '../campaign/types.js';
import type { EnvironmentSettings } from '../config/environment.js';
import type { Io } from './io.js';
import type { Reporter } from './reporter.js';

export function passPhase(
  _io: Io,
  _settings: EnvironmentSettings,
  _desired: CampaignSet,
  _reporter: Reporter,
): PassPhase | undefined {
  return undefined;
}
