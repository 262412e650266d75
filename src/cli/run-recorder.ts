// A run as the history keeps it, from its start (id, who, commit, version) to its end: the record is
// appended by the lock holder before it releases the lock, and a successful apply's commit becomes
// the state's lastApplied. A failure to record is printed as a warning; it never hides the outcome.
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { IpassError, isIpassError } from '../diagnostics/errors.js';
import { ciActor, ciRunUrl } from '../shared/ci.js';
import { type GitHead, gitHead } from '../shared/git.js';
import type { LockedState, StateBackend } from '../state/backend.js';
import { newRunId, RUN_FORMAT_VERSION, type RunRecord } from '../state/run-record.js';
import { type Io, printError } from './io.js';
import { VERSION } from './version.js';

/** How a run ended, as the command that ran it says. */
export type RunEnding = Pick<RunRecord, 'outcome' | 'counts' | 'changes'> &
  Partial<Pick<RunRecord, 'error' | 'planHash' | 'policyOverrides'>> & {
    /** The run succeeded in a way that makes its commit the last applied one. */
    applied?: boolean;
  };

function localUser(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `?@${hostname()}`;
  }
}

export class RunRecorder {
  readonly id: string;
  readonly startedAt = new Date();
  /** Set by the rollback guard when an older commit is applied on purpose. */
  rollback: { from: string; to: string } | undefined;

  private constructor(
    readonly command: string,
    readonly head: GitHead | undefined,
    /** Why there is no commit, when there is none. */
    readonly noCommit: string | undefined,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.id = newRunId(this.startedAt, randomBytes(3).toString('hex'));
  }

  /** `command` as the history shows it ("apply --allow-rollback"); `rootDir` is where git is asked. */
  static async start(io: Io, rootDir: string, command: string): Promise<RunRecorder> {
    const head = await gitHead(rootDir);
    return 'why' in head
      ? new RunRecorder(command, undefined, head.why, io.env)
      : new RunRecorder(command, head, undefined, io.env);
  }

  record(environment: string, ending: RunEnding): RunRecord {
    const { applied: _applied, ...end } = ending;
    const ciRun = ciRunUrl(this.env);
    return {
      formatVersion: RUN_FORMAT_VERSION,
      id: this.id,
      environment,
      command: this.command,
      who: ciActor(this.env) ?? localUser(),
      ...(ciRun ? { ciRun } : {}),
      ...(this.head ? { commit: this.head.commit, dirty: this.head.dirty } : {}),
      version: VERSION,
      startedAt: this.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      ...end,
      ...(this.rollback ? { rollback: this.rollback } : {}),
    };
  }

  /**
   * Append the run to the history of the locked state (and record a successful apply's commit as
   * the last applied one). Never throws: what could not be recorded is printed as a warning.
   */
  async finish(io: Io, store: LockedState, ending: RunEnding): Promise<void> {
    const run = this.record(store.environment, ending);
    if (ending.applied && this.head) {
      try {
        await store.save({
          ...store.state,
          lastApplied: { commit: this.head.commit, runId: this.id, at: run.endedAt },
        });
      } catch (error) {
        warn(io, error, `The commit of this apply could not be recorded as the last one applied.`);
      }
    }
    try {
      await store.history.append(run);
    } catch (error) {
      warn(io, error, `Run ${this.id} could not be added to the run history of ${store.environment}.`);
    }
  }
  /**
   * Append the run of a command that did its work without the lock (`state unlock`): the lock is
   * taken for the append, waiting briefly for a run that started meanwhile. Never throws.
   */
  async finishLocking(io: Io, backend: StateBackend, ending: RunEnding): Promise<void> {
    let store: LockedState;
    try {
      store = await backend.lock({ command: `ipass ${this.command}`, timeoutMs: 10_000 });
    } catch (error) {
      warn(io, error, `Run ${this.id} could not be added to the run history of ${backend.environment}.`);
      return;
    }
    try {
      await this.finish(io, store, ending);
    } finally {
      await store.release();
    }
  }
}

function warn(io: Io, cause: unknown, what: string): void {
  printError(
    io,
    new IpassError('HISTORY_WRITE_FAILED', what, {
      reason: `${isIpassError(cause) ? `${cause.code}: ` : ''}${cause instanceof Error ? cause.message : String(cause)}. The outcome printed above stands.`,
      hint: 'Check that the state backend can be written (`ipass doctor`); the next run is recorded as usual.',
    }),
  );
}
