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
    const templateCode =
      'templateCode' in b.template ? b.template.templateCode : replacing ? undefined : state?.templateCode;

    const toIssue = summary?.toIssue ?? 0;
    const at = { position: b.fields.template ?? b.fields.templateCode ?? b.source };
    if (toIssue > 0 && target && target.status !== 'valid') {
      diagnostics.push({
        severity: 'error',
        code: 'PASS_TEMPLATE_NOT_VALID',
        message: `${b.address} would issue ${toIssue} passes of ${target.address}, whose status is ${target.status}; passes can only be issued from a valid template.`,
        hint: `Set the template's status to valid, or wait with this batch (remove it for now).`,
        ...at,
      });
    }
    if (toIssue > 0 && 'templateCode' in b.template && !state) {
      diagnostics.push({
        severity: 'warning',
        code: 'PASS_TEMPLATE_UNMANAGED',
        message: `${b.address} issues passes of template ${b.template.templateCode}, which this environment's state does not know; its type, product and stock cannot be checked here.`,
        hint: 'If ipass should manage that template, adopt it with `ipass state import ADDRESS CODE`.',
        ...at,
      });
    }
    const inDoubt = summary?.inDoubt ?? 0;
    if (inDoubt > 0 && change?.action === 'replace' && state) {
      // The API keeps one pass per (template, bizSerialId): re-sent to the new template, a row whose
      // earlier attempt did reach the old one would give its user a second pass.
      diagnostics.push({
        severity: 'error',
        code: 'PASS_IN_DOUBT_ON_REPLACED_TEMPLATE',
        message: `${b.address} has ${inDoubt} pass(es) whose outcome on template ${state.templateCode} is unknown (an earlier apply was interrupted), and this plan replaces that template; sent again to the new one, they could give those users a second pass.`,
        hint: `Finish the batch on the current template first: apply without the change to ${templateAddress} (revert it for now) until the plan shows no passes to issue, then make the change.`,
        ...at,
      });
    }
    const spec = target?.body ?? state?.spec;
    if (spec && (spec.type !== b.type || spec.product !== b.product)) {
      diagnostics.push({
        severity: 'error',
        code: 'PASS_TYPE_MISMATCH',
        message: `${b.address} is ${b.type}/${b.product} but its template is ${String(spec.type)}/${String(spec.product)}.`,
        hint: 'Use the same type and product as the template (the API refuses a mismatch).',
        position: b.fields.type ?? b.source,
      });
    }
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
    batches.push({
      address: b.address,
      action: toIssue > 0 ? 'issue' : 'noop',
      template: b.template,
      ...(templateCode ? { templateCode } : {}),
      recipients: summary?.recipients ?? 0,
      alreadyIssued: summary?.alreadyIssued ?? 0,
      toIssue,
      removed: summary?.removed ?? 0,
      failedBefore: summary?.failedBefore ?? 0,
      source: b.source,
    });
  }
  return { batches, diagnostics };
}
