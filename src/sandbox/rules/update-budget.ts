// updateBudget (other-endpoints §6): APPEND / SUBTRACT (also the misspelt SUBTRACT__BUDGET) / OVERRIDE
// the stock. A replayed requestId answers SUCCESS again without applying; limit breaches are PARAM_ILLEGAL.
import { API_LIMITS, stockBelowIssued } from '../../api/api-limits.js';
import { effectiveStatus } from '../store.js';
import { checkFields, type FieldRule, integer, oneOf, text } from './fields.js';
import { failed, findTemplate, type Handler, succeeded } from './handler.js';

export const MAX_STOCK = API_LIMITS.stock.value.max;

/** updateType → the new total stock, given the current total and the passes issued. */
const UPDATES: Readonly<Record<string, (stock: number, issued: number, n: number) => number>> = {
  APPEND_BUDGET: (stock, _issued, n) => stock + n,
  SUBTRACT_BUDGET: (stock, _issued, n) => stock - n,
  SUBTRACT__BUDGET: (stock, _issued, n) => stock - n,
  // Sets the remaining (available) budget: total := issued + number.
  OVERRIDE_BUDGET: (_stock, issued, n) => issued + n,
};

const RULES: readonly FieldRule[] = [
  { field: 'updateType', code: 'PARAM_ILLEGAL', required: true, check: oneOf(Object.keys(UPDATES)) },
  {
    field: 'number',
    code: 'PARAM_ILLEGAL',
    required: true,
    check: integer(API_LIMITS.budgetNumber.value.min, API_LIMITS.budgetNumber.value.max),
  },
];

export const updateBudget: Handler = (ctx) => {
  const { body, merchantId, store, now } = ctx;
  const badId = checkFields(body, [
    { field: 'requestId', code: 'PARAM_ILLEGAL', required: true, check: text(128) },
  ]);
  if (badId) return failed(badId);
  const requestId = body.requestId as string;
  if (store.budgetRequest(merchantId, requestId) !== undefined) return succeeded();

  const found = findTemplate(ctx, body.templateCode);
  if ('failure' in found) return failed(found.failure);
  const bad = checkFields(body, RULES);
  if (bad) return failed(bad);
  const t = found.template;
  const status = effectiveStatus(t, now);
  if (status === 'closed' || status === 'expired') {
    return failed({
      code: 'PASS_TEMPLATE_STATUS_ILLEGAL',
      message: `the budget of a ${status} template cannot change`,
    });
  }
  const update = UPDATES[body.updateType as string];
  const stock = update ? update(t.stock, t.issued, body.number as number) : t.stock;
  if (stock > MAX_STOCK) {
    return failed({ code: 'PARAM_ILLEGAL', message: `total budget would be ${stock}, above ${MAX_STOCK}` });
  }
  if (stockBelowIssued(stock, t.issued)) {
    return failed({
      code: 'PARAM_ILLEGAL',
      message: `budget cannot go below the ${t.issued} passes already issued`,
    });
  }
  return succeeded(undefined, {
    e: 'budget',
    at: now,
    templateCode: t.templateCode,
    merchantId,
    requestId,
    stock,
  });
};
