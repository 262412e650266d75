// What a template change (or a re-sent request) came to: done, failed, in doubt or skipped, and the
// failure behind it, as the apply summary and the reporter show it.
import type { ApiFailure } from '../api/api-result.js';
import type { EndpointName } from '../api/endpoints.js';
import type { Reason, TemplateAction } from '../plan/plan-types.js';

export type OutcomeStatus = 'done' | 'failed' | 'in-doubt' | 'skipped';

export interface ChangeFailure {
  endpoint: EndpointName;
  kind: ApiFailure['kind'];
  code: string;
  message: string;
  action: string;
  inDoubt: boolean;
  tracerId?: string;
}

export interface ChangeOutcome {
  address: string;
  action: TemplateAction | 'resume';
  status: OutcomeStatus;
  requestsSent: number;
  failure?: ChangeFailure;
  /**
   * An import whose plan showed no update: how the adopted template differs from the files (nothing
   * was sent to change it; the next plan shows these for review).
   */
  differences?: Reason[];
}

export function toFailure(f: ApiFailure): ChangeFailure {
  return {
    endpoint: f.endpoint,
    kind: f.kind,
    code: f.code,
    message: f.message,
    action: f.action,
    inDoubt: f.inDoubt,
    ...(f.tracerId ? { tracerId: f.tracerId } : {}),
  };
}

export function failedOutcome(
  address: string,
  action: ChangeOutcome['action'],
  sent: number,
  f: ApiFailure,
): ChangeOutcome {
  return {
    address,
    action,
    status: f.inDoubt ? 'in-doubt' : 'failed',
    requestsSent: sent,
    failure: toFailure(f),
  };
}

export function skippedOutcome(address: string, action: ChangeOutcome['action'], sent = 0): ChangeOutcome {
  return { address, action, status: 'skipped', requestsSent: sent };
}
