// Finishing what an earlier apply left in doubt: each pending createTemplate or updateBudget is sent
// again verbatim (same requestId, so the API answers a replay with its first result); a definite
// outcome takes it off the pending list, in the same write as the state change it makes.
import type { ApiRequest } from '../api/api-caller.js';
import type { CreateTemplateRequest, UpdateBudgetRequest } from '../api/endpoints.js';
import { IpassError } from '../diagnostics/errors.js';
import type { IntentMeta, JournalRecord } from '../state/journal-records.js';
import type { PendingRequest } from '../state/state-format.js';
import type { Execution } from './execution.js';
import { recordsAfter } from './mutations.js';
import { type ChangeOutcome, failedOutcome } from './outcomes.js';

/** Re-send each in-doubt request of an earlier apply verbatim (same requestId). */
export async function resolvePending(
  run: Execution,
  pending: readonly PendingRequest[],
): Promise<ChangeOutcome[]> {
  // Every one is checked before the first goes out.
  const requests = pending.map((p) => ({ p, request: pendingRequest(p) }));
  const outcomes: ChangeOutcome[] = [];
  for (const { p, request } of requests) {
    if (run.stopping) break;
    const done: JournalRecord = { t: 'pending-done', address: p.address, requestId: request.body.requestId };
    const meta = metaOf(p);
    const onCreate = { spec: p.spec ?? p.body, ...meta };
    const result = await run
      .send(p.address, request, meta, (answer) =>
        answer.result.ok
          ? [...recordsAfter(p.address, run.state.templates[p.address], answer, onCreate, undefined), done]
          : [done],
      )
      .catch((error: unknown) => run.fail(error));
    if (!result) break;
    outcomes.push(
      result.ok
        ? { address: p.address, action: 'resume', status: 'done', requestsSent: 1 }
        : failedOutcome(p.address, 'resume', 1, result.failure),
    );
  }
  return outcomes;
}

type PendingApiRequest = Extract<ApiRequest, { endpoint: PendingRequest['endpoint'] }>;

/** The pending request as it was sent; the state's schema checks only that its body is an object. */
function pendingRequest(p: PendingRequest): PendingApiRequest {
  const body = p.body;
  if (p.endpoint === 'createTemplate' && isCreateTemplateBody(body)) return { endpoint: p.endpoint, body };
  if (p.endpoint === 'updateBudget' && isUpdateBudgetBody(body)) return { endpoint: p.endpoint, body };
  throw new IpassError(
    'STATE_CORRUPT',
    `The state's pending ${p.endpoint} request for ${p.address} is not one ipass sends (its body lacks a field the API requires).`,
    {
      reason: 'It cannot be re-sent verbatim, so whether it was applied cannot be settled. Nothing was sent.',
      hint: 'Restore the state from its backup; if it was edited by hand, undo that edit.',
    },
  );
}

function isCreateTemplateBody(body: Record<string, unknown>): body is CreateTemplateRequest {
  return (
    typeof body.requestId === 'string' &&
    ['startDate', 'endDate', 'stock'].every((k) => typeof body[k] === 'number') &&
    ['type', 'product', 'codeType', 'codeStandard'].every((k) => typeof body[k] === 'string')
  );
}

const BUDGET_TYPES: readonly unknown[] = ['APPEND_BUDGET', 'SUBTRACT_BUDGET', 'OVERRIDE_BUDGET'];

function isUpdateBudgetBody(body: Record<string, unknown>): body is UpdateBudgetRequest {
  return (
    typeof body.requestId === 'string' &&
    typeof body.templateCode === 'string' &&
    typeof body.number === 'number' &&
    BUDGET_TYPES.includes(body.updateType)
  );
}

function metaOf(p: PendingRequest): IntentMeta {
  const meta: IntentMeta = {};
  if (p.generation !== undefined) meta.generation = p.generation;
  if (p.spec !== undefined) meta.spec = p.spec;
  if (p.status !== undefined) meta.status = p.status;
  if (p.protect !== undefined) meta.protect = p.protect;
  if (p.supersedes !== undefined) meta.supersedes = p.supersedes;
  if (p.stock !== undefined) meta.stock = p.stock;
  return meta;
}
