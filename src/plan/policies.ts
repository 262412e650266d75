// Business guardrails from the config's `policies:` (pure): discount, stock, price bounds, passes per
// apply and the hosts addresses may point to. Checked on what a plan sends: new templates, and the
// values of existing ones that change (values already live are not checked again). A `deny` finding
// is an error (POLICY_DENIED) unless its rule is allowed on purpose (--allow-policy), then a warning
// (POLICY_OVERRIDDEN) recorded in the plan; a `warn` finding is a warning (POLICY_WARNING).
import type { TemplateBody } from '../campaign/types.js';
import type { PolicyConfig } from '../config/config.generated.js';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { formatCount, formatMoney } from './format-values.js';
import { type PolicyFinding, urlFindings } from './policy-hosts.js';

export const POLICY_RULES = [
  'maxDiscountPercent',
  'maxStock',
  'minPriceCent',
  'maxPriceCent',
  'maxPassesPerApply',
  'allowedUrlHosts',
] as const;
export type PolicyRule = (typeof POLICY_RULES)[number];

export function isPolicyRule(name: string): name is PolicyRule {
  return (POLICY_RULES as readonly string[]).includes(name);
}

/** A `deny` rule broken on purpose (allowed with --allow-policy): the plan and the apply say so. */
export interface PolicyOverride {
  rule: PolicyRule;
  /** The templates or pass batches concerned. */
  addresses: string[];
  /** What the rule found, in plain words. */
  message: string;
}

export interface PolicyTemplate {
  address: string;
  body: TemplateBody;
  /** Where each top-level field is written. */
  fields: Readonly<Record<string, SourcePosition>>;
  source: SourcePosition;
  /** The body the API has now (state); undefined for a template the plan creates. */
  before?: TemplateBody | undefined;
}

export interface PolicyBatch {
  address: string;
  /** Passes this plan issues from the batch. */
  toIssue: number;
  source?: SourcePosition | undefined;
}

export interface PolicyCheckInput {
  policies: PolicyConfig;
  templates: readonly PolicyTemplate[];
  batches: readonly PolicyBatch[];
  /** Rules allowed on purpose (apply/plan --allow-policy). */
  allowed: ReadonlySet<string>;
}

export interface PolicyCheckResult {
  diagnostics: Diagnostic[];
  overrides: PolicyOverride[];
}

const AMOUNTS = ['currentAmountCent', 'originalAmountCent'] as const;

export function checkPolicies(input: PolicyCheckInput): PolicyCheckResult {
  const findings: PolicyFinding[] = [];
  const { policies } = input;
  for (const t of input.templates) {
    findings.push(...templateFindings(policies, t));
    if (policies.allowedUrlHosts) findings.push(...urlFindings(policies.allowedUrlHosts.hosts, t));
  }
  const passes = passesFinding(policies, input.batches);
  if (passes) findings.push(passes);

  const diagnostics: Diagnostic[] = [];
  const overrides: PolicyOverride[] = [];
  for (const f of findings) {
    const level = policies[f.rule]?.level ?? 'deny';
    const where = { ...(f.position ? { position: f.position } : {}) };
    if (level === 'warn') {
      diagnostics.push({
        severity: 'warning',
        code: 'POLICY_WARNING',
        message: `Policy ${f.rule}: ${f.message}`,
        hint: `The rule's level is warn, so the plan goes on; make sure it is meant. ${f.fix}`,
        ...where,
      });
    } else if (input.allowed.has(f.rule)) {
      overrides.push({ rule: f.rule, addresses: f.addresses, message: f.message });
      diagnostics.push({
        severity: 'warning',
        code: 'POLICY_OVERRIDDEN',
        message: `Policy ${f.rule} overridden on purpose (--allow-policy ${f.rule}): ${f.message}`,
        hint: 'The plan records the override; leave out --allow-policy to have the rule stop it again.',
        ...where,
      });
    } else {
      diagnostics.push({
        severity: 'error',
        code: 'POLICY_DENIED',
        message: `Policy ${f.rule}: ${f.message}`,
        hint: `${f.fix} If it is meant, apply with \`--allow-policy ${f.rule}\` (the plan and the apply then say the rule was overridden). The rule is under \`policies:\` in the config.`,
        ...where,
      });
    }
  }
  return { diagnostics, overrides };
}

function templateFindings(policies: PolicyConfig, t: PolicyTemplate): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  const { body, before } = t;
  const changed = (field: string): boolean => before === undefined || before[field] !== body[field];
  const at = (field: string): SourcePosition => t.fields[field] ?? t.source;
  const currency = typeof body.currencyCode === 'string' ? body.currencyCode : 'HKD';
  const money = (cents: number): string => formatMoney(cents, currency);
  const amount = (field: string): number | undefined =>
    typeof body[field] === 'number' ? (body[field] as number) : undefined;

  const discount = policies.maxDiscountPercent;
  const current = amount('currentAmountCent');
  const original = amount('originalAmountCent');
  if (discount && current !== undefined && original !== undefined && original > 0) {
    const percent = ((original - current) / original) * 100;
    if (percent > discount.limit && (changed('currentAmountCent') || changed('originalAmountCent'))) {
      out.push({
        rule: 'maxDiscountPercent',
        addresses: [t.address],
        message: `${t.address} sells at ${money(current)}, ${roundPercent(percent)}% off its original ${money(original)}; the limit is ${discount.limit}%.`,
        fix: 'Check currentAmountCent and originalAmountCent (both in cents: 2800 is HKD 28.00).',
        position: at('currentAmountCent'),
      });
    }
  }
  const stock = policies.maxStock;
  if (stock && body.stock > stock.limit && changed('stock')) {
    out.push({
      rule: 'maxStock',
      addresses: [t.address],
      message: `${t.address} has stock ${formatCount(body.stock)}; the limit is ${formatCount(stock.limit)}.`,
      fix: 'Check `stock` for a typo (an extra zero).',
      position: at('stock'),
    });
  }
  for (const field of AMOUNTS) {
    const value = amount(field);
    if (value === undefined || !changed(field)) continue;
    const min = policies.minPriceCent;
    if (min && value < min.limit) {
      out.push({
        rule: 'minPriceCent',
        addresses: [t.address],
        message: `\`${field}\` of ${t.address} is ${formatCount(value)} cents (${money(value)}); the lowest allowed is ${formatCount(min.limit)} (${money(min.limit)}).`,
        fix: `Amounts are in cents: ${money(value * 100)} is ${value * 100}.`,
        position: at(field),
      });
    }
    const max = policies.maxPriceCent;
    if (max && value > max.limit) {
      out.push({
        rule: 'maxPriceCent',
        addresses: [t.address],
        message: `\`${field}\` of ${t.address} is ${formatCount(value)} cents (${money(value)}); the highest allowed is ${formatCount(max.limit)} (${money(max.limit)}).`,
        fix: 'Amounts are in cents: check for extra digits.',
        position: at(field),
      });
    }
  }
  return out;
}

function passesFinding(policies: PolicyConfig, batches: readonly PolicyBatch[]): PolicyFinding | undefined {
  const rule = policies.maxPassesPerApply;
  if (!rule) return undefined;
  const issuing = batches.filter((b) => b.toIssue > 0).sort((a, b) => b.toIssue - a.toIssue);
  const total = issuing.reduce((n, b) => n + b.toIssue, 0);
  if (total <= rule.limit) return undefined;
  const each = issuing.map((b) => `${b.address} ${formatCount(b.toIssue)}`).join(', ');
  return {
    rule: 'maxPassesPerApply',
    addresses: issuing.map((b) => b.address),
    message: `this apply would issue ${formatCount(total)} passes (${each}); the limit is ${formatCount(rule.limit)}.`,
    fix: 'Check the recipients files, or issue in smaller steps (fewer rows per apply).',
    ...(issuing[0]?.source ? { position: issuing[0].source } : {}),
  };
}

/** 95, 33.3: one decimal at most. */
function roundPercent(percent: number): string {
  return String(Math.round(percent * 10) / 10);
}
