// Pass batches: how many passes each batch will issue (counts come from the recipients file and
// the ledger, read elsewhere), with the checks that need the template plan: template known,
// issuable status, type/product match, and stock.
import type { DesiredPassBatch, DesiredTemplate } from '../campaign/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { TemplateState } from '../state/state-format.js';
import type { PassBatchChange, PassBatchSummary, TemplateChange } from './plan-types.js';

export interface PlanPassesInput {
  batches: readonly DesiredPassBatch[];
  templates: readonly DesiredTemplate[];
  changes: readonly TemplateChange[];
  /** State entries after moves, by address. */
  working: ReadonlyMap<string, TemplateState>;
  summaries: ReadonlyMap<string, PassBatchSummary>;
}

export function planPasses(input: PlanPassesInput): {
  batches: PassBatchChange[];
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const desired = new Map(input.templates.map((t) => [t.address, t]));
  const changes = new Map(input.changes.map((c) => [c.address, c]));
  const byCode = new Map<string, [string, TemplateState]>();
  for (const [address, t] of input.working) byCode.set(t.templateCode, [address, t]);
  const liveness = templateLiveness(input.working);

  // Passes already issued (and about to be) per template, for the stock check.
  const issuedPerTemplate = new Map<string, number>();
  const batches: PassBatchChange[] = [];
  for (const b of [...input.batches].sort((x, y) => (x.address < y.address ? -1 : 1))) {
    const summary = input.summaries.get(b.address);
    if (summary) diagnostics.push(...summary.diagnostics);
    const templateAddress =
      'address' in b.template ? b.template.address : byCode.get(b.template.templateCode)?.[0];
    const state = templateAddress ? input.working.get(templateAddress) : undefined;
    const target = templateAddress ? desired.get(templateAddress) : undefined;
    const change = templateAddress ? changes.get(templateAddress) : undefined;
    const replacing = change?.action === 'replace' || change?.action === 'create';
    // A template adopted in this plan (`import:`) has its code already.
    const adopted = change?.action === 'import' ? change.templateCode : undefined;
    const templateCode =
      'templateCode' in b.template
        ? b.template.templateCode
        : replacing
          ? undefined
          : (state?.templateCode ?? adopted);

    const toIssue = summary?.toIssue ?? 0;
    const at = { position: b.fields.template ?? b.fields.templateCode ?? b.source };
    diagnostics.push(...templateProblems(b, toIssue, target, state, at));
    const moving = inDoubtElsewhere(b, summary, state, templateCode, change, liveness);
    if (moving) diagnostics.push({ ...moving, ...at });
    const stock = target?.body.stock ?? state?.stock;
    const key = templateAddress ?? ('templateCode' in b.template ? b.template.templateCode : b.address);
    const used = (issuedPerTemplate.get(key) ?? 0) + (summary?.issuedTotal ?? 0) + toIssue;
    issuedPerTemplate.set(key, used);
    if (stock !== undefined && toIssue > 0 && used > stock) {
      diagnostics.push({
        severity: 'warning',
        code: 'PASS_STOCK_EXCEEDED',
        message: `${b.address} would bring the passes of its template to ${used}, more than its stock of ${stock}; the passes beyond the stock will fail.`,
        hint: "Raise the template's `stock`, or issue to fewer recipients.",
        ...at,
      });
    }
    const update = summary?.update;
    const close = summary?.close;
    batches.push({
      address: b.address,
      action: toIssue > 0 ? 'issue' : close?.count ? 'close' : update?.count ? 'update' : 'noop',
      template: b.template,
      ...(templateCode ? { templateCode } : {}),
      recipients: summary?.recipients ?? 0,
      alreadyIssued: summary?.alreadyIssued ?? 0,
      toIssue,
      removed: summary?.removed ?? 0,
      failedBefore: summary?.failedBefore ?? 0,
      inDoubt: summary?.inDoubt ?? 0,
      ...(summary?.heldBack ? { heldBack: summary.heldBack } : {}),
      ...(update ? { update } : {}),
      ...(close ? { close } : {}),
      source: b.source,
    });
  }
  return { batches, diagnostics };
}

/** What the batch's template allows: a valid status, being known to the state, the same type and product. */
function templateProblems(
  b: DesiredPassBatch,
  toIssue: number,
  target: DesiredTemplate | undefined,
  state: TemplateState | undefined,
  at: Pick<Diagnostic, 'position'>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (toIssue > 0 && target && target.status !== 'valid') {
    out.push({
      severity: 'error',
      code: 'PASS_TEMPLATE_NOT_VALID',
      message: `${b.address} would issue ${toIssue} passes of ${target.address}, whose status is ${target.status}; passes can only be issued from a valid template.`,
      hint: `Set the template's status to valid, or wait with this batch (remove it for now).`,
      ...at,
    });
  }
  if (toIssue > 0 && 'templateCode' in b.template && !state) {
    out.push({
      severity: 'warning',
      code: 'PASS_TEMPLATE_UNMANAGED',
      message: `${b.address} issues passes of template ${b.template.templateCode}, which this environment's state does not know; its type, product and stock cannot be checked here.`,
      hint: 'If ipass should manage that template, adopt it: `ipass import generate CODE` writes it into a campaign file with an `import:` entry.',
      ...at,
    });
  }
  const spec = target?.body ?? state?.spec;
  if (spec && (spec.type !== b.type || spec.product !== b.product)) {
    out.push({
      severity: 'error',
      code: 'PASS_TYPE_MISMATCH',
      message: `${b.address} is ${b.type}/${b.product} but its template is ${String(spec.type)}/${String(spec.product)}.`,
      hint: 'Use the same type and product as the template (the API refuses a mismatch).',
      position: b.fields.type ?? b.source,
    });
  }
  return out;
}

/** Whether each known template code can still issue passes (closed ones, and replaced ones once closed, cannot). */
function templateLiveness(working: ReadonlyMap<string, TemplateState>): Map<string, boolean> {
  const live = new Map<string, boolean>();
  for (const t of working.values()) {
    for (const s of t.superseded) live.set(s.templateCode, !s.closed);
    live.set(t.templateCode, t.status !== 'closed' && t.status !== 'expired');
  }
  return live;
}

/**
 * Rows of a batch whose last attempt has an unknown outcome are sent again with the same
 * bizSerialId. The API keeps one pass per (template, bizSerialId), so that is safe on the template
 * they were sent to, and could give a user a second pass on any other. While that template can
 * still settle them, moving the batch off it (a replace, a new template, another `template:`) is
 * an error; once it is closed they cannot be settled at all, and re-sending is only a warning.
 */
function inDoubtElsewhere(
  b: DesiredPassBatch,
  summary: PassBatchSummary | undefined,
  state: TemplateState | undefined,
  nextCode: string | undefined,
  change: TemplateChange | undefined,
  liveness: ReadonlyMap<string, boolean>,
): Omit<Diagnostic, 'position'> | undefined {
  const inDoubt = summary?.inDoubt ?? 0;
  const sentTo = summary?.ledgerTemplateCode ?? state?.templateCode;
  if (inDoubt === 0 || sentTo === undefined || nextCode === sentTo) return undefined;
  if (nextCode === undefined && change === undefined) return undefined; // the reference is unknown: reported elsewhere
  const next =
    nextCode !== undefined
      ? `template ${nextCode}`
      : change?.action === 'replace'
        ? `the template that replaces it at ${change.address}`
        : `a new template at ${change?.address}`;
  const lines = summary?.inDoubtLines ?? [];
  const where =
    lines.length > 0
      ? ` (${b.recipientsDisplay} line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}${inDoubt > lines.length ? ', …' : ''})`
      : '';
  const what = `${b.address} has ${inDoubt} pass(es) whose outcome on template ${sentTo} is unknown after an interrupted apply${where}, and this plan issues them on ${next}`;
  if (liveness.get(sentTo) === false) {
    return {
      severity: 'warning',
      code: 'PASS_IN_DOUBT_ON_CLOSED_TEMPLATE',
      message: `${what}. Template ${sentTo} is closed, so those outcomes can no longer be settled: a user whose pass did reach it keeps that pass too.`,
      hint: 'Nothing to do if that is acceptable; otherwise remove those rows from the recipients file before applying (the message names the first few lines).',
    };
  }
  return {
    severity: 'error',
    code: 'PASS_IN_DOUBT_TEMPLATE_CHANGE',
    message: `${what}; sent there, they could give those users a second pass.`,
    hint:
      change?.action === 'replace' && nextCode === undefined
        ? `Finish the batch on the current template first: apply without the change to ${change.address} (revert it for now) until the plan shows no passes to issue, then make the change.`
        : `Finish the batch on template ${sentTo} first: point its \`template:\` back at it and apply until the plan shows no passes to issue, then change it.`,
  };
}
