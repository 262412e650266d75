// What happens to a pass after it is issued (pure): the content it carries (three 32-bit hashes:
// codeInfo, dataInfo, endDate), updates and closes with their intents, and what AlipayHK said when
// it refused one. Ledger records (see ledger-format.ts) and how they fold into a KeyTable.
import type { KeyTable } from './key-table.js';

/** The low 3 bits of a pass's life byte. */
export const Life = {
  active: 0,
  /** An updatePass UPDATE was sent and its outcome is unknown. */
  updateInDoubt: 1,
  /** An updatePass CLOSED was sent and its outcome is unknown. */
  closeInDoubt: 2,
  closed: 3,
  /** Redeemed by the customer (AlipayHK answered PASS_USED_OCCUPIED). */
  used: 4,
  /** A close whose answer was lost, then PASS_UPDATE_FAIL/PASS_USED_OCCUPIED: AlipayHK does not say which. */
  closedOrUsed: 5,
  /** PASS_UPDATE_FAIL with no close of ours in doubt: closed or refunded outside ipass. */
  notActive: 6,
} as const;
export type Life = (typeof Life)[keyof typeof Life];

const STATE = 0x07;
/** The content hashes are known. */
export const CONTENT_KNOWN = 0x08;
/** A close of ours was in doubt at some point: a later refusal may be our own close. */
const CLOSE_DOUBTED = 0x10;

/** A pass's status as words, for ledgers, JSON and messages. */
export const LIFE_WORDS = [
  'active',
  'update-in-doubt',
  'close-in-doubt',
  'closed',
  'used',
  'closed-or-used',
  'not-active',
] as const;
export type LifeWord = (typeof LIFE_WORDS)[number];

export const lifeOf = (byte: number): Life => (byte & STATE) as Life;
export const closeDoubted = (byte: number): boolean => (byte & CLOSE_DOUBTED) !== 0;
/** A pass that can still change (active, or a change in doubt to send again). */
export const changeable = (byte: number): boolean => lifeOf(byte) <= Life.closeInDoubt;

/** The content a pass carries, as three hashes. */
export interface PassContent {
  code: number;
  data: number;
  end: number;
}

export type ChangeKind = 'U' | 'C';

/**
 *   D <id> <code> <data> <end> <ms>   the pass carries this content (issued with it, or updated to it)
 *   W <id> U|C <ms>                   intent: about to send updatePass UPDATE / CLOSED
 *   L <id> <status> <ms>              closed, used, closed-or-used or not-active (final)
 *   X <id> <code> <ms>                the change failed with this result code (tried again)
 *   Y <id>                            the change certainly did not reach the API
 *   K <json> <ms>                     the batch's content, as every pass of it carries it
 */
const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
export const contentLine = (id: string, c: PassContent, at: number): string =>
  `D\t${id}\t${hex(c.code)}\t${hex(c.data)}\t${hex(c.end)}\t${at}\n`;
export const changeIntentLine = (id: string, kind: ChangeKind, at: number): string =>
  `W\t${id}\t${kind}\t${at}\n`;
export const lifeLine = (id: string, life: LifeWord, at: number): string => `L\t${id}\t${life}\t${at}\n`;
export const changeFailedLine = (id: string, code: string, at: number): string =>
  `X\t${id}\t${code}\t${at}\n`;
export const changeNotSentLine = (id: string): string => `Y\t${id}\n`;
export const batchContentLine = (json: string, at: number): string => `K\t${json}\t${at}\n`;

/** Fields after the type of each life record. */
export const LIFE_FIELDS: Readonly<Record<string, number>> = { D: 5, W: 3, L: 3, X: 3, Y: 1, K: 2 };

const parseHex = (s: string | undefined): number => Number.parseInt(s ?? '0', 16) | 0;

/** Fold one life record about `id` (fields: the record's fields after the id). */
export function foldLife(table: KeyTable, type: string, id: string, fields: readonly string[]): void {
  const slot = table.slot(id);
  const byte = table.life(slot);
  const state = lifeOf(byte);
  const keep = byte & (CONTENT_KNOWN | CLOSE_DOUBTED);
  switch (type) {
    case 'D':
      table.setHashes(slot, parseHex(fields[0]), parseHex(fields[1]), parseHex(fields[2]));
      table.setLife(slot, keep | CONTENT_KNOWN | (state === Life.updateInDoubt ? Life.active : state));
      return;
    case 'W': {
      if (!changeable(byte)) return;
      const doubted = state === Life.closeInDoubt ? CLOSE_DOUBTED : 0;
      table.setLife(slot, keep | doubted | (fields[0] === 'C' ? Life.closeInDoubt : Life.updateInDoubt));
      return;
    }
    case 'L': {
      const life = LIFE_WORDS.indexOf(fields[0] as LifeWord);
      if (life > Life.closeInDoubt) table.setLife(slot, keep | life);
      return;
    }
    case 'X':
    case 'Y':
      if (state === Life.updateInDoubt || state === Life.closeInDoubt)
        table.setLife(slot, keep | Life.active);
      return;
  }
}

/** Fold a pass_ledger row's life columns (postgres) into the table. */
export function setLifeColumns(
  table: KeyTable,
  slot: number,
  life: string,
  doubted: boolean,
  content: PassContent | undefined,
): void {
  const word = LIFE_WORDS.indexOf(life as LifeWord);
  let byte = (word < 0 ? Life.active : word) | (doubted ? CLOSE_DOUBTED : 0);
  if (content) {
    byte |= CONTENT_KNOWN;
    table.setHashes(slot, content.code, content.data, content.end);
  }
  table.setLife(slot, byte);
}

/**
 * What an updatePass refusal means for a pass: PASS_USED_OCCUPIED is used, PASS_UPDATE_FAIL is not
 * active; either one after a close of ours may have gone through is "closed, or used first".
 */
export function refusalLife(code: string, inDoubtClose: boolean): LifeWord | undefined {
  if (code !== 'PASS_USED_OCCUPIED' && code !== 'PASS_UPDATE_FAIL') return undefined;
  if (inDoubtClose) return 'closed-or-used';
  return code === 'PASS_USED_OCCUPIED' ? 'used' : 'not-active';
}

/** Whether a close of ours may have gone through for this pass (its answer was lost). */
export function closeMayHaveApplied(byte: number): boolean {
  return lifeOf(byte) === Life.closeInDoubt || closeDoubted(byte);
}
