// An answer checked before it is recorded: a refused status switch that is in place already (asked
// with detail), a createTemplate answer naming another address's template (a replay: out of place);
// and the failures ipass gives a request itself when an answer cannot be trusted or recorded.
import type { ApiCaller, Exchange } from '../api/api-caller.js';
import type { ApiFailed, ApiResult } from '../api/api-result.js';
import { CLIENT_CODES } from '../api/client-codes.js';
import type { EndpointName } from '../api/endpoints.js';
import type { ErrorCode } from '../diagnostics/error-codes.js';

export interface AnswerContext {
  client: ApiCaller;
  /** The address whose template (current or replaced) has this code, if any. */
  ownerOf(templateCode: string): string | undefined;
}

/** The exchange as it counts for `address`: the answer, or what ipass makes of it. */
export async function checkedAnswer(ctx: AnswerContext, address: string, x: Exchange): Promise<Exchange> {
  if (x.endpoint === 'switchStatus' && !x.result.ok && x.result.failure.code === 'STATE_MACHINE_ILLEGAL') {
    // Already in the target status (e.g. an earlier attempt whose answer was lost)? Then it is done.
    const detail = await ctx.client.call('detail', { templateCode: x.body.templateCode });
    if (detail.ok && detail.data.status === x.body.status)
      return { ...x, result: { ...detail, data: { status: detail.data.status } } };
  }
  if (x.endpoint === 'createTemplate' && x.result.ok) {
    const code = x.result.data.templateCode;
    const owner = ctx.ownerOf(code);
    // A verified answer naming another address's template cannot be this request's (a replay).
    if (owner !== undefined && owner !== address)
      return { ...x, result: outOfPlace(x.endpoint, x.result, `template ${code} belongs to ${owner}`) };
  }
  return x;
}

/** A signed answer that is not this request's: in doubt, settled by re-sending with the same ids. */
export function outOfPlace(endpoint: EndpointName, result: ApiResult<unknown>, why: string): ApiFailed {
  const info = CLIENT_CODES.RESPONSE_OUT_OF_PLACE;
  return {
    ok: false,
    attempts: result.attempts,
    failure: {
      kind: info.kind,
      code: 'RESPONSE_OUT_OF_PLACE',
      message: `${info.meaning} (${why})`,
      action: info.action,
      inDoubt: true,
      priorAttemptInDoubt: false,
      endpoint,
      ...(result.ok && result.tracerId ? { tracerId: result.tracerId } : {}),
    },
  };
}

/** A definite outcome that could not be recorded: in doubt, as far as the next apply can tell. */
export function unrecorded(endpoint: EndpointName, result: ApiResult<unknown>): ApiFailed {
  return {
    ok: false,
    attempts: result.attempts,
    failure: {
      kind: 'unknown',
      code: 'STATE_NOT_RECORDED' satisfies ErrorCode,
      message: 'the API answered, but its answer could not be recorded in the state',
      action: 'The next apply sends it again with the same ids to settle it.',
      inDoubt: true,
      priorAttemptInDoubt: false,
      endpoint,
    },
  };
}
