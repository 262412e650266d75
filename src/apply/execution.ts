// The run state an apply's phases share: client, journal, working state and ledgers; why the run
// stopped (Ctrl-C, refused credentials, a storage failure, another coded error); and how one request
// is sent, its intent recorded before it and its outcome, with the state change it makes, after.
import type { ApiCaller, ApiRequest, Exchange } from '../api/api-caller.js';
import { exchange } from '../api/api-caller.js';
import type { ApiFailure, ApiResult } from '../api/api-result.js';
import type { DetailRequest, DetailResponse } from '../api/endpoints.js';
import { isStorageFailure } from '../diagnostics/error-codes.js';
import { IpassError } from '../diagnostics/errors.js';
import type { JournalWriter, LedgerStore } from '../state/backend.js';
import type { IntentMeta, JournalRecord } from '../state/journal-records.js';
import type { StateFile, TemplateState } from '../state/state-format.js';
import { checkedAnswer, unrecorded } from './answer-checks.js';
import { type ChangeFailure, toFailure } from './outcomes.js';

export type StopReason = 'interrupted' | 'credentials' | 'storage' | 'error';

/** Mutable run context shared by the template and pass phases. */
export class Execution {
  private counter = 0;
  stopReason: StopReason | undefined;
  credentialsFailure: ChangeFailure | undefined;
  /** The first failure to record something in the state backend; the run stops on it. */
  storageFailure: IpassError | undefined;
  /**
   * The first other coded error (a recipients file changed since it was checked, a damaged ledger):
   * the run stops on it, what finished is recorded, and it is reported as itself.
   */
  error: IpassError | undefined;
  /** passIds answered in this run: a second recipient answered with one was sent a replay. */
  readonly passIds = new Set<string>();

  constructor(
    readonly client: ApiCaller,
    readonly journal: JournalWriter,
    /** The working state; `templates` is updated as results arrive. */
    readonly state: StateFile,
    /** Where pass batches record each pass. */
    readonly ledgers: LedgerStore,
    /** Aborted on the first Ctrl-C: no new requests start; those in flight finish and are recorded. */
    readonly signal?: AbortSignal,
  ) {}

  nextId(): string {
    this.counter += 1;
    return `r${this.counter}`;
  }

  stop(reason: StopReason): void {
    this.stopReason ??= reason;
  }

  /**
   * Stop the run on an error. A storage failure (the backend could not record: database gone, disk
   * full) means nothing more is written: requests in flight finish, and what could not be recorded
   * stays in doubt for the next apply. Any other coded error is kept, to be reported once what
   * finished is recorded. Anything else is a bug and is thrown on.
   */
  fail(error: unknown): void {
    if (!(error instanceof IpassError)) throw error;
    if (isStorageFailure(error)) {
      this.storageFailure ??= error;
      this.stop('storage');
    } else {
      this.error ??= error;
      this.stop('error');
    }
  }

  /** An answer refusing the credentials stops the whole run: no request can succeed with them. */
  checkCredentials(failure: ApiFailure): void {
    if (failure.kind !== 'credentials') return;
    this.credentialsFailure ??= toFailure(failure);
    this.stop('credentials');
  }

  get stopping(): boolean {
    if (this.signal?.aborted) this.stop('interrupted');
    return this.stopReason !== undefined;
  }

  /**
   * Record state changes in the working state and the journal, all in one write: a process killed
   * at any instant leaves either all of them or none.
   */
  async record(records: readonly JournalRecord[]): Promise<void> {
    for (const r of records) {
      if (r.t === 'set') this.state.templates[r.address] = r.entry;
      else if (r.t === 'delete') delete this.state.templates[r.address];
    }
    await this.journal.appendMany(records);
  }

  /** A `detail` read: not journaled (it changes nothing); a credentials failure stops the run. */
  async read(body: DetailRequest): Promise<ApiResult<DetailResponse>> {
    const result = await this.client.call('detail', body);
    if (!result.ok) this.checkCredentials(result.failure);
    return result;
  }

  /** The address whose template (current or replaced) has this code, if any. */
  ownerOf(templateCode: string): string | undefined {
    for (const [address, t] of Object.entries(this.state.templates)) {
      if (t && (t.templateCode === templateCode || t.superseded.some((s) => s.templateCode === templateCode)))
        return address;
    }
    return undefined;
  }

  setEntry(address: string, entry: TemplateState): Promise<void> {
    return this.record([{ t: 'set', address, entry }]);
  }

  /**
   * Send one request with its intent and outcome recorded (see answer-checks.ts for what counts as
   * its answer). `settle` turns a definite outcome into state records, which are written in the same
   * write as the outcome itself: were they separate, a kill between the two would forget a template
   * the API created, and the next apply would create it again.
   */
  async send(
    address: string,
    request: ApiRequest,
    meta?: IntentMeta,
    settle?: (answer: Exchange) => JournalRecord[],
  ): Promise<ApiResult<unknown>> {
    const id = this.nextId();
    const { endpoint, body } = request;
    // Only once the intent is recorded may the request go out.
    await this.journal.append({ t: 'intent', id, address, endpoint, body, ...(meta ? { meta } : {}) });
    const answer = await checkedAnswer(this, address, await exchange(this.client, request));
    const result: ApiResult<unknown> = answer.result;
    if (result.ok || !result.failure.inDoubt) {
      const records = settle?.(answer) ?? [];
      try {
        await this.record([{ t: 'settled', id }, ...records]);
      } catch (error) {
        this.fail(error);
        return unrecorded(endpoint, result);
      }
    }
    if (!result.ok) this.checkCredentials(result.failure);
    return result;
  }
}
