// bizSerialId of a recipient row (pure): the row's own `bizSerialId` column when the CSV has one,
// else derived from the batch address and the user, so it is the same on every run and machine.
import { createHash } from 'node:crypto';

/** The API's limit on bizSerialId. */
export const MAX_BIZ_SERIAL_ID = 128;

/** Identifies the recipient: userId when the row has one, else openId. */
export interface RecipientUser {
  userId?: string;
  openId?: string;
}

/**
 * sha256 of "ipass-pass", the batch address and the user ("userId:<id>" or "openId:<id>"), joined
 * by newlines; the first 32 hex characters (128 bits). Changing the batch's address or the user's id
 * gives a new id; editing anything else (template, content, other columns) keeps it.
 */
export function deriveBizSerialId(address: string, user: RecipientUser): string {
  const who = user.userId !== undefined ? `userId:${user.userId}` : `openId:${user.openId ?? ''}`;
  return createHash('sha256').update(`ipass-pass\n${address}\n${who}`).digest('hex').slice(0, 32);
}

// Tabs and line breaks would break the ledger's line format; other control characters have no
// business in an id either.
function hasControl(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Why a bizSerialId from the CSV cannot be used, or undefined when it can. */
export function bizSerialIdProblem(id: string): 'empty' | 'too-long' | 'control' | undefined {
  if (id === '') return 'empty';
  if (id.length > MAX_BIZ_SERIAL_ID) return 'too-long';
  if (hasControl(id)) return 'control';
  return undefined;
}
