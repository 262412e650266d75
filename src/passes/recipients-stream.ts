// Streams a recipients CSV (csv-parse) as batches of rows, each with the line it starts on; blank
// lines are skipped and the whole file is never in memory. A quote inside an unquoted value is text
// (`Ken "Bobby" Wong`). Line endings may be mixed (CRLF, LF, CR: a file edited on several systems).
// A CSV syntax error ends the stream with a RecipientsCsvError naming its line.
// Only a regular file of a sane size is opened (never a FIFO or a device): anything else is a coded error.
import { CsvError, parse } from 'csv-parse';
import { MAX_RECIPIENTS_FILE_BYTES } from '../campaign/recipients-header.js';
import { describeRefusal, openRegularFile, refusalCode } from '../config/project-root.js';
import { IpassError } from '../diagnostics/errors.js';

/** Characters one row may hold; beyond it a quote is almost surely never closed. */
export const MAX_ROW_CHARS = 64 * 1024;

export interface CsvRow {
  /** 1-based line the row starts on. */
  line: number;
  fields: string[];
}

export class RecipientsCsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'RecipientsCsvError';
  }
}

function newlines(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    if (f.length === 0 || f.indexOf('\n') === -1) continue;
    for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) n++;
  }
  return n;
}

export interface ReadCsvOptions {
  /** Rows per batch (default 512). */
  size?: number;
  /** Bytes read at a time (default 1 MiB). Rows parsed from one read wait in memory until taken. */
  chunkBytes?: number;
}

/** Rows of the file in order (the header row first), in batches. */
export async function* readCsvRows(path: string, options: ReadCsvOptions = {}): AsyncGenerator<CsvRow[]> {
  const size = options.size ?? 512;
  // csv-parse counts lines itself only through per-record callbacks that cost more than the parse;
  // with blank lines kept as records, each record is one line plus the line breaks inside its values.
  const parser = parse({
    bom: true,
    // Every line ending, wherever it is: csv-parse would otherwise take the first one it meets for all.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_ROW_CHARS,
  });
  const opened = await openRegularFile(path, MAX_RECIPIENTS_FILE_BYTES);
  if (!opened.ok) {
    const { refusal } = opened;
    throw new IpassError(
      refusalCode(refusal, 'RECIPIENTS_NOT_FOUND'),
      `The recipients file ${describeRefusal(refusal)}.`,
      {
        hint:
          refusal.kind === 'missing'
            ? 'Check the `recipients:` path of the batch (it is relative to the campaign file).'
            : 'Point `recipients:` at a regular CSV file inside the project.',
      },
    );
  }
  const input = opened.handle.createReadStream({ highWaterMark: options.chunkBytes ?? 1 << 20 });
  let queue: CsvRow[] = [];
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let line = 1;
  input.on('error', (error) => parser.destroy(error));
  parser.on('data', (fields: string[]) => {
    const start = line;
    line += 1 + newlines(fields);
    if (fields.length === 1 && (fields[0] ?? '').trim() === '') return;
    queue.push({ line: start, fields });
    if (queue.length >= size * 4) parser.pause();
    if (queue.length >= size) wake?.();
  });
  parser.on('end', () => {
    done = true;
    wake?.();
  });
  parser.on('error', (error) => {
    failure = error;
    done = true;
    wake?.();
  });
  input.pipe(parser);
  try {
    for (;;) {
      if (queue.length >= size || (done && queue.length > 0)) {
        const out = queue;
        queue = [];
        if (!done) parser.resume();
        yield out;
        continue;
      }
      if (failure !== undefined) throw toCsvError(failure, line);
      if (done) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    input.destroy();
    parser.destroy();
  }
}

const PLAIN: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted value is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted value is not doubled',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows the closing quote of a value',
  INVALID_OPENING_QUOTE: 'a quote appears inside a value that does not start with one',
  CSV_MAX_RECORD_SIZE: `a row is longer than ${MAX_ROW_CHARS.toLocaleString('en-US')} characters, so a quoted value is probably never closed`,
};

/** The error at `line`, the first line of the row being read when the parser gave up. */
function toCsvError(error: unknown, line: number): Error {
  if (error instanceof CsvError) {
    const message = PLAIN[error.code] ?? error.message.split(':')[0] ?? 'invalid CSV';
    return new RecipientsCsvError(message, line, error.code);
  }
  return error instanceof Error ? error : new Error(String(error));
}
