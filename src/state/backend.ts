// Where an environment's state lives: the state snapshot (lineage, serial), the apply journal, the
// pass ledgers and the lock, behind a few small interfaces that every backend (file, postgres) meets.
// Nothing above this layer knows which backend it has.
import type { JournalRecord } from './journal-records.js';
import type { KeyTable } from './key-table.js';
import type { LockHolder } from './lock-holder.js';
import type { ChangeKind, LifeWord, PassContent } from './pass-life.js';
import type { RunRecord } from './run-record.js';
import type { StateFile } from './state-format.js';

export interface StateSnapshot {
  state: StateFile;
  /** False when the environment has no state yet (a new, unsaved one is returned). */
  exists: boolean;
  /** Records of an apply that did not finish, checked; undefined when there are none. */
  journal: JournalRecord[] | undefined;
}

export interface LockOptions {
  /** The command line that takes the lock, shown to whoever waits for it. */
  command: string;
  /** How long to wait for a live holder; 0 = refuse at once (LOCK_HELD). */
  timeoutMs: number;
  /** Called once, when a live holder makes this call wait. */
  onWait?: (holder: LockHolder | undefined) => void;
}

/** Who holds an environment's lock, as `ipass state lock` reports it; reading it changes nothing. */
export interface LockStatus {
  /**
   * free: nobody holds it; held: a holder that runs, or that cannot be told gone; stale: left by a
   * holder that is gone (the next run that locks takes it over).
   */
  state: 'free' | 'held' | 'stale';
  /** The holder named in the lock (undefined when free, or when the holder has not named itself). */
  holder: LockHolder | undefined;
  /** Whether the holder runs (a paused process does); undefined: it cannot be told from here. */
  alive: boolean | undefined;
  /** How `alive` was told, or why it could not be. */
  because: string;
  /** The lock file, or the database session holding the lock. */
  where: string;
}

export interface UnlockOptions {
  /** The id `state lock` and LOCK_HELD print (see lockId in lock-holder.ts). */
  id: string;
  /** Files: remove the lock of a holder that still runs (or runs on another host) too. */
  evenIfAlive: boolean;
}

export interface UnlockResult {
  released: LockHolder;
  /** Whether the holder ran when it was released. */
  wasAlive: boolean | undefined;
  /** What was done, for the report: "ended database session 4242", "removed .ipass/dev.lock". */
  done: string;
  /** What follows from it, when something does (a holder that may still run). */
  note?: string;
}

/** One environment's state in one backend. */
export interface StateBackend {
  readonly kind: 'file' | 'postgres';
  /** Where the state lives, for messages (a folder, or host/database/schema; never a password). */
  readonly where: string;
  readonly environment: string;
  /** The state as the next apply will find it, without taking the lock. */
  read(): Promise<StateSnapshot>;
  /** Take the environment's lock, then read the state. Release it with LockedState.release(). */
  lock(options: LockOptions): Promise<LockedState>;
  /** Pass ledgers, for reading (plan, validate, state list). */
  readonly ledgers: LedgerReader;
  /** Who holds the lock and whether it runs; reads only (creates no table or file). */
  lockStatus(): Promise<LockStatus>;
  /**
   * Release the lock of the holding `options.id` names, and only that one (postgres: end its
   * session; files: remove the lock file). A coded error when the id is not the current holder's.
   */
  unlock(options: UnlockOptions): Promise<UnlockResult>;
  /** The run history, for reading (`ipass history`); reading creates nothing. */
  readonly history: RunHistoryReader;
  /** Close connections; the backend is not used afterwards. Never throws. */
  close(): Promise<void>;
}

/** The state of an environment while this process holds its lock: the only way to write it. */
export interface LockedState {
  readonly environment: string;
  readonly where: string;
  readonly state: StateFile;
  readonly exists: boolean;
  /** Set when a lock left by a holder that is gone was taken over. */
  readonly takenOverFrom: LockHolder | undefined;
  /** Adopt the lineage of a saved plan made before this environment had any state. */
  adoptLineage(lineage: string): void;
  /**
   * Write `next` as serial+1, only if the stored state is still the one read (same lineage and
   * serial); the previous snapshot is kept as the backup.
   */
  save(next: StateFile): Promise<StateFile>;
  /** Records of an apply that did not finish, checked; undefined when there are none. */
  unfinishedJournal(): Promise<JournalRecord[] | undefined>;
  /** Save `folded` (when given) and remove the journal it was folded from, atomically if the backend can. */
  settleJournal(folded: StateFile | undefined): Promise<void>;
  openJournal(): Promise<JournalWriter>;
  readonly ledgers: LedgerStore;
  /** The run history: the lock holder appends its run before it releases the lock. */
  readonly history: RunHistory;
  /** Copy a whole environment (state and pass ledgers) in, for `state migrate`. */
  importEnvironment(source: EnvironmentExport): Promise<ImportReport>;
  /** Release the lock and close what was opened for it. Never throws. */
  release(): Promise<void>;
}

/** Every run of an environment, newest first; nothing in it is ever deleted or rewritten. */
export interface RunHistoryReader {
  /** The newest `limit` runs, newest first, without their changes; none when there is no history yet. */
  list(limit: number): Promise<RunRecord[]>;
  get(id: string): Promise<RunRecord | undefined>;
}

export interface RunHistory extends RunHistoryReader {
  /** Durable when it resolves. */
  append(run: RunRecord): Promise<void>;
}

/**
 * The apply journal: an intent before each request, its outcome and the state change it causes
 * after. Each call is durable once its promise resolves; appendMany is all-or-nothing.
 */
export interface JournalWriter {
  append(record: JournalRecord): Promise<void>;
  appendMany(records: readonly JournalRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** A pass batch's ledger: the batch address, and its file relative to the state folder (file backend). */
export interface LedgerRef {
  address: string;
  path: string;
}

export interface LedgerRead {
  exists: boolean;
  /** Records read (file) or rows (postgres). */
  records: number;
  /** The template the latest records are for. */
  templateCode: string | undefined;
  /** The batch's content (JSON) as every pass of it carries it, when recorded (pass-life.ts). */
  content?: string;
  /** Where a writer may continue (file: bytes up to the last whole line). */
  resumeAt: number;
  tornTail: boolean;
}

export interface LedgerReader {
  /** Fold the batch's ledger into `table` (one streaming pass). */
  read(ref: LedgerRef, table: KeyTable): Promise<LedgerRead>;
  /** How the ledger is named in messages. */
  shown(ref: LedgerRef): string;
  /** The passIds of these issued passes (an id issued through PASS_HAS_EXIST has none). */
  passIds(ref: LedgerRef, ids: ReadonlySet<string>): Promise<Map<string, string>>;
}

export interface LedgerStore extends LedgerReader {
  open(ref: LedgerRef, read: LedgerRead): Promise<LedgerWriter>;
}

/**
 * Appends to a pass ledger. `intents` is durable when it resolves (only then may the requests go
 * out); outcomes are gathered and written shortly after, in order. A failed write is kept and
 * reported by the next intents/flush/close, so an outcome is never silently lost.
 */
export interface LedgerWriter {
  template(templateCode: string, at: number): void;
  intents(ids: readonly string[]): Promise<void>;
  issued(id: string, passId: string, at: number): void;
  /** Issued: PASS_HAS_EXIST for an id that can only have been ours. */
  confirmed(id: string, at: number): void;
  failed(id: string, code: string, at: number): void;
  /** The attempt certainly did not reach the API. */
  notSent(id: string): void;
  /** The content the pass carries now (issued with it, or updated to it). */
  content(id: string, content: PassContent, at: number): void;
  /** Durable when it resolves: updatePass UPDATE (U) or CLOSED (C) is about to be sent for these passes. */
  changeIntents(ids: readonly string[], kind: ChangeKind, at: number): Promise<void>;
  /** The pass is closed, used, closed-or-used or not active: nothing more is sent for it. */
  life(id: string, life: LifeWord, at: number): void;
  /** The change failed with this code (tried again on the next apply). */
  changeFailed(id: string, code: string, at: number): void;
  /** The change certainly did not reach the API. */
  changeNotSent(id: string): void;
  /** The batch's content as every pass of it now carries it (JSON). */
  batchContent(json: string, at: number): void;
  /** Outcomes recorded so far are written. */
  flush(): Promise<void>;
  /** flush, and make what was written durable. */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

/** A whole environment, as `state migrate` copies it between backends. */
export interface EnvironmentExport {
  state: StateFile;
  /** Every pass batch ledger, with its records in order. */
  ledgers: readonly LedgerExport[];
}

export interface LedgerExport {
  ref: LedgerRef;
  /** The ledger's records in order, a chunk at a time (types as in ledger-format.ts). */
  records(): AsyncIterable<readonly LedgerRecord[]>;
}

export type LedgerRecord =
  | { t: 'I'; id: string }
  | { t: 'S'; id: string; passId: string; at: number }
  | { t: 'E'; id: string; at: number }
  | { t: 'F'; id: string; code: string; at: number }
  | { t: 'N'; id: string }
  | { t: 'T'; templateCode: string; at: number };

export interface ImportReport {
  templates: number;
  ledgers: number;
  ledgerRows: number;
}
