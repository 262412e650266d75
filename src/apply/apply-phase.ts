// One phase of an apply (re-sending what an earlier apply left in doubt, or carrying out the plan):
// a journal opened with a `begin` record, the work done through one Execution, then the journal
// folded into the state, unless the backend failed: then it stays for the next apply to finish.
import type { ApiCaller } from '../api/api-caller.js';
import type { LockedState } from '../state/backend.js';
import { foldJournal } from '../state/journal-records.js';
import { Execution } from './execution.js';

export interface PhaseOptions {
  client: ApiCaller;
  signal?: AbortSignal | undefined;
  now: () => Date;
}

/** Fold an unfinished journal into the state, save, and remove the journal. Returns records folded. */
export async function compactJournal(store: LockedState): Promise<number> {
  const records = await store.unfinishedJournal();
  if (!records) return 0;
  const folded = foldJournal(store.state, records);
  await store.settleJournal(folded.changes > 0 ? folded.state : undefined);
  return records.length;
}

/** Run `work` in a phase of its own; the Execution returned says how it ended. */
export async function runPhase(
  store: LockedState,
  options: PhaseOptions,
  work: (run: Execution) => Promise<void>,
): Promise<Execution> {
  const journal = await store.openJournal();
  const run = new Execution(
    options.client,
    journal,
    structuredClone(store.state),
    store.ledgers,
    options.signal,
  );
  try {
    await journal.append({
      t: 'begin',
      lineage: store.state.lineage,
      serial: store.state.serial,
      pid: process.pid,
      at: options.now().toISOString(),
    });
    await work(run);
  } catch (error) {
    run.fail(error);
  }
  // Once the backend failed, nothing more is written: the journal stays for the next apply.
  if (!run.storageFailure) {
    try {
      await journal.close();
      await compactJournal(store);
    } catch (error) {
      run.fail(error);
    }
  }
  return run;
}
