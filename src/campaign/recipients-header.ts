// Recipients files as far as validation needs them: the header row (first line only), the sha256
// of the bytes for inputHash and the encoding check (UTF-8, with or without a byte order mark), in
// one streaming pass. Row-by-row checks live with the passes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { type EncodingProblem, Utf8Check } from '../diagnostics/text-encoding.js';

export type RecipientsInfo =
  | { status: 'ok'; header: string[]; digest: string }
  | { status: 'bad-encoding'; problem: EncodingProblem; digest: string }
  | { status: 'bad-header'; reason: string; digest: string }
  | { status: 'missing'; reason: string }
  | { status: 'unreadable'; reason: string };

/** A header longer than this is not a header; stop collecting (the hash still sees every byte). */
const MAX_HEADER_BYTES = 64 * 1024;

export async function readRecipientsInfo(path: string): Promise<RecipientsInfo> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let headDone = false;
  const encoding = new Utf8Check();
  try {
    for await (const chunk of createReadStream(path)) {
      const buf = chunk as Buffer;
      hash.update(buf);
      encoding.feed(buf);
      if (headDone) continue;
      const newline = buf.indexOf(0x0a);
      head.push(newline === -1 ? buf : buf.subarray(0, newline));
      headBytes += newline === -1 ? buf.length : newline;
      headDone = newline !== -1 || headBytes >= MAX_HEADER_BYTES;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'missing', reason: 'it does not exist' };
    if (code === 'EISDIR') return { status: 'unreadable', reason: 'it is a folder, not a file' };
    return { status: 'unreadable', reason: code ?? (error as Error).message };
  }
  const digest = hash.digest('hex');
  const problem = encoding.end();
  if (problem) return { status: 'bad-encoding', problem, digest };
  const line = Buffer.concat(head).toString('utf8').replace(/\r$/, '');
  try {
    const records = parse(line, { bom: true, relax_quotes: true }) as string[][];
    return { status: 'ok', header: (records[0] ?? []).map((c) => c.trim()), digest };
  } catch (error) {
    return { status: 'bad-header', reason: (error as Error).message.split('\n')[0] ?? 'unreadable', digest };
  }
}
