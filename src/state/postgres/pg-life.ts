// The postgres ledger's columns for a pass's life after issuing (see ../pass-life.ts): the content
// hashes, the life status and whether a close of ours was in doubt, folded on write as the file
// ledger's D/W/L/X/Y records fold on read.
import type { ChangeKind, PassContent } from '../pass-life.js';

/** Schema step 2: the life columns, and the batch's content. */
export const LIFE_MIGRATION = (s: string): string => `
  ALTER TABLE ${s}.pass_ledger
    ADD COLUMN content      text,
    ADD COLUMN life         text NOT NULL DEFAULT 'active',
    ADD COLUMN life_doubted boolean NOT NULL DEFAULT false,
    ADD COLUMN life_code    text,
    ADD COLUMN life_at      bigint;
  ALTER TABLE ${s}.pass_batches ADD COLUMN content text;`;

const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** The content column: three hashes in hex, separated by spaces. */
export const contentText = (c: PassContent): string => `${hex(c.code)} ${hex(c.data)} ${hex(c.end)}`;

export function parseContentText(text: string): PassContent | undefined {
  const [code, data, end] = text.split(' ');
  if (code === undefined || data === undefined || end === undefined) return undefined;
  const n = (h: string) => Number.parseInt(h, 16) | 0;
  return { code: n(code), data: n(data), end: n(end) };
}

const IN_DOUBT = "('update-in-doubt', 'close-in-doubt')";
const CHANGEABLE = "('active', 'update-in-doubt', 'close-in-doubt')";

/** Intents of one kind for ids ($3, lines): committed before the requests go out. */
export function changeIntentsSql(l: string, kind: ChangeKind): string {
  const to = kind === 'C' ? 'close-in-doubt' : 'update-in-doubt';
  return `UPDATE ${l} AS l SET
      life_doubted = l.life_doubted OR l.life = 'close-in-doubt',
      life = CASE WHEN l.life IN ${CHANGEABLE} THEN '${to}' ELSE l.life END,
      life_at = $4::bigint
    FROM unnest(string_to_array($3, E'\\n')) AS v(id)
    WHERE l.environment = $1 AND l.batch = $2 AND l.biz_serial_id = v.id`;
}

/**
 * Gathered life outcomes ($3 ids, $4 kinds D/L/X/Y, $5 values, $6 times; each a text of lines):
 * D sets the content (ending an update in doubt), L a final status, X and Y end a change in doubt.
 * An upsert, so each row is looked up by its key (a join could scan the batch); the row exists, as
 * these follow its issue outcome, written first. The proposed row carries the kind in life_code and
 * the value in content.
 */
export function lifeOutcomesSql(l: string): string {
  const k = 'excluded.life_code';
  const val = 'excluded.content';
  return `INSERT INTO ${l} AS l (environment, batch, biz_serial_id, status, content, life_code, life_at)
    SELECT $1, $2, v.id, 'E', v.val, v.k, NULLIF(v.at, '')::bigint
    FROM unnest(string_to_array($3, E'\\n'), string_to_array($4, E'\\n'),
                string_to_array($5, E'\\n'), string_to_array($6, E'\\n')) AS v(id, k, val, at)
    ON CONFLICT (environment, batch, biz_serial_id) DO UPDATE SET
      content = CASE WHEN ${k} = 'D' THEN ${val} ELSE l.content END,
      life = CASE
        WHEN ${k} = 'L' THEN ${val}
        WHEN ${k} = 'D' AND l.life = 'update-in-doubt' THEN 'active'
        WHEN ${k} IN ('X', 'Y') AND l.life IN ${IN_DOUBT} THEN 'active'
        ELSE l.life END,
      life_code = CASE WHEN ${k} = 'X' THEN ${val} ELSE l.life_code END,
      life_at = COALESCE(excluded.life_at, l.life_at)`;
}

/** Life outcomes waiting for one statement. */
export class LifeBatch {
  count = 0;
  ids = '';
  kinds = '';
  values = '';
  ats = '';

  add(id: string, kind: 'D' | 'L' | 'X' | 'Y', value: string, at: number | null): void {
    const sep = this.count === 0 ? '' : '\n';
    this.ids += sep + id;
    this.kinds += sep + kind;
    this.values += sep + value.replace(/[\r\n]/g, ' ');
    this.ats += sep + (at === null ? '' : String(at));
    this.count++;
  }
}
