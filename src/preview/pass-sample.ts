// The sample pass of a batch: its first recipient row, read the way apply reads it (streamed; the
// rest of the file is never read), with the batch's {{column}} placeholders compiled.
import type { DesiredPassBatch } from '../campaign/types.js';
import { isIpassError } from '../diagnostics/errors.js';
import { type CompiledContent, compileContent, placeholderNames } from '../passes/placeholders.js';
import { layoutOf, type Recipient, type RecipientLayout, readRow } from '../passes/recipient-rows.js';
import { RecipientsCsvError, readCsvRows } from '../passes/recipients-stream.js';

export type PassSample =
  | { ok: true; layout: RecipientLayout; recipient: Recipient; content: CompiledContent }
  | { ok: false; problem: string };

export async function readPassSample(batch: DesiredPassBatch): Promise<PassSample> {
  const content = compileContent(batch);
  const names = placeholderNames(
    [content.codeInfo, content.dataInfo, content.extInfo].filter((v) => v !== undefined),
  );
  const where = batch.recipientsDisplay;
  let layout: RecipientLayout | undefined;
  try {
    for await (const rows of readCsvRows(batch.recipients, { size: 2 })) {
      for (const row of rows) {
        if (!layout) {
          const header = layoutOf(row.fields, names);
          if (!header.layout)
            return {
              ok: false,
              problem: `${where}:${row.line}: ${header.problems[0]?.message ?? 'bad header'}`,
            };
          layout = header.layout;
          continue;
        }
        const read = readRow(layout, batch.address, content, row.fields, row.line);
        if (!read.recipient)
          return { ok: false, problem: `${where}:${row.line}: ${read.problems[0]?.message ?? 'bad row'}` };
        return { ok: true, layout, recipient: read.recipient, content };
      }
    }
  } catch (error) {
    if (error instanceof RecipientsCsvError)
      return { ok: false, problem: `${where}:${error.line}: not valid CSV (${error.message})` };
    if (isIpassError(error)) return { ok: false, problem: `${where}: ${error.message}` };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, problem: `${where} does not exist` };
    if (code === 'EISDIR') return { ok: false, problem: `${where} is a folder, not a file` };
    if (code === 'EACCES') return { ok: false, problem: `${where} cannot be read (permission denied)` };
    throw error;
  }
  return { ok: false, problem: `${where} has no recipient rows yet` };
}
