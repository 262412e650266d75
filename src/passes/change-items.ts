// Which passes of a batch an apply changes, from its ledger (read into a KeyTable) and its files: the
// issued passes whose content differs from what the files give now (updatePass UPDATE), and those
// `revoked:` names (updatePass CLOSED). Passes not active any more are counted and left alone.
import type { DesiredPassBatch } from '../campaign/types.js';
import type { PassesNotActive } from '../plan/plan-types.js';
import { type KeyTable, LedgerStatus } from '../state/key-table.js';
import {
  CONTENT_KNOWN,
  changeable,
  closeMayHaveApplied,
  lifeOf,
  type PassContent,
} from '../state/pass-life.js';
import { carriedContent, countNotActive } from './life-plan.js';
import { contentChange, passContent } from './pass-content.js';
import { type CompiledContent, compileContent, fillContent, placeholderNames } from './placeholders.js';
import { layoutOf, lookupFor, type Recipient, type RecipientLayout, readRow } from './recipient-rows.js';
import { recipientRowsAgain, recipientsChanged } from './recipients-again.js';
import type { RevokedRows } from './revoked-rows.js';

export interface ChangeItem {
  recipient: Recipient;
  kind: 'U' | 'C';
  /** A close of ours for this pass may have gone through already. */
  closeInDoubt: boolean;
  /** Updates: the new dataInfo and/or endDate, and the content the pass carries after. */
  dataInfo?: unknown;
  endDate?: number;
  carried?: PassContent;
  wanted?: PassContent;
}

export interface ChangeWork {
  items: ChangeItem[];
  /** Passes left alone: not active any more. */
  notActive: PassesNotActive;
  /** Updates that the files ask for, in total (all sent and answered: the batch's content is recorded). */
  updates: number;
}

/** Collect the batch's changes: one read of the recipients file (when it has any to give). */
export async function changeItems(
  batch: DesiredPassBatch,
  table: KeyTable,
  revoked: RevokedRows | undefined,
  wantUpdates: boolean,
): Promise<ChangeWork> {
  const work: ChangeWork = {
    items: [],
    notActive: { used: 0, closed: 0, closedOrUsed: 0, notActive: 0 },
    updates: 0,
  };
  const all = batch.revoked !== undefined && 'all' in batch.revoked;
  const add = (
    recipient: Recipient,
    slot: number,
    kind: 'U' | 'C',
    extra: Partial<ChangeItem> = {},
  ): void => {
    const byte = table.life(slot);
    if (!changeable(byte)) countNotActive(work.notActive, lifeOf(byte));
    else work.items.push({ recipient, kind, closeInDoubt: closeMayHaveApplied(byte), ...extra });
  };
  for (const r of revoked?.rows ?? []) {
    const slot = table.find(r.bizSerialId);
    if (slot !== -1 && table.status(slot) === LedgerStatus.issued) add(r, slot, 'C');
  }
  if (!all && !wantUpdates) return work;
  const content = compileContent(batch);
  const names = placeholderNames(
    [content.codeInfo, content.dataInfo, content.extInfo].filter((v) => v !== undefined),
  );
  let layout: RecipientLayout | undefined;
  for await (const rows of recipientRowsAgain(batch)) {
    for (const row of rows) {
      if (!layout) {
        layout = layoutOf(row.fields, names).layout;
        if (!layout) throw recipientsChanged(batch);
        continue;
      }
      const { recipient } = readRow(layout, batch.address, content, row.fields, row.line);
      const slot = recipient ? table.find(recipient.bizSerialId) : -1;
      if (!recipient || slot === -1 || table.status(slot) !== LedgerStatus.issued) continue;
      if (all) add(recipient, slot, 'C');
      else if (!revoked?.ids.has(recipient.bizSerialId))
        updateOf(batch, table, slot, recipient, layout, content, work, add);
    }
  }
  return work;
}

function updateOf(
  batch: DesiredPassBatch,
  table: KeyTable,
  slot: number,
  recipient: Recipient,
  layout: RecipientLayout,
  content: CompiledContent,
  work: ChangeWork,
  add: (recipient: Recipient, slot: number, kind: 'U', extra: Partial<ChangeItem>) => void,
): void {
  if ((table.life(slot) & CONTENT_KNOWN) === 0) return;
  const filled = fillContent(content, lookupFor(layout, recipient));
  const wanted = passContent(filled.codeInfo, filled.dataInfo, batch.endDate);
  const carried = carriedContent(table, slot);
  const change = contentChange(carried, wanted, batch.endDate !== undefined);
  // A codeInfo change is refused by the plan; the content is compared without it.
  if (!change.data && !change.validity) return;
  work.updates++;
  const extra: Partial<ChangeItem> = { carried, wanted: { ...wanted, code: carried.code } };
  if (change.data) extra.dataInfo = filled.dataInfo ?? {};
  if (change.validity && batch.endDate !== undefined) extra.endDate = batch.endDate;
  if (!change.validity && extra.wanted) extra.wanted.end = carried.end;
  add(recipient, slot, 'U', extra);
}
