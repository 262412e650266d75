// TLS to the state database with libpq's sslmode meanings (the driver's own reading of sslmode treats
// `require` as verify-full and prints a warning): the URL's ssl parameters (or PGSSLMODE and friends)
// become explicit socket options and the order in which to try them, and are taken out of the URL.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { IpassError } from '../../diagnostics/errors.js';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** How to connect: the URL without its ssl parameters, and the socket options to try, in order. */
export interface TlsPlan {
  mode: SslMode;
  url: string | undefined;
  /** false: plain TCP. A later attempt is made only when the one before fails as `fallbackOn` says. */
  attempts: ReadonlyArray<false | ConnectionOptions>;
}

/** Parameters libpq reads for TLS; removed from the URL the driver sees. */
const SSL_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat', 'sslcrl'];

const HINT =
  'Use sslmode=verify-full with sslrootcert=/path/to/the/server-ca.pem (or sslrootcert=system for a public CA); require encrypts without checking who answers.';

function tlsError(message: string, reason?: string): IpassError {
  return new IpassError('STATE_DB_TLS', message, { ...(reason ? { reason } : {}), hint: HINT });
}

function readPem(what: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw tlsError(
      `Cannot read the ${what} file named in the state URL (${path}).`,
      (error as NodeJS.ErrnoException).code ?? 'unreadable',
    );
  }
}

/** The TLS settings of `url` (or of the PGSSL* variables when the URL names none). */
export function tlsPlan(url: string | undefined, env: NodeJS.ProcessEnv = process.env): TlsPlan {
  let params = new URLSearchParams();
  let stripped = url;
  if (url !== undefined) {
    const parsed = new URL(url);
    params = new URLSearchParams(parsed.search);
    for (const name of SSL_PARAMS) parsed.searchParams.delete(name);
    stripped = parsed.toString();
  }
  const get = (name: string, variable: string): string | undefined =>
    params.get(name) ?? (env[variable] || undefined);
  const legacy = params.get('ssl');
  const raw =
    get('sslmode', 'PGSSLMODE') ??
    (legacy === 'true' || legacy === '1' ? 'require' : legacy === '0' ? 'disable' : 'prefer');
  if (!(SSL_MODES as readonly string[]).includes(raw)) {
    throw new IpassError('STATE_DB_URL_INVALID', `The state database URL has sslmode=${raw}.`, {
      hint: `sslmode is one of ${SSL_MODES.join(', ')} (as in libpq); verify-full is the one to use in production.`,
    });
  }
  const mode = raw as SslMode;
  const rootcert = get('sslrootcert', 'PGSSLROOTCERT');
  const base: ConnectionOptions = {};
  const cert = get('sslcert', 'PGSSLCERT');
  const key = get('sslkey', 'PGSSLKEY');
  if (cert) base.cert = readPem('sslcert', cert);
  if (key) base.key = readPem('sslkey', key);
  const noVerify: ConnectionOptions = { ...base, rejectUnauthorized: false };
  const verifying = (checkName: boolean): ConnectionOptions => {
    const ca = trustedCa(rootcert);
    return {
      ...base,
      rejectUnauthorized: true,
      ...(ca === undefined ? {} : { ca }),
      ...(checkName ? {} : { checkServerIdentity: () => undefined }),
    };
  };
  const attempts: Record<SslMode, () => TlsPlan['attempts']> = {
    disable: () => [false],
    allow: () => [false, noVerify],
    prefer: () => [noVerify, false],
    // As libpq: with a root certificate given, require checks the chain (as verify-ca).
    require: () => [rootcert && rootcert !== 'system' ? verifying(false) : noVerify],
    'verify-ca': () => {
      if (!rootcert && !defaultRootCert())
        throw tlsError(
          'sslmode=verify-ca needs the CA that signed the server certificate (sslrootcert in the state URL).',
        );
      return [verifying(false)];
    },
    'verify-full': () => [verifying(true)],
  };
  return { mode, url: stripped, attempts: attempts[mode]() };
}

/** ~/.postgresql/root.crt, libpq's default root certificate, when it exists. */
function defaultRootCert(): string | undefined {
  const path = join(homedir(), '.postgresql', 'root.crt');
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The CA certificates to trust: the file named, libpq's default file, or the system's (undefined). */
function trustedCa(rootcert: string | undefined): string | undefined {
  if (rootcert === 'system') return undefined;
  if (rootcert) return readPem('sslrootcert', rootcert);
  return defaultRootCert();
}

/** Whether the failure of attempt `index` lets the next attempt be tried (libpq's allow/prefer). */
export function fallbackAllowed(plan: TlsPlan, error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  const message = String(e.message ?? '');
  if (plan.mode === 'prefer') {
    return /does not support SSL/i.test(message) || /^(ERR_SSL|EPROTO|ECONNRESET)/.test(e.code ?? '');
  }
  // allow: plain first; the server may insist on TLS (pg_hba hostssl).
  return plan.mode === 'allow' && (e.code === '28000' || /no pg_hba.conf entry/i.test(message));
}
