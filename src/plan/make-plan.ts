// The planner's entry point (pure): desired campaigns + state (+ remote view, + pass batch
// counts) → Plan. Errors in the plan's diagnostics make it impossible to apply.
import type { CampaignSet, TemplateBody } from '../campaign/types.js';
import type { PolicyConfig } from '../config/config.generated.js';
import { sortDiagnostics } from '../diagnostics/diagnostic.js';
import type { StateFile, TemplateState } from '../state/state-format.js';
import { customerImpact, passesHeld } from './customer-impact.js';
import { planPasses } from './plan-passes.js';
import { planTemplates } from './plan-templates.js';
import {
  type CustomerImpact,
  type PassBatchChange,
  type PassBatchSummary,
  PLAN_FORMAT_VERSION,
  type Plan,
  type PlanSummary,
  type RemoteTemplate,
  type TemplateChange,
} from './plan-types.js';
import { checkPolicies, type PolicyTemplate } from './policies.js';
import { preflightDiagnostics } from './preflight-rules.js';
import { passLifeCounts } from './render-pass-life.js';

export interface MakePlanInput {
  environment: string;
  desired: CampaignSet;
  state: StateFile;
  stateExists: boolean;
  now: number;
  /** By address, from `detail` (--refresh). */
  remote?: ReadonlyMap<string, RemoteTemplate>;
  /** By address of an `import:` entry, from `detail` (--refresh); null: the API knows no such template. */
  importRemote?: ReadonlyMap<string, RemoteTemplate | null>;
  /** By batch address. */
  passSummaries?: ReadonlyMap<string, PassBatchSummary>;
  /** The environment's business rules (config `policies:`). */
  policies?: PolicyConfig;
  /** Rules whose `deny` is overridden on purpose (--allow-policy). */
  allowPolicies?: readonly string[];
}

export function makePlan(input: MakePlanInput): Plan {
  const templates = planTemplates({
    templates: input.desired.templates,
    moved: input.desired.moved,
    state: input.state,
    now: input.now,
    removed: input.desired.removed,
    imports: input.desired.imports ?? [],
    files: input.desired.files,
    ...(input.importRemote ? { importRemote: input.importRemote } : {}),
    ...(input.remote ? { remote: input.remote } : {}),
  });
  const summaries = input.passSummaries ?? new Map();
  const held = passesHeld(input.state, summaries);
  for (const change of templates.changes) {
    const from = templates.renames.get(change.address);
    const old = from === undefined ? undefined : templates.working.get(from);
    const impact = customerImpact(
      change,
      held,
      from !== undefined && old ? { from, templateCode: old.templateCode } : undefined,
    );
    if (impact) change.customerImpact = withAdopted(impact, templates.working.get(change.address));
  }
  const passes = planPasses({
    batches: input.desired.passes,
    templates: input.desired.templates,
    changes: templates.changes,
    working: templates.working,
    summaries,
  });
  const preflight = preflightDiagnostics({
    templates: input.desired.templates,
    moved: input.desired.moved,
    batches: input.desired.passes,
    state: input.state,
    summaries: input.passSummaries ?? new Map(),
    now: input.now,
  });
  const policy = checkPolicies({
    policies: input.policies ?? {},
    templates: policyTemplates(input.desired.templates, templates),
    batches: passes.batches,
    allowed: new Set(input.allowPolicies ?? []),
  });
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    environment: input.environment,
    state: { lineage: input.state.lineage, serial: input.state.serial, exists: input.stateExists },
    inputHash: input.desired.inputHash,
    refreshed: input.remote !== undefined,
    ...(input.state.lastSweep ? { lastSweep: input.state.lastSweep } : {}),
    changes: templates.changes,
    passBatches: passes.batches,
    drift: templates.drift,
    diagnostics: sortDiagnostics([
      ...templates.diagnostics,
      ...passes.diagnostics,
      ...preflight,
      ...policy.diagnostics,
    ]),
    policyOverrides: policy.overrides,
    summary: {
      ...summarize(
        templates.changes,
        passes.batches.reduce((n, b) => n + b.toIssue, 0),
        input.state.pending.length,
      ),
      ...lifeSummary(passes.batches),
      ...heldSummary(passes.batches),
    },
  };
}

/** What the policies judge: each template the plan creates or changes, with what it was before. */
function policyTemplates(
  desired: MakePlanInput['desired']['templates'],
  templates: ReturnType<typeof planTemplates>,
): PolicyTemplate[] {
  const desiredByAddress = new Map(desired.map((d) => [d.address, d]));
  const out: PolicyTemplate[] = [];
  for (const change of templates.changes) {
    const d = desiredByAddress.get(change.address);
    if (!d || change.action === 'noop' || change.action === 'close') continue;
    const s = change.action === 'create' ? undefined : templates.working.get(change.address);
    const before = s ? ({ ...s.spec, stock: s.stock } as TemplateBody) : undefined;
    out.push({ address: d.address, body: d.body, fields: d.fields, source: d.source, before });
  }
  return out;
}

/** Passes to update and close, only when there are any (a plan without them reads as before). */
function lifeSummary(batches: readonly PassBatchChange[]): { passUpdates?: number; passCloses?: number } {
  const { updates, closes } = passLifeCounts(batches);
  return { ...(updates > 0 ? { passUpdates: updates } : {}), ...(closes > 0 ? { passCloses: closes } : {}) };
}

/** Recipients held back, only when there are any. */
function heldSummary(batches: readonly PassBatchChange[]): { passesHeldBack?: number } {
  const held = batches.reduce((n, b) => n + (b.heldBack?.count ?? 0), 0);
  return held > 0 ? { passesHeldBack: held } : {};
}

/** A template adopted from outside ipass: customers may hold passes ipass never issued. */
function withAdopted(impact: CustomerImpact, entry: TemplateState | undefined): CustomerImpact {
  if (!entry?.imported) return impact;
  return {
    ...impact,
    text: `${impact.text} It was made outside ipass: passes issued outside ipass are unknown to it and not counted here.`,
  };
}

export function summarize(changes: readonly TemplateChange[], passes: number, resume: number): PlanSummary {
  const s: PlanSummary = {
    create: 0,
    update: 0,
    stock: 0,
    status: 0,
    replace: 0,
    close: 0,
    move: 0,
    import: 0,
    noop: 0,
    passes,
    resume,
  };
  for (const c of changes) s[c.action] = (s[c.action] ?? 0) + 1;
  return s;
}

/** True when applying the plan would send anything or change the state. */
export function planHasChanges(plan: Plan): boolean {
  const s = plan.summary;
  return (
    s.create +
      s.update +
      s.stock +
      s.status +
      s.replace +
      s.close +
      s.move +
      (s.import ?? 0) +
      s.passes +
      s.resume >
      0 ||
    (s.passUpdates ?? 0) + (s.passCloses ?? 0) > 0 ||
    plan.changes.some((c) => c.action === 'noop' && c.reasons.some((r) => r.path === 'protect'))
  );
}

export function planHasErrors(plan: Plan): boolean {
  return plan.diagnostics.some((d) => d.severity === 'error');
}
