// The `revoked:` file of a batch: recipients (same format as `recipients:`) whose passes are taken
// back. Its rows name passes by the same bizSerialIds as the batch's own rows (a bizSerialId column,
// or derived from the batch address and the user). Read whole: such lists are short.
import type { DesiredPassBatch } from '../campaign/types.js';
import { compileContent } from './placeholders.js';
import { layoutOf, type Recipient, readRow } from './recipient-rows.js';
import { readCsvRows } from './recipients-stream.js';

const NO_CONTENT = compileContent({ codeInfo: {} });

export interface RevokedRows {
  /** The file's readable rows, in order (a repeated recipient once). */
  rows: Recipient[];
  ids: Set<string>;
  /** Rows that could not be read (no user, bad id): reported by validate through the same checks. */
  unreadable: number;
}

/** undefined when the batch names no revoked file (none, or `all`). */
export async function readRevokedRows(batch: DesiredPassBatch): Promise<{ rows: RevokedRows | undefined }> {
  const file = batch.revoked && 'path' in batch.revoked ? batch.revoked.path : undefined;
  if (file === undefined) return { rows: undefined };
  return { rows: await readRows(batch, file) };
}

async function readRows(batch: DesiredPassBatch, file: string): Promise<RevokedRows> {
  const out: RevokedRows = { rows: [], ids: new Set(), unreadable: 0 };
  let layout: ReturnType<typeof layoutOf>['layout'];
  let header = true;
  for await (const rows of readCsvRows(file)) {
    for (const row of rows) {
      if (header) {
        header = false;
        layout = layoutOf(row.fields, []).layout;
        if (!layout) return out;
        continue;
      }
      if (!layout) return out;
      const { recipient } = readRow(layout, batch.address, NO_CONTENT, row.fields, row.line);
      if (!recipient) out.unreadable++;
      else if (!out.ids.has(recipient.bizSerialId)) {
        out.ids.add(recipient.bizSerialId);
        out.rows.push(recipient);
      }
    }
  }
  return out;
}

/** How the batch's revoked passes are named: `all`, or the file. */
export function revokedSource(batch: DesiredPassBatch): string | undefined {
  if (!batch.revoked) return undefined;
  return 'all' in batch.revoked ? 'all' : batch.revoked.display;
}
