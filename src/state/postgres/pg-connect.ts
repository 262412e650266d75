// Connections to the state database, and its failures as coded errors that name the server (host,
// port, database, user; never the password) and what to check. A connection that breaks later
// (server restart, pg_terminate_backend, network) is remembered, so every further use says so.
import pg from 'pg';
import { IpassError } from '../../diagnostics/errors.js';

export interface PgTarget {
  /** postgres://USER[:PASS]@HOST[:PORT]/DB[?…]; undefined: libpq's PG* variables decide. */
  url: string | undefined;
  schema: string;
}

const URL_HINT =
  'Write it as postgres://USER:PASSWORD@HOST:5432/DATABASE, with any of : / ? # @ % [ ] in the user or password percent-encoded (# as %23, @ as %40, / as %2F, ? as %3F, : as %3A, % as %25); in CI keep it in a secret and set `url: env:IPASS_STATE_URL`.';

/**
 * A state URL that the driver would misread or reject with a stack trace, refused as
 * STATE_DB_URL_INVALID: not postgres://, not a URL, or one whose password holds an unencoded `#`,
 * `?`, `/` or `@` (the rest of it then reads as a fragment, a query or a path). Neither the URL nor
 * the password is ever put in the message.
 */
export function checkStateUrl(url: string): void {
  const invalid = (why: string): IpassError =>
    new IpassError('STATE_DB_URL_INVALID', `The state database URL ${why}.`, { hint: URL_HINT });
  if (!/^postgres(ql)?:\/\//i.test(url)) throw invalid('does not start with postgres://');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('cannot be read as a URL (often a character of the password that needs percent-encoding)');
  }
  if (parsed.hash !== '' || url.includes('#'))
    throw invalid('has a # in it: an unencoded # in the password cuts the URL short');
  if (parsed.pathname.includes('@') || parsed.search.includes('@'))
    throw invalid('has an @ after its host: an unencoded /, ? or @ in the password cuts the URL short');
  try {
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
    decodeURIComponent(parsed.pathname);
  } catch {
    throw invalid('has a % that starts no percent-encoded character');
  }
}

/** host:port/database as user, for messages; no password, ever. */
export function describeTarget(target: PgTarget, env: NodeJS.ProcessEnv = process.env): string {
  let host = env.PGHOST ?? 'localhost';
  let port = env.PGPORT ?? '5432';
  let database = env.PGDATABASE ?? env.PGUSER ?? 'postgres';
  let user = env.PGUSER ?? 'postgres';
  if (target.url) {
    try {
      const u = new URL(target.url);
      host = decodeURIComponent(u.hostname) || u.searchParams.get('host') || host;
      port = u.port || port;
      database = decodeURIComponent(u.pathname.replace(/^\//, '')) || database;
      user = decodeURIComponent(u.username) || user;
    } catch {
      return 'a PostgreSQL server (the state URL cannot be parsed)';
    }
  }
  return `postgres://${user}@${host}:${port}/${database} (schema ${target.schema})`;
}

/** What runs statements: the connection (queued), or the transaction or COPY holding it (at once). */
export interface Sql {
  /** For COPY streams. */
  readonly client: pg.Client;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * A client whose lost connection is remembered rather than crashing the process. Calls are queued,
 * one at a time on the wire; a transaction (or a COPY) holds the queue until it ends, and runs its
 * own statements through the `Sql` it is given.
 */
export class PgConnection implements Sql {
  lost: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly client: pg.Client,
    readonly where: string,
  ) {
    client.on('error', (error) => {
      this.lost ??= error;
    });
    client.on('end', () => {
      this.lost ??= new Error('the connection was closed');
    });
  }

  static async open(target: PgTarget, where: string, applicationName: string): Promise<PgConnection> {
    if (target.url !== undefined) checkStateUrl(target.url);
    const client = new pg.Client({
      ...(target.url ? { connectionString: target.url } : {}),
      application_name: applicationName,
      connectionTimeoutMillis: 15_000,
      keepAlive: true,
    });
    const connection = new PgConnection(client, where);
    try {
      await client.connect();
    } catch (error) {
      await connection.end();
      throw pgError(error, where, 'connect to');
    }
    return connection;
  }

  /** Run `work` alone on the connection, after what is queued before it; it runs statements through `sql`. */
  exclusive<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => work(this.direct));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Statements sent at once: only for whoever holds the queue. */
  private get direct(): Sql {
    return {
      client: this.client,
      query: <R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]) =>
        this.send<R>(text, values),
    };
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>> {
    const result = this.queue.then(() => this.send<R>(text, values));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** A statement run often: parsed and planned once per connection under `name`. */
  prepared<R extends pg.QueryResultRow = pg.QueryResultRow>(
    name: string,
    text: string,
    values: readonly unknown[],
  ): Promise<pg.QueryResult<R>> {
    const result = this.queue.then(() =>
      this.send<R>({ name, text, values: values as unknown[] }, undefined),
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async send<R extends pg.QueryResultRow>(
    text: string | pg.QueryConfig,
    values: readonly unknown[] | undefined,
  ): Promise<pg.QueryResult<R>> {
    if (this.lost) throw lostError(this.lost, this.where);
    try {
      return await this.client.query<R>(text as string, values as unknown[] | undefined);
    } catch (error) {
      throw this.lost ? lostError(this.lost, this.where) : pgError(error, this.where, 'use');
    }
  }

  /** Run `work` in one transaction (its statements through `sql`); rolled back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.exclusive(async (sql) => {
      await this.send('BEGIN', undefined);
      try {
        const result = await work(sql);
        await this.send('COMMIT', undefined);
        return result;
      } catch (error) {
        if (!this.lost) await this.client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Close; never throws. */
  async end(): Promise<void> {
    this.lost ??= new Error('the connection was closed');
    await this.client.end().catch(() => undefined);
  }
}

function lostError(cause: Error, where: string): IpassError {
  return new IpassError('STATE_DB_LOST', `Lost the connection to the state database ${where}.`, {
    reason: `${cause.message}. Nothing is guessed: requests whose outcome could not be recorded stay in doubt.`,
    hint: 'Run `ipass apply` again once the database is reachable (from this or any other runner): it finishes what this run started, re-sending requests in doubt with the same ids.',
    cause,
  });
}

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
function pgError(error: unknown, where: string, doing: string): IpassError {
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
      {
        reason: firstLine(message),
        hint: 'ipass needs to create its schema and tables on first use, then read and write them. Grant that (e.g. GRANT CREATE ON DATABASE … TO the user, or create the schema for it). Nothing was sent.',
        cause: error,
      },
    );
  }
  if (/SSL|certificate/i.test(message)) {
    return new IpassError('STATE_DB_TLS', `TLS with the state database ${where} failed.`, {
      reason: firstLine(message),
      hint: 'Check sslmode (and sslrootcert) in the URL against what the server offers.',
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

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
