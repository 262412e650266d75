// The planner's diagnostics about templates: protected templates, status transitions the API
// refuses. Pure.
import type { DesiredTemplate } from '../campaign/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** switchStatus transitions the API allows (other-endpoints.md §1). */
export const TRANSITIONS: Record<string, readonly string[]> = {
  frozen: ['valid'],
  valid: ['paused', 'closed'],
  paused: ['valid', 'closed'],
};

export function protectedError(d: DesiredTemplate, what: 'close' | 'replace'): Diagnostic {
  return {
    severity: 'error',
    code: 'TEMPLATE_PROTECTED',
    message: `${d.address} is protected, so it will not be ${what === 'close' ? 'closed' : 'replaced (which closes the current template)'}.`,
    hint:
      what === 'close'
        ? 'Remove `status: closed`, or set `protect: false` if closing it is really intended.'
        : 'Undo the change of type/product/codeType/codeStandard, or set `protect: false` if replacing it is really intended.',
    position: d.fields.protect ?? d.source,
  };
}

export function transitionError(d: DesiredTemplate, from: string): Diagnostic {
  const allowed = TRANSITIONS[from] ?? [];
  return {
    severity: 'error',
    code: 'TEMPLATE_STATUS_TRANSITION',
    message: `${d.address} is ${from}; it cannot become ${d.status}.`,
    hint: allowed.length
      ? `From ${from} it can only become: ${allowed.join(', ')}.`
      : `A ${from} template cannot change status; give this campaign entry a new key to create a new template.`,
    position: d.fields.status ?? d.source,
  };
}
