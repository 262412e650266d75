// How one updatePass answer settles a pass (pure): changed; refused because the pass is not active
// (used, closed, or "closed, or used by the customer first" when a close of ours may have gone
// through: AlipayHK does not say which); failed (tried again next time); in doubt; or not sent.
import type { ApiFailure, ApiResult } from '../api/api-result.js';
import type { UpdatePassResponse } from '../api/endpoints.js';
import { type LifeWord, refusalLife } from '../state/pass-life.js';

export type ChangeSettlement =
  | { outcome: 'changed' }
  | { outcome: 'refused'; life: LifeWord; failure: ApiFailure }
  | { outcome: 'failed' | 'in-doubt' | 'not-sent'; failure: ApiFailure; stopsRun?: 'credentials' };

/**
 * `closeInDoubt`: a close of ours for this pass may have been applied already (an earlier apply's,
 * or an earlier attempt of this very request when it is a close).
 */
export function settleChangeAnswer(
  answer: ApiResult<UpdatePassResponse>,
  kind: 'U' | 'C',
  closeInDoubt: boolean,
): ChangeSettlement {
  if (answer.ok) return { outcome: 'changed' };
  const f = answer.failure;
  const ours = closeInDoubt || (kind === 'C' && f.priorAttemptInDoubt);
  const life = refusalLife(f.code, ours);
  if (life) return { outcome: 'refused', life, failure: f };
  if (f.kind === 'business') return { outcome: 'failed', failure: f };
  if (f.kind === 'credentials') return { outcome: 'failed', failure: f, stopsRun: 'credentials' };
  if (f.kind === 'client-bug') return { outcome: 'failed', failure: f };
  return { outcome: f.inDoubt ? 'in-doubt' : 'not-sent', failure: f };
}
