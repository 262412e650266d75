// Bulk import of a pass ledger (for `state migrate`): its records are streamed with COPY into a
// temporary table, then folded into one row per bizSerialId in a single statement, with the same
// rules as the file ledger's fold (issued is final; otherwise the last outcome counts).
import { once } from 'node:events';
import copyStreams from 'pg-copy-streams';
import type { LedgerExport, LedgerRecord } from '../backend.js';
import type { Sql } from './pg-connect.js';

/** Replace the environment's ledger of `ledger.ref.address` with the records given. Returns rows written. */
export async function importLedger(
  db: Sql,
  s: string,
  environment: string,
  ledger: LedgerExport,
): Promise<number> {
  const batch = ledger.ref.address;
  await db.query(
    `CREATE TEMPORARY TABLE IF NOT EXISTS ipass_import
       (seq bigint, t text, id text, pass_id text, code text, at bigint) ON COMMIT DROP`,
  );
  await db.query('TRUNCATE ipass_import');
  let seq = 0;
  let template: { code: string; at: number } | undefined;
  const copy = db.client.query(
    copyStreams.from('COPY ipass_import (seq, t, id, pass_id, code, at) FROM STDIN'),
  );
  const finished = once(copy, 'finish');
  const failed = once(copy, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => undefined);
  for await (const chunk of ledger.records()) {
    let text = '';
    for (const r of chunk) {
      if (r.t === 'T') {
        template = { code: r.templateCode, at: r.at };
        continue;
      }
      text += copyLine(++seq, r);
    }
    if (!copy.write(text)) await Promise.race([once(copy, 'drain'), failed]);
  }
  copy.end();
  await Promise.race([finished, failed]);

  await db.query(`DELETE FROM ${s}.pass_ledger WHERE environment = $1 AND batch = $2`, [environment, batch]);
  const inserted = await db.query(
    `INSERT INTO ${s}.pass_ledger (environment, batch, biz_serial_id, status, doubted, pass_id, code, at)
     SELECT $1, $2, id,
       COALESCE((array_agg(t ORDER BY seq DESC) FILTER (WHERE t IN ('S', 'E')))[1],
                (array_agg(t ORDER BY seq DESC) FILTER (WHERE t <> 'I'))[1], 'I'),
       -- an intent that followed an intent without outcome: that earlier attempt stays in doubt
       bool_or(t = 'I' AND prev = 'I'),
       (array_agg(pass_id ORDER BY seq DESC) FILTER (WHERE t = 'S'))[1],
       (array_agg(code ORDER BY seq DESC) FILTER (WHERE t = 'F'))[1],
       max(at)
     FROM (SELECT *, lag(t) OVER (PARTITION BY id ORDER BY seq) AS prev FROM ipass_import) AS r
     GROUP BY id`,
    [environment, batch],
  );
  if (template) {
    await db.query(
      `INSERT INTO ${s}.pass_batches (environment, batch, template_code, template_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (environment, batch) DO UPDATE SET template_code = excluded.template_code, template_at = excluded.template_at`,
      [environment, batch, template.code, template.at],
    );
  } else {
    await db.query(`DELETE FROM ${s}.pass_batches WHERE environment = $1 AND batch = $2`, [
      environment,
      batch,
    ]);
  }
  return inserted.rowCount ?? 0;
}

function copyLine(seq: number, r: Exclude<LedgerRecord, { t: 'T' }>): string {
  const N = '\\N';
  const passId = r.t === 'S' ? copyEscape(r.passId) : N;
  const code = r.t === 'F' ? copyEscape(r.code) : N;
  const at = r.t === 'S' || r.t === 'E' || r.t === 'F' ? String(r.at) : N;
  return `${seq}\t${r.t}\t${copyEscape(r.id)}\t${passId}\t${code}\t${at}\n`;
}

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function copyEscape(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}
