// The contract of an endpoint's rules: read the request and the store, never change them; return
// the result code, the response fields, and the event to journal and apply when it succeeds.
import type { Failure, ResultCode } from '../result-codes.js';
import type { SandboxEvent, SandboxStore, StoredTemplate } from '../store.js';
import type { JsonObject } from './fields.js';

export interface RuleContext {
  body: JsonObject;
  /** The merchant of the authenticated client (already checked against the body). */
  merchantId: string;
  now: number;
  store: SandboxStore;
}

export interface Outcome {
  code: ResultCode;
  message?: string;
  /** Response fields next to the result object. */
  fields?: JsonObject;
  event?: SandboxEvent;
}

export type Handler = (ctx: RuleContext) => Outcome;

export function failed(failure: Failure): Outcome {
  return failure;
}

export function succeeded(fields?: JsonObject, event?: SandboxEvent): Outcome {
  const outcome: Outcome = { code: 'SUCCESS' };
  if (fields) outcome.fields = fields;
  if (event) outcome.event = event;
  return outcome;
}

/** Templates are visible to their own merchant only; anything else does not exist. */
export function findTemplate(
  ctx: RuleContext,
  code: unknown,
): { template: StoredTemplate } | { failure: Failure } {
  if (typeof code !== 'string' || code === '' || code.length > 64) {
    return {
      failure: { code: 'PARAM_ILLEGAL', message: 'templateCode is required (at most 64 characters)' },
    };
  }
  const template = ctx.store.template(code);
  if (!template || template.merchantId !== ctx.merchantId) {
    return { failure: { code: 'PASS_TEMPLATE_HAS_NOT_EXIT', message: `pass template ${code} not exist` } };
  }
  return { template };
}
