// The rules of each of the seven endpoints, and the name of the result object each one answers with.
import type { EndpointName } from '../../api/endpoints.js';
import { createPass } from './create-pass.js';
import { createTemplate } from './create-template.js';
import { detail } from './detail.js';
import type { Handler } from './handler.js';
import { switchStatus } from './switch-status.js';
import { updateBudget } from './update-budget.js';
import { updatePass } from './update-pass.js';
import { updateTemplate } from './update-template.js';

export const HANDLERS: Readonly<Record<EndpointName, Handler>> = {
  createTemplate,
  updateTemplate,
  switchStatus,
  detail,
  updateBudget,
  createPass,
  updatePass,
};

/** As the docs show each endpoint: `result` on createPass and detail, `resultInfo` elsewhere. */
export const RESULT_KEY: Readonly<Record<EndpointName, 'result' | 'resultInfo'>> = {
  createTemplate: 'resultInfo',
  updateTemplate: 'resultInfo',
  switchStatus: 'resultInfo',
  detail: 'result',
  updateBudget: 'resultInfo',
  createPass: 'result',
  updatePass: 'resultInfo',
};

export type { Handler, Outcome, RuleContext } from './handler.js';
