// The API's rules that only the state can tell are broken, checked before anything is sent (by
// `plan` and by `validate`): stock lowered below the passes already issued from a template, and a
// changed start of an existing template that AlipayHK is expected to refuse. Limits come from
// src/api/api-limits.ts, which the sandbox enforces too. Pure.
import { API_LIMITS, stockBelowIssued } from '../api/api-limits.js';
import { startTooFarDiagnostic } from '../campaign/date-rules.js';
import { formatHongKongTime } from '../campaign/dates.js';
import type { DesiredPassBatch, DesiredTemplate } from '../campaign/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { StateFile, TemplateState } from '../state/state-format.js';
import type { PassBatchSummary } from './plan-types.js';
import { IMMUTABLE_FIELDS } from './template-requests.js';

export interface PreflightInput {
  templates: readonly DesiredTemplate[];
  moved: readonly { from: string; to: string }[];
  batches: readonly DesiredPassBatch[];
  state: StateFile;
  /** By batch address: the ledgers' counts (issuedTotal, ledgerTemplateCode). */
  summaries: ReadonlyMap<string, PassBatchSummary>;
  now: number;
}

export function preflightDiagnostics(input: PreflightInput): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const movedFrom = new Map(input.moved.map((m) => [m.to, m.from]));
  for (const d of input.templates) {
    const from = movedFrom.get(d.address);
    const s = input.state.templates[d.address] ?? (from ? input.state.templates[from] : undefined);
    // No template yet, or a closed one or a replace: the plan creates a new template, and the
    // campaign checks (start in the past) and the planner (replace) cover it.
    if (!s || s.status === 'closed' || s.status === 'expired' || replaces(s, d)) continue;
    if (d.status === 'closed') continue; // closing sends neither the dates nor the stock
    const start = startChange(d, s, input.now);
    if (start) diagnostics.push(start);
    if (d.body.stock < s.stock) {
      const stock = stockBelow(d, s, input);
      if (stock) diagnostics.push(stock);
    }
  }
  return diagnostics;
}

function replaces(s: TemplateState, d: DesiredTemplate): boolean {
  return IMMUTABLE_FIELDS.some((f) => s.spec[f] !== d.body[f]);
}

function startChange(d: DesiredTemplate, s: TemplateState, now: number): Diagnostic | undefined {
  const before = s.spec.startDate;
  const after = d.body.startDate;
  if (before === after) return undefined; // unchanged: a running template keeps its start
  const position = d.fields.startDate ?? d.source;
  const path = `/templates/${d.key}/startDate`;
  if (after >= now) return startTooFarDiagnostic(d.key, after, now, position, path);
  const was = typeof before === 'number' ? formatHongKongTime(before) : undefined;
  return {
    severity: 'warning',
    code: 'TEMPLATE_START_MOVED_INTO_PAST',
    message: `${d.address} already exists and its startDate changes${was ? ` from ${was}` : ''} to ${formatHongKongTime(after)}, which is in the past (now ${formatHongKongTime(now)}); AlipayHK is expected to refuse the update (PASS_TEMPLATE_START_TIME_LESS_CURRENT).`,
    hint: `${was ? `Keep the start it has, ${was} (a template that exists keeps its start even once it is past), or move` : 'Move'} startDate to a time after now. This rule is inferred (${API_LIMITS.updatedStartNotInPast.basis}); the sandbox applies it.`,
    position,
    path,
  };
}

function stockBelow(d: DesiredTemplate, s: TemplateState, input: PreflightInput): Diagnostic | undefined {
  const counted = issuedOn(s.templateCode, input);
  const issued = counted.reduce((n, [, k]) => n + k, 0);
  if (!stockBelowIssued(d.body.stock, issued)) return undefined;
  const by = counted
    .filter(([, k]) => k > 0)
    .map(([address, k]) => `${address} ${k}`)
    .join(', ');
  return {
    severity: 'error',
    code: 'TEMPLATE_STOCK_BELOW_ISSUED',
    message: `${d.address} would lower its stock from ${s.stock} to ${d.body.stock}, below the ${issued} passes already issued from template ${s.templateCode}; AlipayHK refuses that (updateBudget: the budget may not go below the cards already issued).`,
    hint: `Set \`stock\` to at least ${issued} (issued so far: ${by}). Passes already issued stay with their users; the stock cannot take them back.`,
    position: d.fields.stock ?? d.source,
    path: `/templates/${d.key}/stock`,
  };
}

/** Passes issued from the template `code`, per pass batch: the ledgers, else the state's counts. */
function issuedOn(code: string, input: PreflightInput): [string, number][] {
  const out: [string, number][] = [];
  const seen = new Set<string>();
  for (const b of input.batches) {
    seen.add(b.address);
    const summary = input.summaries.get(b.address);
    const recorded = input.state.passBatches[b.address];
    const sentTo = summary?.ledgerTemplateCode ?? recorded?.templateCode;
    if (sentTo !== code) continue;
    out.push([b.address, summary?.issuedTotal ?? recorded?.issued ?? 0]);
  }
  // Batches no longer in any file still hold their passes.
  for (const [address, recorded] of Object.entries(input.state.passBatches)) {
    if (!seen.has(address) && recorded?.templateCode === code) out.push([address, recorded.issued]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
