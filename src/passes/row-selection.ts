// Which rows of a batch an apply sends (pure once the revoked file is read): not issued already, not
// taken back (`revoked:`), not held back after a permanent failure with the same row (held-back.ts).
import type { DesiredPassBatch } from '../campaign/types.js';
import { type KeyTable, LedgerStatus } from '../state/key-table.js';
import { batchHashOf, heldBack, rowHashOf } from './held-back.js';
import { batchContentJson } from './pass-content.js';
import type { Recipient, RecipientLayout } from './recipient-rows.js';
import { readRevokedRows } from './revoked-rows.js';

export type RowChoice = 'send' | 'skip' | 'held';

export class RowSelection {
  private readonly batchHash: number;

  static async open(batch: DesiredPassBatch, table: KeyTable, retryFailed: boolean): Promise<RowSelection> {
    return new RowSelection(batch, table, await readRevokedRows(batch), retryFailed);
  }

  private constructor(
    private readonly batch: DesiredPassBatch,
    private readonly table: KeyTable,
    private readonly revoked: Awaited<ReturnType<typeof readRevokedRows>>,
    private readonly retryFailed: boolean,
  ) {
    this.batchHash = batchHashOf(batchContentJson(batch));
  }

  choose(slot: number, layout: RecipientLayout, recipient: Recipient): RowChoice {
    const status = this.table.status(slot);
    if (status === LedgerStatus.issued || this.revokes(recipient.bizSerialId)) return 'skip';
    if (status !== LedgerStatus.failed) return 'send';
    const held = heldBack(this.table, slot, () => this.rowHash(layout, recipient), this.retryFailed);
    return held ? 'held' : 'send';
  }

  /** The hash a permanent failure of this row is recorded with. */
  rowHash(layout: RecipientLayout, recipient: Recipient): number {
    return rowHashOf(this.batchHash, layout, recipient);
  }

  private revokes(id: string): boolean {
    const r = this.batch.revoked;
    return r !== undefined && ('all' in r || this.revoked.rows?.ids.has(id) === true);
  }
}
