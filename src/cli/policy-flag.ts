// `--allow-policy RULE` (repeatable), shared by plan and apply: a `deny` policy rule overridden on
// purpose. An unknown rule name is a usage error, so a typo never looks like an override.
import { IpassError } from '../diagnostics/errors.js';
import { isPolicyRule, POLICY_RULES } from '../plan/policies.js';

export const ALLOW_POLICY_HELP =
  'override a `deny` policy rule on purpose (repeatable); the plan and the apply say so';

/** commander's collector for --allow-policy: each value checked, all kept in order. */
export function collectAllowPolicy(value: string, previous: string[] = []): string[] {
  if (!isPolicyRule(value)) {
    throw new IpassError('BAD_FLAG', `--allow-policy takes a policy rule name, not "${value}".`, {
      hint: `Rules: ${POLICY_RULES.join(', ')}.`,
    });
  }
  return previous.includes(value) ? previous : [...previous, value];
}
