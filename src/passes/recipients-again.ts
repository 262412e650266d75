// The recipients file read again when its batch is issued. It was checked when the plan was made; a
// file that no longer fits (another header, a CSV error, gone) is RECIPIENTS_CHANGED, never a crash.
import type { DesiredPassBatch } from '../campaign/types.js';
import { IpassError } from '../diagnostics/errors.js';
import { isFileSystemError } from '../shared/fs-errors.js';
import { type CsvRow, RecipientsCsvError, readCsvRows } from './recipients-stream.js';

/** The file's rows in small batches (see readCsvRows); a read that fails is RECIPIENTS_CHANGED. */
export async function* recipientRowsAgain(batch: DesiredPassBatch): AsyncGenerator<CsvRow[]> {
  try {
    yield* readCsvRows(batch.recipients, { size: 64, chunkBytes: 64 * 1024 });
  } catch (error) {
    if (error instanceof RecipientsCsvError)
      throw recipientsChanged(batch, `line ${error.line} is not valid CSV any more: ${error.message}`);
    if (isFileSystemError(error))
      throw recipientsChanged(batch, `it cannot be read any more (${error.code ?? error.message})`);
    throw error;
  }
}

/** The header row no longer fits the batch (or, with `why`, the file no longer reads). */
export function recipientsChanged(batch: DesiredPassBatch, why?: string): IpassError {
  return new IpassError(
    'RECIPIENTS_CHANGED',
    why === undefined
      ? `The header row of ${batch.recipientsDisplay} no longer fits pass batch ${batch.address}.`
      : `${batch.recipientsDisplay} of pass batch ${batch.address} changed: ${why}.`,
    {
      reason:
        why === undefined
          ? 'The file changed after it was checked (no userId/openId column, or a {{column}} the batch uses is gone).'
          : 'The file changed after it was checked.',
      hint: 'Run `ipass plan` again and fix what it reports.',
    },
  );
}
