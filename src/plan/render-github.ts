// `plan --format github` (pure): GitHub Actions annotations, then a short summary. Diagnostics are
// annotated as `validate --format github` does; irreversible changes as warnings and changes that
// customers notice (pause, rename) as notices, at the template's line (a close: its `removed:` entry).
import { formatGithubAnnotation } from '../diagnostics/diagnostic.js';
import { formatSummary } from './format-values.js';
import type { Plan } from './plan-types.js';
import { describeAction } from './render-text.js';

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
  const irreversible = plan.changes.filter((c) => c.irreversible).length;
  lines.push(
    `Plan for ${plan.environment}: ${formatSummary(plan.summary)}${irreversible ? ` (${irreversible} irreversible)` : ''}.`,
  );
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) lines.push(`${errors} error${errors === 1 ? '' : 's'}: the plan cannot be applied.`);
  return `${lines.join('\n')}\n`;
}
