// Reading an environment's state row and unfinished journal from the postgres backend's tables,
// checked: a damaged body or record is refused with where it is and how to restore it.
import { randomUUID } from 'node:crypto';
import { IpassError } from '../../diagnostics/errors.js';
import { checkJournal, type JournalRecord } from '../journal-records.js';
import { emptyState, parseState, type StateFile } from '../state-format.js';
import type { Sql } from './pg-connect.js';

export async function readState(
  db: Sql,
  s: string,
  environment: string,
  where: string,
): Promise<{ state: StateFile; exists: boolean }> {
  const { rows } = await db.query<{ body: string; lineage: string; serial: string }>(
    `SELECT body, lineage, serial FROM ${s}.states WHERE environment = $1`,
    [environment],
  );
  const row = rows[0];
  if (!row) return { state: emptyState(environment, randomUUID()), exists: false };
  const parsed = parseState(row.body);
  if (!parsed.ok) {
    throw new IpassError(
      'STATE_CORRUPT',
      `The state of ${environment} in ${where} is damaged: ${parsed.problem}.`,
      {
        reason: 'ipass will not guess what exists remotely from a damaged state, so nothing was sent.',
        hint: `The previous version is kept in the same row (column backup_body of ${s}.states). Inspect it, restore it with SQL, and run \`ipass plan --refresh\` to compare it with the API.`,
      },
    );
  }
  if (
    parsed.state.environment !== environment ||
    parsed.state.lineage !== row.lineage ||
    String(parsed.state.serial) !== row.serial
  ) {
    throw new IpassError(
      'STATE_CORRUPT',
      `The state of ${environment} in ${where} does not match its row (environment, lineage or serial).`,
      {
        hint: `Someone edited ${s}.states by hand; restore backup_body, or fix the lineage/serial columns to match the body.`,
      },
    );
  }
  return { state: parsed.state, exists: true };
}

export async function readJournal(
  db: Sql,
  s: string,
  environment: string,
  where: string,
): Promise<JournalRecord[] | undefined> {
  const { rows } = await db.query<{ record: string; seq: string }>(
    `SELECT seq, record FROM ${s}.journal WHERE environment = $1 ORDER BY seq`,
    [environment],
  );
  if (rows.length === 0) return undefined;
  const records: unknown[] = [];
  for (const row of rows) {
    try {
      records.push(JSON.parse(row.record));
    } catch (error) {
      throw journalDamaged(environment, where, row.seq, (error as Error).message);
    }
  }
  const checked = checkJournal(records);
  if (!checked.ok) throw journalDamaged(environment, where, rows[checked.index]?.seq ?? '?', checked.problem);
  return checked.records;
}

function journalDamaged(environment: string, where: string, seq: string, problem: string): IpassError {
  return new IpassError(
    'JOURNAL_CORRUPT',
    `The apply journal of ${environment} in ${where} is damaged at record ${seq}: ${problem}.`,
    {
      reason:
        'ipass will not guess what an interrupted apply did from a damaged journal, so nothing was sent.',
      hint: 'Inspect the journal table, and run `ipass plan --refresh` to see what exists remotely; `ipass state import` adopts templates the state lost.',
    },
  );
}
