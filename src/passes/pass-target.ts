// Which template a batch issues from at apply time, and the fields every pass shares: the template
// code (plan, else created earlier in this apply, else the literal code), dates (the batch's, else the
// template's), type/product checked against the template.
import type { Execution } from '../apply/execution.js';
import type { DesiredPassBatch } from '../campaign/types.js';
import type { PassBatchChange, Plan } from '../plan/plan-types.js';
import type { PassBase } from './pass-request.js';

export type PassTarget = { base: PassBase } | { problem: string };

type Spec = Record<string, unknown>;

export async function resolvePassTarget(
  execution: Execution,
  plan: Plan,
  batch: DesiredPassBatch,
  change: PassBatchChange,
): Promise<PassTarget> {
  const found = templateOf(execution, plan, batch, change);
  if ('problem' in found) return found;
  let spec = found.spec;
  if (!spec && (batch.startDate === undefined || batch.endDate === undefined)) {
    // A template ipass does not manage: ask the API for its dates.
    const detail = await execution.client.call('detail', { templateCode: found.templateCode });
    if (!detail.ok) {
      execution.checkCredentials(detail.failure);
      return {
        problem: `could not read the dates of template ${found.templateCode} (${detail.failure.code}: ${detail.failure.message}); give the batch its own startDate and endDate.`,
      };
    }
    spec = detail.data;
  }
  const startDate = batch.startDate ?? spec?.startDate;
  const endDate = batch.endDate ?? spec?.endDate;
  if (typeof startDate !== 'number' || typeof endDate !== 'number') {
    return {
      problem: `template ${found.templateCode} has no dates to give its passes; give the batch its own startDate and endDate.`,
    };
  }
  for (const field of ['type', 'product'] as const) {
    const theirs = spec?.[field];
    if (typeof theirs === 'string' && theirs !== batch[field]) {
      return {
        problem: `the batch's ${field} is ${batch[field]}, but template ${found.templateCode} has ${theirs}.`,
      };
    }
  }
  const base: PassBase = {
    templateCode: found.templateCode,
    startDate,
    endDate,
    type: batch.type,
    product: batch.product,
  };
  if (batch.publishScene !== undefined) base.publishScene = batch.publishScene;
  return { base };
}

function templateOf(
  execution: Execution,
  plan: Plan,
  batch: DesiredPassBatch,
  change: PassBatchChange,
): { templateCode: string; spec: Spec | undefined } | { problem: string } {
  const ref = batch.template;
  if ('templateCode' in ref) {
    const managed = Object.values(execution.state.templates).find(
      (t) => t?.templateCode === ref.templateCode,
    );
    return { templateCode: ref.templateCode, spec: managed?.spec };
  }
  const entry = execution.state.templates[ref.address];
  const templateChange = plan.changes.find((c) => c.address === ref.address);
  if (templateChange?.action === 'create' || templateChange?.action === 'replace') {
    // Its code comes from this apply's createTemplate; the entry is that template only if that succeeded.
    const generation = templateChange.record?.generation;
    if (!entry || (generation !== undefined && entry.generation !== generation)) {
      return {
        problem: `its template ${ref.address} was not ${templateChange.action}d in this apply, so there is nothing to issue from yet.`,
      };
    }
    return { templateCode: entry.templateCode, spec: entry.spec };
  }
  const templateCode = change.templateCode ?? entry?.templateCode;
  if (!templateCode)
    return { problem: `its template ${ref.address} has no template code in this environment.` };
  return { templateCode, spec: entry?.templateCode === templateCode ? entry.spec : undefined };
}
