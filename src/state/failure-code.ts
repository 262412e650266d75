// The `code` of a pass ledger's F record (a file line's field, the postgres row's `code` column):
// the result code, and for a permanent failure the 8-hex hash of the row it was met with,
// `USER_NOT_EXIST~1a2b3c4d`. Written and read back here only (pure).
import { isPermanentPassFailure } from '../api/result-codes.js';

const SEPARATOR = '~';
const ROW_HASH = /^[0-9a-f]{8}$/;

export interface FailureCode {
  code: string;
  /** The recipient is held back: retrying the same row cannot succeed. */
  permanent: boolean;
  /** The hash of the row it failed with; absent for records written before hashes were kept. */
  rowHash?: number;
}

export const rowHashText = (hash: number): string => (hash >>> 0).toString(16).padStart(8, '0');

/** The code to record for a failure met with the row whose hash this is. */
export function encodeFailureCode(code: string, rowHash: number | undefined): string {
  return rowHash !== undefined && isPermanentPassFailure(code)
    ? `${code}${SEPARATOR}${rowHashText(rowHash)}`
    : code;
}

export function parseFailureCode(text: string): FailureCode {
  const at = text.lastIndexOf(SEPARATOR);
  const hash = at === -1 ? '' : text.slice(at + 1);
  const code = ROW_HASH.test(hash) ? text.slice(0, at) : text;
  const permanent = isPermanentPassFailure(code);
  if (!permanent || code === text) return { code, permanent };
  return { code, permanent, rowHash: Number.parseInt(hash, 16) | 0 };
}
