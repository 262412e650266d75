// The exit codes every command shares (docs/production.md, "Exit codes"): 0 done, 1 error,
// 2 changes or drift, 3 lock held, 4 apply done except some recipients failed. A coded error ends
// the process with the code this table gives it, 1 when it names none.
import type { IpassError } from '../diagnostics/errors.js';

export const EXIT_ERROR = 1;
/** The environment's lock is held by another run (after --lock-timeout), or `state lock` found it held. */
export const EXIT_LOCK_HELD = 3;

const BY_CODE: Readonly<Record<string, number>> = {
  LOCK_HELD: EXIT_LOCK_HELD,
};

export function exitCodeOf(error: Pick<IpassError, 'code'>): number {
  return BY_CODE[error.code] ?? EXIT_ERROR;
}
