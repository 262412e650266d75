// A stock change at apply time: the updateBudget that takes a template from the stock the API just
// reported (in the change's `detail` request) to the files' value, never from the state's figure.
import type { ApiFailure } from '../api/api-result.js';
import type { UpdateBudgetRequest } from '../api/endpoints.js';
import type { ErrorCode } from '../diagnostics/error-codes.js';
import { budgetRequestId, type StateFile } from '../state/state-format.js';

export type StockStep =
  /** The API holds the target already (changed outside ipass, or an earlier attempt). */
  | { kind: 'in-place' }
  | { kind: 'send'; body: UpdateBudgetRequest }
  /** The detail just before did not say the stock: nothing can be worked out. */
  | { kind: 'unknown'; failure: ApiFailure };

export function stockStep(
  state: Pick<StateFile, 'lineage' | 'serial'>,
  address: string,
  templateCode: string,
  apiStock: number | undefined,
  target: number,
): StockStep {
  if (apiStock === undefined) return { kind: 'unknown', failure: stockNotReported(templateCode) };
  if (apiStock === target) return { kind: 'in-place' };
  const diff = target - apiStock;
  return {
    kind: 'send',
    body: {
      requestId: budgetRequestId(state.lineage, address, templateCode, apiStock, target, state.serial),
      templateCode,
      updateType: diff > 0 ? 'APPEND_BUDGET' : 'SUBTRACT_BUDGET',
      number: Math.abs(diff),
    },
  };
}

function stockNotReported(templateCode: string): ApiFailure {
  return {
    kind: 'business',
    code: 'STOCK_NOT_REPORTED' satisfies ErrorCode,
    message: `AlipayHK's detail of template ${templateCode} did not report its stock, so the change to the stock cannot be worked out.`,
    action: 'Run apply again later; if it persists, report it to AlipayHK (detail should carry `stock`).',
    inDoubt: false,
    priorAttemptInDoubt: false,
    endpoint: 'updateBudget',
  };
}
