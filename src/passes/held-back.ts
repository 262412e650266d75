// Recipients held back (pure): a row whose last createPass failed permanently (failure-code.ts) is
// not sent again while its row is the same, unless --retry-failed. "The same" is the hash of what
// the row's request carries: the batch's pass fields, the user and the {{column}} values.
import type { HeldBack } from '../plan/plan-types.js';
import { type HeldFailure, hash64, type KeyTable } from '../state/key-table.js';
import type { Recipient, RecipientLayout } from './recipient-rows.js';

/** The batch's part of every row hash: its content as the ledger keeps it (batchContentJson). */
export const batchHashOf = (contentJson: string): number => hash64(contentJson).lo;

export function rowHashOf(batchHash: number, layout: RecipientLayout, recipient: Recipient): number {
  let text = `${batchHash}\u0000${recipient.userId ?? ''}\u0000${recipient.openId ?? ''}`;
  for (const i of layout.columns.values()) text += `\u0000${recipient.fields[i] ?? ''}`;
  return hash64(text).lo;
}

/**
 * Why the recipient in `slot` is not sent, or undefined when it is: held while its failure was
 * permanent and its row hash is the one recorded (a record without one holds it too).
 */
export function heldBack(
  table: KeyTable,
  slot: number,
  rowHash: () => number,
  retryFailed: boolean,
): HeldFailure | undefined {
  if (retryFailed) return undefined;
  const held = table.held(slot);
  if (!held || (held.rowHash !== undefined && held.rowHash !== rowHash())) return undefined;
  return held;
}

/** Count a held-back recipient by the code it failed with. */
export function countHeld(counts: HeldBack, held: HeldFailure): void {
  counts.count++;
  counts.codes[held.code] = (counts.codes[held.code] ?? 0) + 1;
}
