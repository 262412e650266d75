// No silent rollback: before anything is sent, an apply from a commit that is not the last applied
// one or a descendant of it is refused (APPLY_OLDER_COMMIT), or, when a shallow clone cannot tell
// even after deepening, APPLY_COMMIT_UNKNOWN. --allow-rollback lets it run, and the run says so.
import { IpassError } from '../diagnostics/errors.js';
import { escapeControl } from '../diagnostics/terminal-text.js';
import { gitAncestry } from '../shared/git.js';
import type { StateFile } from '../state/state-format.js';
import { type Io, writeLine } from './io.js';
import type { Project } from './project.js';
import type { RunRecorder } from './run-recorder.js';

export const short = (commit: string): string => commit.slice(0, 12);

/**
 * Refuse an apply of an older commit, or let it run as a recorded rollback; notes outside git. The
 * embedded sandbox is not checked: a local emulator, where switching branches is no rollback.
 */
export async function guardRollback(
  io: Io,
  project: Project,
  state: StateFile,
  run: RunRecorder,
  allowRollback: boolean,
): Promise<void> {
  if (project.settings.sandbox) return;
  const rootDir = project.config.rootDir;
  const head = run.head;
  if (!head) {
    writeLine(
      io.stderr,
      `Note: ipass cannot check that this apply is not older than the last one applied (${escapeControl(run.noCommit ?? 'no git commit')}).`,
    );
    return;
  }
  const last = state.lastApplied;
  if (!last || last.commit === head.commit) return;
  const ancestry = await gitAncestry(rootDir, last.commit, head.commit);
  if (ancestry === 'descendant') return;
  const names = `HEAD ${short(head.commit)}; the last apply (run ${escapeControl(last.runId)}, ${escapeControl(last.at)}) was from ${short(last.commit)}`;
  if (allowRollback) {
    run.rollback = { from: last.commit, to: head.commit };
    writeLine(
      io.stderr,
      `Note: applying ${short(head.commit)}, which is not a descendant of the last applied commit ${short(last.commit)} (--allow-rollback): recorded as a rollback.`,
    );
    return;
  }
  if (ancestry === 'unknown') {
    throw new IpassError(
      'APPLY_COMMIT_UNKNOWN',
      `Cannot tell whether this commit is newer than the last one applied: ${names}, which this clone does not have even after fetching more history.`,
      {
        reason: 'An apply of older files would undo newer changes, so nothing was sent.',
        hint: 'Check out the whole history (`fetch-depth: 0` in actions/checkout), or pass --allow-rollback if this commit is meant to be applied anyway.',
      },
    );
  }
  throw new IpassError(
    'APPLY_OLDER_COMMIT',
    `This commit is not a descendant of the last one applied: ${names}.`,
    {
      reason:
        'Applying it would undo what the newer commit applied (a silent rollback), so nothing was sent.',
      hint: 'Apply from main (or a commit that contains the last applied one), or pass --allow-rollback to roll back on purpose.',
    },
  );
}
