// The state of one environment on disk: <stateDir>/<env>.state.json (+ .backup, .journal.jsonl,
// .lock). Reads check the format; writes bump the serial, keep the previous snapshot as the backup
// and replace the file atomically. Writers hold the environment's lock.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpassError } from '../diagnostics/errors.js';
import { atomicWriteFileSync } from './atomic-write.js';
import { Journal, readJournal, removeJournal } from './journal.js';
import { type AcquireLockOptions, acquireLock, type Lock, type LockHolder } from './lock.js';
import { emptyState, parseState, type StateFile, serializeState } from './state-format.js';

export interface StatePaths {
  state: string;
  backup: string;
  journal: string;
  lock: string;
}

export function statePaths(stateDir: string, environment: string): StatePaths {
  const base = join(stateDir, `${environment}.state.json`);
  return {
    state: base,
    backup: `${base}.backup`,
    journal: join(stateDir, `${environment}.journal.jsonl`),
    lock: join(stateDir, `${environment}.lock`),
  };
}

export interface LoadedState {
  state: StateFile;
  /** False when no state file exists yet (the state is new and unsaved). */
  exists: boolean;
}

/** Read and check the state file. A damaged file is an error that points at the backup. */
export function loadState(stateDir: string, environment: string): LoadedState {
  const paths = statePaths(stateDir, environment);
  let text: string;
  try {
    text = readFileSync(paths.state, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new IpassError('STATE_UNREADABLE', `The state file ${paths.state} cannot be read.`, {
        reason: (error as NodeJS.ErrnoException).code ?? String(error),
        hint: 'Check the permissions of the state folder.',
      });
    }
    if (existsSync(paths.backup)) {
      throw new IpassError(
        'STATE_MISSING',
        `The state file ${paths.state} is missing, but its backup is there.`,
        {
          reason:
            'Without its state ipass would create every template again, so it stops here; nothing was sent.',
          hint: `If the state was deleted by mistake, restore it: cp ${paths.backup} ${paths.state}. To really start from scratch, delete the backup too.`,
        },
      );
    }
    return { state: emptyState(environment, randomUUID()), exists: false };
  }
  const parsed = parseState(text);
  if (!parsed.ok) {
    const backup = existsSync(paths.backup) ? backupSummary(paths.backup) : undefined;
    throw new IpassError('STATE_CORRUPT', `The state file ${paths.state} is damaged: ${parsed.problem}.`, {
      reason: 'ipass will not guess what exists remotely from a damaged state, so nothing was sent.',
      hint: backup
        ? `The previous version is kept at ${paths.backup} (${backup}). Inspect it, then restore it with: cp ${paths.backup} ${paths.state} — and run \`ipass plan --refresh\` to compare it with the API.`
        : `There is no backup. Restore the file from version control if you keep it there, or rebuild it with \`ipass state import ADDRESS CODE\` for each template.`,
    });
  }
  if (parsed.state.environment !== environment) {
    throw new IpassError(
      'STATE_WRONG_ENVIRONMENT',
      `The state file ${paths.state} belongs to environment "${parsed.state.environment}", not "${environment}".`,
      { hint: 'State files must not be copied between environments; restore the right file.' },
    );
  }
  return { state: parsed.state, exists: true };
}

function backupSummary(path: string): string {
  const parsed = parseState(readFileSync(path, 'utf8'));
  return parsed.ok
    ? `serial ${parsed.state.serial}, ${Object.keys(parsed.state.templates).length} templates`
    : `also damaged: ${parsed.problem}`;
}

export interface OpenStoreOptions {
  command: string;
  lockTimeoutMs: number;
  onLockWait?: AcquireLockOptions['onWait'];
}

/** A locked, writable state of one environment. Call close() when done (also on errors). */
export class StateStore {
  private constructor(
    readonly environment: string,
    readonly paths: StatePaths,
    private lock: Lock,
    public state: StateFile,
    public exists: boolean,
  ) {}

  static async open(stateDir: string, environment: string, options: OpenStoreOptions): Promise<StateStore> {
    mkdirSync(stateDir, { recursive: true });
    const paths = statePaths(stateDir, environment);
    const lock = await acquireLock(paths.lock, {
      command: options.command,
      timeoutMs: options.lockTimeoutMs,
      ...(options.onLockWait ? { onWait: options.onLockWait } : {}),
    });
    try {
      const { state, exists } = loadState(stateDir, environment);
      return new StateStore(environment, paths, lock, state, exists);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  get takenOverFrom(): LockHolder | undefined {
    return this.lock.takenOverFrom;
  }

  /** Adopt the lineage of a saved plan made before this environment had any state. */
  adoptLineage(lineage: string): void {
    if (this.exists) throw new Error('adoptLineage on an existing state');
    this.state = { ...this.state, lineage };
  }

  /** Write `next` as serial+1; the current file becomes the backup. */
  save(next: StateFile): StateFile {
    const saved: StateFile = { ...next, serial: this.state.serial + 1, environment: this.environment };
    if (this.exists) atomicWriteFileSync(this.paths.backup, readFileSync(this.paths.state));
    atomicWriteFileSync(this.paths.state, serializeState(saved));
    this.state = saved;
    this.exists = true;
    return saved;
  }

  /** Records of an apply that did not finish, if any. */
  unfinishedJournal<T>(): T[] | undefined {
    const read = readJournal<T>(this.paths.journal);
    if (!read) return undefined;
    if (!read.ok) {
      throw new IpassError(
        'JOURNAL_CORRUPT',
        `The apply journal ${this.paths.journal} is damaged at line ${read.line}.`,
        {
          reason: read.problem,
          hint: 'Nothing was sent. Move the journal aside and run `ipass plan --refresh` to see what exists remotely.',
        },
      );
    }
    return read.records;
  }

  openJournal(): Journal {
    return Journal.open(this.paths.journal);
  }

  clearJournal(): void {
    removeJournal(this.paths.journal);
  }

  close(): void {
    this.lock.release();
  }
}
