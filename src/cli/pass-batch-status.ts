// What `ipass state list|show` says of a pass batch: its template and how many recipients are
// issued, failed or in doubt, read from the batch's ledger (the state's counts when it has none).
// The ledger is read through readBatchLedger only, so where ledgers live can change in one place.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { KeyTable, LedgerStatus } from '../passes/key-table.js';
import { failuresPathOf } from '../passes/ledger-format.js';
import { readLedger } from '../passes/ledger-read.js';
import { shownPath } from '../passes/summarize.js';
import type { PassBatchState, StateFile } from '../state/state-format.js';

export interface PassBatchStatus {
  address: string;
  templateCode: string;
  /** The managed template with that code, if any. */
  templateAddress: string | null;
  issued: number;
  failed: number;
  /** Recipients whose last attempt has an unknown outcome (re-sent with the same bizSerialId). */
  inDoubt: number;
  /** Ledger and failures file, as paths to show (relative to the working directory when inside it). */
  ledger: string;
  failuresFile: string | null;
}

export interface BatchLedgerCounts {
  exists: boolean;
  issued: number;
  failed: number;
  inDoubt: number;
}

/** One batch's ledger, counted by the outcome of each recipient's last attempt. */
export async function readBatchLedger(stateDir: string, entry: PassBatchState): Promise<BatchLedgerCounts> {
  const table = new KeyTable(entry.issued + entry.failed);
  const read = await readLedger(resolve(stateDir, entry.ledger), table, entry.ledger);
  const { unseen } = table.tally();
  return {
    exists: read.exists,
    issued: unseen[LedgerStatus.issued] ?? 0,
    failed: unseen[LedgerStatus.failed] ?? 0,
    inDoubt: unseen[LedgerStatus.inDoubt] ?? 0,
  };
}

export async function passBatchStatus(
  stateDir: string,
  cwd: string,
  state: StateFile,
  address: string,
): Promise<PassBatchStatus | undefined> {
  const entry = state.passBatches[address];
  if (!entry) return undefined;
  const counts = await readBatchLedger(stateDir, entry);
  const owner = Object.keys(state.templates)
    .sort()
    .find((a) => state.templates[a]?.templateCode === entry.templateCode);
  const failures = resolve(stateDir, failuresPathOf(entry.ledger));
  return {
    address,
    templateCode: entry.templateCode,
    templateAddress: owner ?? null,
    issued: counts.exists ? counts.issued : entry.issued,
    failed: counts.exists ? counts.failed : entry.failed,
    inDoubt: counts.inDoubt,
    ledger: shownPath(cwd, resolve(stateDir, entry.ledger)),
    failuresFile: existsSync(failures) ? shownPath(cwd, failures) : null,
  };
}

/** Every batch of the state, in address order (one ledger in memory at a time). */
export async function passBatchStatuses(
  stateDir: string,
  cwd: string,
  state: StateFile,
): Promise<PassBatchStatus[]> {
  const out: PassBatchStatus[] = [];
  for (const address of Object.keys(state.passBatches).sort()) {
    const status = await passBatchStatus(stateDir, cwd, state, address);
    if (status) out.push(status);
  }
  return out;
}
