// How one createPass answer settles its recipient (pure): issued (with the passId the API gave),
// confirmed (the pass exists and can only be ours), failed, in doubt, or not sent; and whether it
// stops the batch (every further row would fail the same way) or the whole run (credentials).
import type { ApiFailure, ApiResult } from '../api/api-result.js';
import type { CreatePassResponse } from '../api/endpoints.js';
import { outOfPlace } from '../apply/answer-checks.js';

/** What is known of the recipient before its answer. */
export interface PassAttempt {
  /** The ledger has an intent without an outcome for it: an earlier attempt may have been applied. */
  inDoubt: boolean;
  /** Its bizSerialId is derived from the batch and the user, so no one else can have used it. */
  derived: boolean;
}

export type PassSettlement =
  | { outcome: 'issued'; passId: string }
  | { outcome: 'confirmed' }
  | {
      outcome: 'failed' | 'in-doubt' | 'not-sent';
      failure: ApiFailure;
      /** A signed answer that was not this request's (a passId answered before, for another recipient). */
      outOfPlace?: true;
      /** Why no further row of the batch is sent. */
      stopsBatch?: string;
      /** The credentials were refused: nothing more is sent in this run. */
      stopsRun?: 'credentials';
    };

const EXISTS: ReadonlySet<string> = new Set(['PASS_HAS_EXIST', 'PASS_HAS_EXIT']);

/** Failures that every further row of the batch would get too: stop the batch after one. */
export const TEMPLATE_WIDE: ReadonlySet<string> = new Set([
  'PASS_TEMPLATE_HAS_NOT_EXIT',
  'PASS_TEMPLATE_HAS_NOT_EXIST',
  'PASS_TYPE_NOT_MATCH',
  'PASS_PRODUCT_TYPE_NOT_MATCH',
  'PASS_TEMPLATE_JSON_CONTENT_IS_NULL',
  'PASS_TEMPLATE_STATUS_ILLEGAL',
  'PASS_TEMPLATE_STOCK_NOT_ENOUGH',
]);

/** `answeredPassIds`: the passIds this run has been answered with so far, for other recipients. */
export function settlePassAnswer(
  answer: ApiResult<CreatePassResponse>,
  attempt: PassAttempt,
  answeredPassIds: ReadonlySet<string>,
): PassSettlement {
  if (answer.ok) {
    const passId = answer.data.passId;
    if (!answeredPassIds.has(passId)) return { outcome: 'issued', passId };
    // A passId already answered for another recipient is a replayed answer, not this one's.
    const replay = outOfPlace('createPass', answer, `pass ${passId} was answered for another recipient`);
    return { outcome: 'in-doubt', failure: replay.failure, outOfPlace: true };
  }
  const f = answer.failure;
  // A derived id is unique to this batch and user, so an existing pass with it can only be ours.
  if (EXISTS.has(f.code) && (attempt.inDoubt || f.priorAttemptInDoubt || attempt.derived))
    return { outcome: 'confirmed' };
  if (f.kind === 'business')
    return TEMPLATE_WIDE.has(f.code)
      ? { outcome: 'failed', failure: f, stopsBatch: `${f.code}: ${f.message}` }
      : { outcome: 'failed', failure: f };
  const stop =
    f.kind === 'credentials'
      ? { stopsRun: 'credentials' as const }
      : f.kind === 'client-bug'
        ? { stopsBatch: `${f.code}: ${f.message}` }
        : {};
  return { outcome: f.inDoubt || attempt.inDoubt ? 'in-doubt' : 'not-sent', failure: f, ...stop };
}
