// One campaign file's bytes → its text, or a located diagnostic: a file too large to be a campaign,
// or one that is not a regular file (a FIFO, a device), is not read at all; UTF-8 (with or without a
// byte order mark) is decoded; UTF-16, binary data and other encodings are named.
import { describeRefusal, mib, openRegularFile } from '../config/project-root.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeUtf8, describeEncoding } from '../diagnostics/text-encoding.js';
import { sha256Hex } from './input-hash.js';

/** A campaign file of a few hundred templates is well under 1 MiB. */
export const MAX_CAMPAIGN_FILE_BYTES = 4 * 1024 * 1024;

export type CampaignText = { ok: true; text: string; digest: string } | { ok: false; diagnostic: Diagnostic };

export async function readCampaignText(abs: string, file: string): Promise<CampaignText> {
  const top = { file, line: 1, col: 1 };
  const opened = await openRegularFile(abs, MAX_CAMPAIGN_FILE_BYTES);
  if (!opened.ok) {
    const { refusal } = opened;
    if (refusal.kind === 'too-large') {
      return {
        ok: false,
        diagnostic: {
          severity: 'error',
          code: 'FILE_TOO_LARGE',
          message: `${file} has ${mib(refusal.size)}; a campaign file may have at most ${mib(MAX_CAMPAIGN_FILE_BYTES)}.`,
          hint: 'Split it into several campaign files (e.g. one per month), or move data such as recipients into a CSV file.',
          position: top,
        },
      };
    }
    const special = refusal.kind === 'not-regular';
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        code: special ? 'FILE_NOT_REGULAR' : 'FILE_UNREADABLE',
        message: `${file} ${describeRefusal(refusal)}.`,
        hint: special
          ? 'Campaign files are regular YAML files; remove this one from the campaigns folder.'
          : 'Check that the file exists and that you may read it.',
        position: top,
      },
    };
  }
  let bytes: Buffer;
  try {
    bytes = await opened.handle.readFile();
  } catch (error) {
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        code: 'FILE_UNREADABLE',
        message: `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        hint: 'Check that the file exists and that you may read it.',
        position: top,
      },
    };
  } finally {
    await opened.handle.close();
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const { problem } = decoded;
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        code: 'FILE_ENCODING',
        message: `${file} is ${describeEncoding(problem)}; campaign files are read as UTF-8.`,
        hint:
          problem.kind === 'binary'
            ? 'Campaign files are YAML text. Remove this file from the campaigns folder, or point `campaigns:` in ipass.config.yaml elsewhere.'
            : 'Save it as UTF-8 (in VS Code: click the encoding in the status bar, then "Save with Encoding" > UTF-8; in Notepad: Save As > Encoding: UTF-8).',
        position: { file, line: problem.line, col: problem.col },
      },
    };
  }
  return { ok: true, text: decoded.text, digest: sha256Hex(bytes) };
}
