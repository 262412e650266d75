// COPY … TO STDOUT streamed line by line (the postgres backend's fast read of a batch's ledger), and
// the text format's escapes.
import copyStreams from 'pg-copy-streams';
import type { PgConnection, Sql } from './pg-connect.js';

const NL = 0x0a;
const BACKSLASH = 0x5c;

/** Stream a COPY … TO STDOUT, calling `line` for each row (buffer, start, end without newline). */
export function copyOut(
  db: PgConnection,
  sql: string,
  line: (buf: Buffer, start: number, end: number) => void,
): Promise<void> {
  return db.exclusive((direct) => copyRows(db, direct, sql, line));
}

async function copyRows(
  db: PgConnection,
  direct: Sql,
  sql: string,
  line: (buf: Buffer, start: number, end: number) => void,
): Promise<void> {
  // A lost connection says so (through the connection's own error) before anything is read.
  if (db.lost) await direct.query('SELECT 1');
  const stream = direct.client.query(copyStreams.to(sql));
  let carry: Buffer | undefined;
  try {
    for await (const chunk of stream) {
      let buf = chunk as Buffer;
      if (carry) {
        buf = Buffer.concat([carry, buf]);
        carry = undefined;
      }
      let start = 0;
      for (let nl = buf.indexOf(NL); nl !== -1; nl = buf.indexOf(NL, start)) {
        if (nl > start) line(buf, start, nl);
        start = nl + 1;
      }
      if (start < buf.length) carry = buf.subarray(start);
    }
  } catch (error) {
    // Let the connection's own error (lost, permission, …) speak.
    await direct.query('SELECT 1');
    throw error;
  }
}

/** A text-format COPY field: backslash escapes only when the value had special characters. */
export function unescapeCopy(buf: Buffer, start: number, end: number): string {
  const raw = buf.toString('utf8', start, end);
  if (buf.indexOf(BACKSLASH, start) === -1 || buf.indexOf(BACKSLASH, start) >= end) return raw;
  return raw.replace(/\\(.)/g, (_m, c: string) =>
    c === 't'
      ? '\t'
      : c === 'n'
        ? '\n'
        : c === 'r'
          ? '\r'
          : c === 'b'
            ? '\b'
            : c === 'f'
              ? '\f'
              : c === 'v'
                ? '\v'
                : c,
  );
}
