// Recipients files as far as validation needs them: the header row (first line only), the sha256
// of the bytes for inputHash and the encoding check (UTF-8, with or without a byte order mark), in
// one streaming pass. The file must be inside the project and a regular file of a sane size (see
// config/project-root.ts); nothing else is opened. Row-by-row checks live with the passes.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import {
  type FileRefusal,
  type OutsideProblem,
  openRegularFile,
  resolveInsideProject,
} from '../config/project-root.js';
import { excerpt } from '../diagnostics/terminal-text.js';
import { type EncodingProblem, Utf8Check } from '../diagnostics/text-encoding.js';

export type RecipientsInfo =
  | { status: 'ok'; header: string[]; digest: string; real: string }
  | { status: 'bad-encoding'; problem: EncodingProblem; digest: string }
  | { status: 'bad-header'; reason: string; digest: string }
  | { status: 'outside'; problem: OutsideProblem }
  | { status: 'refused'; refusal: FileRefusal };

/** A header longer than this is not a header; stop collecting (the hash still sees every byte). */
const MAX_HEADER_BYTES = 64 * 1024;

/** Far more than a million recipients take; a larger (or sparse, or endless) file is refused unread. */
export const MAX_RECIPIENTS_FILE_BYTES = 512 * 1024 * 1024;

/** The recipients file at `path` (absolute), which `shown` names, read only when inside `root`. */
export async function readRecipientsInfo(root: string, path: string, shown: string): Promise<RecipientsInfo> {
  const inside = resolveInsideProject(root, path, 'recipients', shown);
  if (!inside.ok) return { status: 'outside', problem: inside.problem };
  const opened = await openRegularFile(inside.path, MAX_RECIPIENTS_FILE_BYTES);
  if (!opened.ok) return { status: 'refused', refusal: opened.refusal };
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let headDone = false;
  const encoding = new Utf8Check();
  try {
    for await (const chunk of opened.handle.createReadStream({ autoClose: false })) {
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
    return {
      status: 'refused',
      refusal: { kind: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? 'error' },
    };
  } finally {
    await opened.handle.close();
  }
  const digest = hash.digest('hex');
  const problem = encoding.end();
  if (problem) return { status: 'bad-encoding', problem, digest };
  const line = Buffer.concat(head).toString('utf8').replace(/\r$/, '');
  try {
    const records = parse(line, { bom: true, relax_quotes: true }) as string[][];
    return { status: 'ok', header: (records[0] ?? []).map((c) => c.trim()), digest, real: inside.path };
  } catch (error) {
    // csv-parse's messages quote the field; only its code and a short excerpt are shown.
    const code = (error as { code?: string }).code;
    return { status: 'bad-header', reason: code ?? excerpt((error as Error).message), digest };
  }
}
