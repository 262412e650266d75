// What `ipass state list|show` says of a pass batch: its template and how many recipients are
// issued, failed or in doubt (and what became of the issued passes: closed, used, …), read from the batch's ledger in the state backend (the state's counts
// when it has none), and where the latest failures report is.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { displayPath } from '../diagnostics/display-path.js';
import type { LedgerReader } from '../state/backend.js';
import { KeyTable, LedgerStatus } from '../state/key-table.js';
import { failuresPathOf } from '../state/ledger-format.js';
import { LIFE_WORDS, type LifeWord, lifeOf } from '../state/pass-life.js';
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
  /** Issued passes by what became of them since (closed, used, …), as far as known; active ones too. */
  passes: Partial<Record<LifeWord, number>>;
  /** The ledger and the failures file, named as a person would look for them. */
  ledger: string;
  failuresFile: string | null;
}

export interface BatchLedgerCounts {
  exists: boolean;
  issued: number;
  failed: number;
  inDoubt: number;
  passes: Partial<Record<LifeWord, number>>;
}

/** One batch's ledger, counted by the outcome of each recipient's last attempt. */
export async function readBatchLedger(
  ledgers: LedgerReader,
  address: string,
  entry: PassBatchState,
): Promise<BatchLedgerCounts> {
  const table = new KeyTable(entry.issued + entry.failed);
  const read = await ledgers.read({ address, path: entry.ledger }, table);
  const { unseen } = table.tally();
  const passes: Partial<Record<LifeWord, number>> = {};
  table.forEachSlot((slot) => {
    if (table.status(slot) !== LedgerStatus.issued) return;
    const word = LIFE_WORDS[lifeOf(table.life(slot))] ?? 'active';
    passes[word] = (passes[word] ?? 0) + 1;
  });
  return {
    exists: read.exists,
    issued: unseen[LedgerStatus.issued] ?? 0,
    failed: unseen[LedgerStatus.failed] ?? 0,
    inDoubt: unseen[LedgerStatus.inDoubt] ?? 0,
    passes,
  };
}

export async function passBatchStatus(
  ledgers: LedgerReader,
  stateDir: string,
  cwd: string,
  state: StateFile,
  address: string,
): Promise<PassBatchStatus | undefined> {
  const entry = state.passBatches[address];
  if (!entry) return undefined;
  const counts = await readBatchLedger(ledgers, address, entry);
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
    passes: counts.passes,
    ledger: ledgers.shown({ address, path: entry.ledger }),
    failuresFile: existsSync(failures) ? displayPath(cwd, failures) : null,
  };
}

/** Every batch of the state, in address order (one ledger in memory at a time). */
export async function passBatchStatuses(
  ledgers: LedgerReader,
  stateDir: string,
  cwd: string,
  state: StateFile,
): Promise<PassBatchStatus[]> {
  const out: PassBatchStatus[] = [];
  for (const address of Object.keys(state.passBatches).sort()) {
    const status = await passBatchStatus(ledgers, stateDir, cwd, state, address);
    if (status) out.push(status);
  }
  return out;
}
