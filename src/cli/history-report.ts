// How `ipass history` shows runs: one line per run (id, when, command, who, commit, outcome,
// counts), and a whole run with each change. Every value read from the history is escaped, and
// every line starts with text of ipass's own.
import { escapeControl } from '../diagnostics/terminal-text.js';
import { formatCount } from '../plan/format-values.js';
import type { RunRecord } from '../state/run-record.js';
import { short } from './rollback-guard.js';

const e = (value: string | undefined): string => escapeControl(value ?? '');

const COUNT_ORDER = [
  'created',
  'updated',
  'stock',
  'status',
  'replaced',
  'closed',
  'moved',
  'imported',
  'resumed',
  'failed',
  'passesIssued',
  'passesUpdated',
  'passesClosed',
  'passesFailed',
  'templates',
  'ledgers',
  'ledgerRows',
  'runs',
];
const COUNT_WORDS: Record<string, string> = {
  stock: 'stock changed',
  status: 'status changed',
  resumed: 'resumed',
  passesIssued: 'passes issued',
  passesUpdated: 'passes updated',
  passesClosed: 'passes closed',
  passesFailed: 'passes failed',
  ledgerRows: 'ledger rows',
  runs: 'runs copied',
};

/** "2 created, 1 stock changed, 5,000 passes issued", or "-" when nothing was counted. */
export function countsText(counts: Record<string, number>): string {
  const keys = Object.keys(counts).sort(
    (a, b) => (COUNT_ORDER.indexOf(a) + 1 || 99) - (COUNT_ORDER.indexOf(b) + 1 || 99),
  );
  const parts = keys.map((k) => `${formatCount(counts[k] ?? 0)} ${COUNT_WORDS[k] ?? e(k)}`);
  return parts.length > 0 ? parts.join(', ') : '-';
}

function commitText(run: RunRecord): string {
  if (!run.commit) return 'no commit';
  return `${short(e(run.commit))}${run.dirty ? '+dirty' : ''}`;
}

function when(iso: string): string {
  return e(iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
}

/** One line: id, when, command, who, commit, outcome, counts (and a rollback, when it was one). */
export function runLine(run: RunRecord): string {
  const rollback = run.rollback
    ? ` · rollback from ${short(e(run.rollback.from))} to ${short(e(run.rollback.to))}`
    : '';
  const error = run.error ? ` (${e(run.error)})` : '';
  return `${e(run.id)}  ${when(run.startedAt)}  ${e(run.command)}  by ${e(run.who)}  ${commitText(run)}  ${e(run.outcome)}${error}  ${countsText(run.counts)}${rollback}`;
}

/** The whole run, with each change. */
export function runText(run: RunRecord): string[] {
  const lines = [
    `run ${e(run.id)}`,
    `  environment: ${e(run.environment)}`,
    `  command: ipass ${e(run.command)}`,
    `  who: ${e(run.who)}${run.ciRun ? ` (CI run ${e(run.ciRun)})` : ''}`,
    `  commit: ${run.commit ? `${e(run.commit)}${run.dirty ? ' (with uncommitted changes)' : ''}` : 'none (not in a git repository)'}`,
    `  ipass: ${e(run.version)}`,
    `  started: ${when(run.startedAt)}, ended: ${when(run.endedAt)}`,
    `  outcome: ${e(run.outcome)}${run.error ? ` (${e(run.error)})` : ''}`,
    `  counts: ${countsText(run.counts)}`,
  ];
  if (run.planHash) lines.push(`  plan: sha256 ${e(run.planHash)}`);
  if (run.rollback)
    lines.push(`  rollback: from ${e(run.rollback.from)} to ${e(run.rollback.to)} (--allow-rollback)`);
  for (const o of run.policyOverrides ?? [])
    lines.push(`  policy overridden (--allow-policy): ${e(o.rule)} for ${o.addresses.map(e).join(', ')}`);
  lines.push(run.changes.length > 0 ? '  changes:' : '  changes: none');
  for (const c of run.changes) {
    const count = c.count !== undefined ? ` ${formatCount(c.count)}` : '';
    const code = c.templateCode ? ` (${e(c.templateCode)})` : '';
    lines.push(
      `    - ${e(c.address)}${code}: ${e(c.action)}${count} ${e(c.outcome)}${c.code ? ` ${e(c.code)}` : ''}`,
    );
  }
  return lines;
}
