// `plan --format github` (pure): GitHub Actions annotations, then a short summary. Diagnostics are
// annotated as `validate --format github` does; irreversible changes as warnings and changes that
// customers notice (pause, rename) as notices, at the template's line (a close: its `removed:` entry).
import { formatGithubAnnotation } from '../diagnostics/diagnostic.js';
import { escapeControl } from '../diagnostics/terminal-text.js';
import { createFacts } from './change-facts.js';
import { formatPlanCounts } from './format-values.js';
import type { Plan } from './plan-types.js';
import { describeAction, describeBatch, overrideLines, SYMBOLS } from './render-text.js';

export function renderPlanGithub(plan: Plan): string {
  const lines = plan.diagnostics.map((d) => formatGithubAnnotation(d));
  for (const c of plan.changes) {
    if (!c.irreversible && !c.customerImpact) continue;
    const what = `${c.address}: ${describeAction(c)}`;
    lines.push(
      formatGithubAnnotation({
        severity: c.irreversible ? 'warning' : 'notice',
        code: c.irreversible ? 'PLAN_IRREVERSIBLE' : 'PLAN_CUSTOMER_IMPACT',
        message: c.customerImpact ? `${what}. ${c.customerImpact.text}` : `${what}.`,
        ...(c.source ? { position: c.source } : {}),
      }),
    );
  }
  // One line per change, so the log reads as the plan does; a create says what it will be.
  for (const c of plan.changes) {
    if (c.action === 'noop') continue;
    const facts = createFacts(c);
    lines.push(
      `${SYMBOLS[c.action]} ${escapeControl(c.address)}  ${describeAction(c)}${facts ? `: ${facts}` : ''}`,
    );
  }
  for (const b of plan.passBatches)
    if (b.heldBack) lines.push(`  ${escapeControl(b.address)}  ${describeBatch(b)}`);
  const irreversible = plan.changes.filter((c) => c.irreversible).length;
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  lines.push(
    `Plan for ${plan.environment}: ${formatPlanCounts(plan.summary, errors)}${irreversible ? ` (${irreversible} irreversible)` : ''}.`,
  );
  lines.push(...overrideLines(plan));
  return `${lines.join('\n')}\n`;
}
