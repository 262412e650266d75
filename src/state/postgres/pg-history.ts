// The postgres backend's run history: a `runs` row per run (the record as jsonb, with the columns
// one filters on) and a `run_changes` row per change, written in one transaction; rows are only
// ever inserted. Reading creates nothing: with no tables yet there is no history.
import type { RunHistory } from '../backend.js';
import { asRunRecord, type RunChange, type RunRecord } from '../run-record.js';
import type { PgConnection, Sql } from './pg-connect.js';

/** Schema step 3: the run history. */
export const HISTORY_MIGRATION = (s: string): string => `
  CREATE TABLE ${s}.runs (
    seq         bigserial UNIQUE,
    id          text PRIMARY KEY,
    environment text NOT NULL,
    command     text NOT NULL,
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz NOT NULL,
    outcome     text NOT NULL,
    git_commit  text,
    detail      jsonb NOT NULL
  );
  CREATE INDEX ON ${s}.runs (environment, seq);
  CREATE TABLE ${s}.run_changes (
    run_id        text NOT NULL REFERENCES ${s}.runs (id),
    seq           integer NOT NULL,
    address       text NOT NULL,
    action        text NOT NULL,
    template_code text,
    outcome       text NOT NULL,
    code          text,
    count         bigint,
    PRIMARY KEY (run_id, seq)
  );`;

interface ChangeRow {
  address: string;
  action: string;
  template_code: string | null;
  outcome: string;
  code: string | null;
  count: string | null;
}

const asChange = (r: ChangeRow): RunChange => ({
  address: r.address,
  action: r.action,
  outcome: r.outcome,
  ...(r.template_code !== null ? { templateCode: r.template_code } : {}),
  ...(r.code !== null ? { code: r.code } : {}),
  ...(r.count !== null ? { count: Number(r.count) } : {}),
});

export class PgRunHistory implements RunHistory {
  constructor(
    private readonly connection: () => Promise<PgConnection>,
    private readonly s: string,
    private readonly environment: string,
  ) {}

  /** Whether the history's tables exist (tables made by an older ipass may lack them). */
  private async present(db: Sql): Promise<boolean> {
    const { rows } = await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`${this.s}.runs`]);
    return Boolean(rows[0]?.t);
  }

  async list(limit: number): Promise<RunRecord[]> {
    const db = await this.connection();
    if (!(await this.present(db))) return [];
    const { rows } = await db.query<{ detail: unknown }>(
      `SELECT detail FROM ${this.s}.runs WHERE environment = $1 ORDER BY seq DESC LIMIT $2`,
      [this.environment, Math.max(0, limit)],
    );
    return rows
      .map((r) => asRunRecord({ ...(r.detail as object), changes: [] }))
      .filter((r) => r !== undefined);
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const db = await this.connection();
    if (!(await this.present(db))) return undefined;
    const { rows } = await db.query<{ detail: unknown }>(
      `SELECT detail FROM ${this.s}.runs WHERE environment = $1 AND id = $2`,
      [this.environment, id],
    );
    if (!rows[0]) return undefined;
    const changes = await db.query<ChangeRow>(
      `SELECT address, action, template_code, outcome, code, count FROM ${this.s}.run_changes
       WHERE run_id = $1 ORDER BY seq`,
      [id],
    );
    return asRunRecord({ ...(rows[0].detail as object), changes: changes.rows.map(asChange) });
  }

  async append(run: RunRecord): Promise<void> {
    const db = await this.connection();
    const { changes, ...detail } = run;
    await db.transaction(async (sql) => {
      await sql.query(
        `INSERT INTO ${this.s}.runs (id, environment, command, started_at, ended_at, outcome, git_commit, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          run.id,
          this.environment,
          run.command,
          run.startedAt,
          run.endedAt,
          run.outcome,
          run.commit ?? null,
          JSON.stringify(detail),
        ],
      );
      if (changes.length === 0) return;
      const column = <T>(pick: (c: RunChange) => T) => changes.map(pick);
      await sql.query(
        `INSERT INTO ${this.s}.run_changes (run_id, seq, address, action, template_code, outcome, code, count)
         SELECT $1, n, a, ac, t, o, c, k FROM unnest($2::text[], $3::text[], $4::text[], $5::text[],
           $6::text[], $7::bigint[]) WITH ORDINALITY AS u(a, ac, t, o, c, k, n)`,
        [
          run.id,
          column((c) => c.address),
          column((c) => c.action),
          column((c) => c.templateCode ?? null),
          column((c) => c.outcome),
          column((c) => c.code ?? null),
          column((c) => c.count ?? null),
        ],
      );
    });
  }
}
