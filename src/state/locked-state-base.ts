// What every backend's locked state shares: the snapshot read under the lock, adopting a saved
// plan's lineage for a new state, and `save` as the next serial of this environment. Each backend
// writes (`write`), journals and releases in its own way.
import type {
  EnvironmentExport,
  ImportReport,
  JournalWriter,
  LedgerStore,
  LockedState,
  RunHistory,
} from './backend.js';
import type { JournalRecord } from './journal-records.js';
import type { LockHolder } from './lock-holder.js';
import type { StateFile } from './state-format.js';

export abstract class LockedStateBase implements LockedState {
  abstract readonly ledgers: LedgerStore;
  abstract readonly history: RunHistory;
  abstract readonly takenOverFrom: LockHolder | undefined;

  constructor(
    readonly environment: string,
    readonly where: string,
    public state: StateFile,
    public exists: boolean,
  ) {}

  adoptLineage(lineage: string): void {
    if (this.exists) throw new Error('adoptLineage on an existing state');
    this.state = { ...this.state, lineage };
  }

  save(next: StateFile): Promise<StateFile> {
    return this.write({ ...next, serial: this.state.serial + 1, environment: this.environment });
  }

  /** Store `saved` in place of the state read (or last written); then it is the state. */
  protected abstract write(saved: StateFile): Promise<StateFile>;
  abstract unfinishedJournal(): Promise<JournalRecord[] | undefined>;
  abstract settleJournal(folded: StateFile | undefined): Promise<void>;
  abstract openJournal(): Promise<JournalWriter>;
  abstract importEnvironment(source: EnvironmentExport): Promise<ImportReport>;
  abstract release(): Promise<void>;
}
