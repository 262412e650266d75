// Connections to the state database (TLS as pg-tls.ts reads sslmode; failures coded by pg-errors.ts,
// naming host, port, database and user, never the password). A connection that breaks later
// (server restart, pg_terminate_backend, network) is remembered, so every further use says so.
import pg from 'pg';
import { IpassError } from '../../diagnostics/errors.js';
import { lostError, pgError, SESSION_ENDED } from './pg-errors.js';
import { fallbackAllowed, type SslMode, tlsPlan } from './pg-tls.js';

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
  /** Whether the connection is encrypted, and the sslmode it was made under. */
  tls = false;
  sslmode: SslMode = 'prefer';
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
    const plan = tlsPlan(target.url);
    for (let i = 0; ; i++) {
      const ssl = plan.attempts[i] ?? false;
      const client = new pg.Client({
        ...(plan.url ? { connectionString: plan.url } : {}),
        ssl,
        application_name: applicationName,
        connectionTimeoutMillis: 15_000,
        keepAlive: true,
      });
      const connection = new PgConnection(client, where);
      try {
        await client.connect();
        connection.tls = ssl !== false;
        connection.sslmode = plan.mode;
        return connection;
      } catch (error) {
        await connection.end();
        if (i + 1 < plan.attempts.length && fallbackAllowed(plan, error)) continue;
        throw pgError(error, where, 'connect to', target.url);
      }
    }
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
      // An administrator shutdown or a server crash ends the session: seen as the answer to a
      // statement (after a pause, before the connection's end is noticed), it is a lost connection.
      const e = error as { code?: string; message?: string };
      if (!this.lost && (SESSION_ENDED.has(e.code ?? '') || /Connection terminated/i.test(String(e.message))))
        this.lost = error as Error;
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
