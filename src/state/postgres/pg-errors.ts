// The state database's failures as coded errors that name the server (host, port, database, user;
// never the password) and what to check or grant.
import { IpassError } from '../../diagnostics/errors.js';

export function lostError(cause: Error, where: string): IpassError {
  return new IpassError('STATE_DB_LOST', `Lost the connection to the state database ${where}.`, {
    reason: `${cause.message}. Nothing is guessed: requests whose outcome could not be recorded stay in doubt.`,
    hint: 'Run `ipass apply` again once the database is reachable (from this or any other runner): it finishes what this run started, re-sending requests in doubt with the same ids.',
    cause,
  });
}

/** admin_shutdown, crash_shutdown, idle_session_timeout: the server ended the session. */
export const SESSION_ENDED = new Set(['57P01', '57P02', '57P05']);

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);

/** A coded error for a failed database call; `doing` is "connect to" or "use". */
export function pgError(error: unknown, where: string, doing: string, url?: string): IpassError {
  if (error instanceof IpassError) return error;
  const e = error as { code?: string; message?: string };
  const message = String(e.message ?? error);
  if ((e.code && UNREACHABLE.has(e.code)) || /timeout expired|Connection terminated/i.test(message)) {
    return new IpassError('STATE_DB_UNREACHABLE', `Cannot reach the state database ${where}.`, {
      reason: e.code ?? message,
      hint: 'Check that PostgreSQL runs there and accepts connections from this machine (host, port, firewall, sslmode in the URL). Nothing was sent.',
      cause: error,
    });
  }
  if (/SASL|client password must be a string/i.test(message)) {
    const given = url !== undefined && hasPassword(url);
    return new IpassError(
      'STATE_DB_AUTH_FAILED',
      `The state database ${where} asks for a password${given ? ' the driver could not use' : ', and the state URL has none'}.`,
      {
        hint: 'Put the password in the URL (postgres://USER:PASSWORD@HOST/DB, percent-encoded; in CI from a secret through `url: env:IPASS_STATE_URL`) or in PGPASSWORD. Nothing was sent.',
        cause: error,
      },
    );
  }
  if (
    e.code === '28P01' ||
    e.code === '28000' ||
    /password authentication failed|no pg_hba.conf entry/i.test(message)
  ) {
    return new IpassError('STATE_DB_AUTH_FAILED', `The state database ${where} refused the login.`, {
      reason: firstLine(message),
      hint: "Check the user and password in the state URL (in CI: the repository secret behind `url: env:…`) and the server's pg_hba.conf. Nothing was sent.",
      cause: error,
    });
  }
  if (e.code === '3D000') {
    return new IpassError(
      'STATE_DB_NOT_FOUND',
      `The database named in the state URL does not exist: ${where}.`,
      {
        hint: 'Create it (createdb NAME) or fix the database name in the URL. Nothing was sent.',
        cause: error,
      },
    );
  }
  if (e.code === '42501') {
    return new IpassError(
      'STATE_DB_PERMISSION',
      `The state database user may not do what ipass needs on ${where}.`,
      { reason: firstLine(message), hint: permissionHint(message), cause: error },
    );
  }
  if (/SSL|TLS|certificate|altnames/i.test(message) || /CERT|ERR_TLS|ERR_SSL/.test(e.code ?? '')) {
    return new IpassError('STATE_DB_TLS', `TLS with the state database ${where} failed.`, {
      reason: firstLine(message),
      hint: 'Check sslmode and sslrootcert in the URL against what the server offers: verify-full needs the CA that signed the server certificate (sslrootcert=/path/ca.pem, or sslrootcert=system for a public CA) and the host name the certificate names; require encrypts without checking.',
      cause: error,
    });
  }
  return new IpassError(
    'STATE_DB_ERROR',
    `Could not ${doing} the state database ${where}: ${firstLine(message)}.`,
    {
      ...(e.code ? { reason: `PostgreSQL error ${e.code}` } : {}),
      hint: 'Check the database and run the command again; nothing is guessed, an interrupted apply is finished by the next one.',
      cause: error,
    },
  );
}

/** What to grant, for a refusal: the three roles of docs/production.md. */
function permissionHint(message: string): string {
  const roles =
    'See "Database roles" in docs/production.md: an owner role creates and upgrades the tables (`ipass state init`), the applier reads and writes rows, the reader only reads. Nothing was sent.';
  if (/temporary/i.test(message))
    return `\`ipass state migrate\` stages pass ledgers in a temporary table: GRANT TEMPORARY ON DATABASE <db> TO the role that runs it. ${roles}`;
  if (/permission denied (for|to create) (database|schema)/i.test(message))
    return `Creating or upgrading the tables needs the owner role (GRANT CREATE ON DATABASE <db> TO it, or create the schema for it) and \`ipass state init\`. ${roles}`;
  return roles;
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
