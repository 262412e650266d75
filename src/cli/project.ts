// What plan, apply and state commands share: load the config (diagnostics printed), pick the
// environment, load the campaigns, and read the state as a plan sees it (journal folded in).

import { type LoadCampaignsOptions, loadCampaigns } from '../campaign/load-campaigns.js';
import type { CampaignSet } from '../campaign/types.js';
import {
  type EnvironmentSettings,
  environmentSettings,
  selectEnvironmentName,
} from '../config/environment.js';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { IpassError } from '../diagnostics/errors.js';
import { escapeControl } from '../diagnostics/terminal-text.js';
import type { LockedState, StateBackend } from '../state/backend.js';
import { foldJournal } from '../state/journal-records.js';
import { describeHolder, type LockHolder, lockId } from '../state/lock-holder.js';
import { openBackend } from '../state/open-backend.js';
import type { StateFile } from '../state/state-format.js';
import { type Io, printDiagnostics, writeLine } from './io.js';

export interface ProjectOptions {
  config?: string;
  env?: string;
}

export interface Project {
  config: LoadedConfig;
  settings: EnvironmentSettings;
}

export async function loadProject(io: Io, options: ProjectOptions): Promise<Project> {
  const { config, diagnostics } = await loadConfig({
    cwd: io.cwd,
    ...(options.config ? { configFile: options.config } : {}),
  });
  printDiagnostics(io, diagnostics);
  if (!config || hasErrors(diagnostics)) {
    throw new IpassError('CONFIG_INVALID', 'The config has problems (listed above); nothing was done.', {
      hint: 'Fix the config file at the places shown.',
      details: { diagnostics },
    });
  }
  const name = selectEnvironmentName(config, options.env, io.env);
  return { config, settings: environmentSettings(config, name) };
}

/** Load and check the campaigns; errors are printed and stop the command before anything is sent. */
export async function loadDesired(
  io: Io,
  project: Project,
  existing: NonNullable<LoadCampaignsOptions['existing']>,
  now: number,
): Promise<CampaignSet> {
  const { set, diagnostics } = await loadCampaigns({
    cwd: io.cwd,
    rootDir: project.config.rootDir,
    patterns: project.config.campaigns,
    now,
    existing,
  });
  printDiagnostics(io, diagnostics);
  if (hasErrors(diagnostics)) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    throw new IpassError(
      'CAMPAIGNS_INVALID',
      `The campaign files have ${n} error${n === 1 ? '' : 's'} (listed above); nothing was sent.`,
      {
        hint: 'Fix them (`ipass validate` lists them again) and run the command again.',
        details: { diagnostics },
      },
    );
  }
  return set;
}

export interface PlanningState {
  state: StateFile;
  exists: boolean;
  /** Records of an interrupted apply that the next apply will finish recording. */
  unfinished: number;
}

/** The backend holding the environment's state (files, or a database). Close it when done. */
export function projectBackend(io: Io, project: Project): Promise<StateBackend> {
  return openBackend(project.config, project.settings, { env: io.env, cwd: project.config.rootDir });
}

/** The state as the next apply will see it: an interrupted apply's journal is folded in (in memory). */
export async function readPlanningState(backend: StateBackend): Promise<PlanningState> {
  const { state, exists, journal } = await backend.read();
  if (!journal) return { state, exists, unfinished: 0 };
  return { state: foldJournal(state, journal).state, exists, unfinished: journal.length };
}

/**
 * "500ms", "30s", "5m", "1h" or "0". A bare number other than 0 is refused: `--lock-timeout 30`
 * once meant 30 milliseconds, which nobody who wrote it meant.
 */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (m && m[2] === undefined && Number(m[1]) !== 0) {
    throw new IpassError('BAD_DURATION', `"${text}" has no unit.`, {
      hint: `Write ${m[1]}s for seconds (or ${m[1]}ms, ${m[1]}m, ${m[1]}h).`,
    });
  }
  if (!m) {
    throw new IpassError('BAD_DURATION', `"${text}" is not a duration.`, {
      hint: 'Write it like 500ms, 30s, 5m, 1h or 0.',
    });
  }
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h']);
}

/**
 * `fn` run on the first call, its result kept. For the state that loading the campaign files asks
 * for: read once the files are parsed (see loadCampaigns' `existing`), then used again.
 */
export function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}

/** What a command that takes the environment's lock says: that it waits for it, or took over a dead holder's. */
export function lockNotices(io: Io, timeout: string) {
  return {
    onLockWait: (holder: LockHolder | undefined): void =>
      writeLine(
        io.stderr,
        escapeControl(
          `Waiting up to ${timeout} for the lock held by ${holder ? `${describeHolder(holder)}, lock id ${lockId(holder)}` : 'another ipass run'} (Ctrl-C to give up).`,
        ),
      ),
    opened: (store: LockedState): void => {
      if (store.takenOverFrom)
        writeLine(
          io.stderr,
          escapeControl(
            `Note: took over the lock left by ${describeHolder(store.takenOverFrom)}, which is no longer running.`,
          ),
        );
    },
  };
}
