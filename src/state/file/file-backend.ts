// The file backend: the state of one environment in <stateDir>/<env>.state.json (+ .backup,
// .journal.jsonl, .lock) and its pass ledgers under <env>.passes/. Reads check the format; writes bump
// the serial, keep the previous snapshot as the backup and replace the file atomically. Writers hold
// the environment's lock file. For one machine, or a person at a laptop.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../../diagnostics/display-path.js';
import { IpassError } from '../../diagnostics/errors.js';
import { fileSystemError } from '../../shared/fs-errors.js';
import { atomicWriteFileSync } from '../atomic-write.js';
import type {
  EnvironmentExport,
  ImportReport,
  JournalWriter,
  LockedState,
  LockOptions,
  LockStatus,
  StateBackend,
  StateSnapshot,
  UnlockOptions,
  UnlockResult,
} from '../backend.js';
import type { JournalRecord } from '../journal-records.js';
import type { LockHolder } from '../lock-holder.js';
import { LockedStateBase } from '../locked-state-base.js';
import { emptyState, parseState, type StateFile, serializeState } from '../state-format.js';
import { FileRunHistory } from './file-history.js';
import { FileLedgers } from './file-ledgers.js';
import { fileLockStatus, fileUnlock } from './file-lock-control.js';
import { Journal, readFileJournal, removeJournal } from './journal.js';
import { acquireLock, type Lock } from './lock.js';

export interface StatePaths {
  state: string;
  backup: string;
  journal: string;
  lock: string;
  history: string;
}

export function statePaths(stateDir: string, environment: string): StatePaths {
  const base = join(stateDir, `${environment}.state.json`);
  return {
    state: base,
    backup: `${base}.backup`,
    journal: join(stateDir, `${environment}.journal.jsonl`),
    lock: join(stateDir, `${environment}.lock`),
    history: join(stateDir, `${environment}.history.jsonl`),
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

export class FileBackend implements StateBackend {
  readonly kind = 'file';
  readonly ledgers: FileLedgers;
  readonly paths: StatePaths;
  readonly history: FileRunHistory;

  constructor(
    readonly stateDir: string,
    readonly environment: string,
    /** Paths in messages are shown relative to this. */
    private readonly cwd: string = process.cwd(),
  ) {
    this.paths = statePaths(stateDir, environment);
    this.ledgers = new FileLedgers(stateDir, cwd);
    this.history = new FileRunHistory(this.paths.history);
  }

  /** Pass ledgers written under `lock`: nothing is cut or sent once the lock was taken away. */
  lockedLedgers(lock: Lock): FileLedgers {
    return new FileLedgers(this.stateDir, this.cwd, () => lock.check());
  }

  async lockStatus(): Promise<LockStatus> {
    return fileLockStatus(this.paths.lock, displayPath(this.cwd, this.paths.lock));
  }

  async unlock(options: UnlockOptions): Promise<UnlockResult> {
    return fileUnlock(this.paths.lock, displayPath(this.cwd, this.paths.lock), options);
  }

  get where(): string {
    return this.stateDir;
  }

  async read(): Promise<StateSnapshot> {
    const { state, exists } = loadState(this.stateDir, this.environment);
    return { state, exists, journal: readFileJournal(this.paths.journal) };
  }

  async lock(options: LockOptions): Promise<LockedState> {
    try {
      mkdirSync(this.stateDir, { recursive: true });
    } catch (error) {
      throw fileSystemError(error, this.stateDir, 'create the state folder');
    }
    let lock: Lock;
    try {
      lock = await acquireLock(this.paths.lock, {
        command: options.command,
        timeoutMs: options.timeoutMs,
        ...(options.onWait ? { onWait: options.onWait } : {}),
      });
    } catch (error) {
      throw fileSystemError(error, this.paths.lock, 'take the lock');
    }
    try {
      const { state, exists } = loadState(this.stateDir, this.environment);
      return new FileLockedState(this, lock, state, exists);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  async close(): Promise<void> {}
}

/** A locked, writable state of one environment. Call release() when done (also on errors). */
class FileLockedState extends LockedStateBase {
  readonly ledgers: FileLedgers;

  constructor(
    private readonly backend: FileBackend,
    private readonly lock: Lock,
    state: StateFile,
    exists: boolean,
  ) {
    super(backend.environment, backend.where, state, exists);
    this.ledgers = backend.lockedLedgers(lock);
  }

  get takenOverFrom(): LockHolder | undefined {
    return this.lock.takenOverFrom;
  }

  get history(): FileRunHistory {
    return this.backend.history;
  }

  protected async write(saved: StateFile): Promise<StateFile> {
    const paths = this.backend.paths;
    this.lock.check();
    try {
      if (this.exists) atomicWriteFileSync(paths.backup, readFileSync(paths.state));
    } catch (error) {
      throw fileSystemError(error, paths.backup, 'keep the backup of the state');
    }
    try {
      atomicWriteFileSync(paths.state, serializeState(saved));
    } catch (error) {
      throw fileSystemError(error, paths.state, 'write the state');
    }
    this.state = saved;
    this.exists = true;
    return saved;
  }

  async unfinishedJournal(): Promise<JournalRecord[] | undefined> {
    return readFileJournal(this.backend.paths.journal);
  }

  async settleJournal(folded: StateFile | undefined): Promise<void> {
    // Folding is idempotent: were the process killed between these two steps, the next apply would
    // fold the same journal into the saved state again, with the same result.
    if (folded) await this.save(folded);
    this.lock.check();
    try {
      removeJournal(this.backend.paths.journal);
    } catch (error) {
      throw fileSystemError(error, this.backend.paths.journal, 'remove the finished apply journal');
    }
  }

  async openJournal(): Promise<JournalWriter> {
    const path = this.backend.paths.journal;
    this.lock.check();
    let journal: Journal;
    try {
      journal = Journal.open(path);
    } catch (error) {
      throw fileSystemError(error, path, 'open the apply journal');
    }
    const guard = async (work: () => void): Promise<void> => {
      // A run whose lock was removed (state unlock --force) records nothing more: another may run now.
      this.lock.check();
      try {
        work();
      } catch (error) {
        throw fileSystemError(
          error,
          path,
          'write the apply journal',
          'Requests whose outcome could not be recorded are in doubt; the next apply settles them by sending them again with the same ids.',
        );
      }
    };
    return {
      append: (record) => guard(() => journal.append(record)),
      appendMany: (records) => guard(() => journal.appendMany(records)),
      close: () => guard(() => journal.close()),
    };
  }

  async importEnvironment(source: EnvironmentExport): Promise<ImportReport> {
    let ledgerRows = 0;
    for (const ledger of source.ledgers) ledgerRows += await this.ledgers.importLedger(ledger);
    await this.write({ ...source.state, environment: this.environment });
    return {
      templates: Object.keys(source.state.templates).length,
      ledgers: source.ledgers.length,
      ledgerRows,
    };
  }

  async release(): Promise<void> {
    this.lock.release();
  }
}
