// A run (pure): one apply, `state migrate`, `state import` or unlock as the run history keeps it —
// who ran what from which commit, its outcome, counts and each change. Records are read back from
// storage through `asRunRecord`, which keeps only what has the expected shape.

export const RUN_FORMAT_VERSION = 1;

export type RunOutcome = 'succeeded' | 'failed' | 'partial' | 'interrupted' | 'cancelled' | 'nothing-to-do';

export const RUN_OUTCOMES: readonly RunOutcome[] = [
  'succeeded',
  'failed',
  'partial',
  'interrupted',
  'cancelled',
  'nothing-to-do',
];

/** One change of a run: an address, what was done to it and how that ended. */
export interface RunChange {
  address: string;
  action: string;
  templateCode?: string;
  /** done, failed, in-doubt, skipped (templates); issued, updated, closed, failed (pass batches). */
  outcome: string;
  /** The API's or ipass's code of a failure. */
  code?: string;
  /** How many (pass batches: passes). */
  count?: number;
}

export interface RunRecord {
  formatVersion: number;
  id: string;
  environment: string;
  /** e.g. "apply", "apply --allow-rollback", "state migrate". */
  command: string;
  /** user@host, or the CI actor. */
  who: string;
  /** The CI run (a URL where the CI gives one). */
  ciRun?: string;
  commit?: string;
  /** Whether the work tree had uncommitted changes; absent outside git. */
  dirty?: boolean;
  version: string;
  /** sha256 of the plan's requests (canonical JSON), when a plan was made. */
  planHash?: string;
  startedAt: string;
  endedAt: string;
  outcome: RunOutcome;
  /** The code of the error the run stopped on. */
  error?: string;
  /** created, updated, …, passesIssued, passesFailed: only those above zero. */
  counts: Record<string, number>;
  changes: RunChange[];
  /** `--allow-policy` rules used, with the addresses they allowed. */
  policyOverrides?: { rule: string; addresses: string[] }[];
  /** A deliberate rollback (`--allow-rollback`) from the last applied commit to this one. */
  rollback?: { from: string; to: string };
}

/** A sortable, unique id: r-YYYYMMDD-HHMMSS-<6 hex>. */
export function newRunId(now: Date, randomHex: string): string {
  const iso = now.toISOString();
  return `r-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${randomHex.slice(0, 6)}`;
}

const isString = (v: unknown): v is string => typeof v === 'string';

function asChange(value: unknown): RunChange | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const c = value as Record<string, unknown>;
  if (!isString(c.address) || !isString(c.action) || !isString(c.outcome)) return undefined;
  return {
    address: c.address,
    action: c.action,
    outcome: c.outcome,
    ...(isString(c.templateCode) ? { templateCode: c.templateCode } : {}),
    ...(isString(c.code) ? { code: c.code } : {}),
    ...(typeof c.count === 'number' ? { count: c.count } : {}),
  };
}

/** A record read back from storage, or undefined when it is not one (a damaged line). */
export function asRunRecord(value: unknown): RunRecord | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const r = value as Record<string, unknown>;
  const required = [r.id, r.environment, r.command, r.who, r.version, r.startedAt, r.endedAt];
  if (!required.every(isString)) return undefined;
  if (!RUN_OUTCOMES.includes(r.outcome as RunOutcome)) return undefined;
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries((r.counts as Record<string, unknown> | null) ?? {}))
    if (typeof v === 'number') counts[k] = v;
  const changes = Array.isArray(r.changes) ? r.changes.map(asChange) : [];
  return {
    ...(r as unknown as RunRecord),
    counts,
    changes: changes.filter((c): c is RunChange => c !== undefined),
  };
}
