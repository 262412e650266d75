// Codes of a pass batch's life after issuing: updating the passes it issued and taking passes back.
import { diagnostic, type ErrorCodeInfo } from './code-info.js';

export const PASS_LIFE_CODES = {
  PASS_CODE_INFO_CHANGED: diagnostic(
    'plan',
    "A pass batch's codeInfo changed for passes already issued; a pass's code cannot be updated.",
  ),
  PASS_REVOKED_NOT_ISSUED: diagnostic('plan', 'A revoked recipient was never issued a pass by this batch.'),
} satisfies Record<string, ErrorCodeInfo>;
