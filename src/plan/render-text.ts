// The plan for a terminal or CI log: Terraform-like symbols, changed fields only, dates in Hong
// Kong time, a counts line last. Colour only when asked (the CLI asks on a TTY).

import { escapeControl } from '../diagnostics/terminal-text.js';
import { formatCount, formatPlanCounts, formatReason, formatValue } from './format-values.js';
import type { HeldBack, PassBatchChange, Plan, TemplateAction, TemplateChange } from './plan-types.js';
import { passLifeLines } from './render-pass-life.js';
import { sweepLines } from './sweep-lines.js';

export const SYMBOLS: Record<TemplateAction | 'issue', string> = {
  create: '+',
  update: '~',
  stock: '~',
  status: '~',
  replace: '±',
  close: '-',
  move: '>',
  import: '<=',
  noop: ' ',
  issue: '+',
};

const COLOURS: Record<string, number> = {
  '+': 32,
  '~': 33,
  '±': 31,
  '-': 31,
  '>': 36,
  '<=': 36,
  '!': 35,
};

export interface RenderTextOptions {
  color: boolean;
  /** List unchanged templates too. */
  showNoop?: boolean;
}

export function renderPlanText(plan: Plan, options: RenderTextOptions): string {
  const paint = (symbol: string, text: string): string =>
    options.color && COLOURS[symbol] ? `\u001b[${COLOURS[symbol]}m${text}\u001b[0m` : text;
  const lines: string[] = [];
  const managed = plan.changes.length;
  lines.push(
    `Environment ${plan.environment} · state serial ${plan.state.serial}${plan.state.exists ? '' : ' (no state yet)'} · ${formatCount(managed)} template${managed === 1 ? '' : 's'}, ${formatCount(plan.passBatches.length)} pass batch${plan.passBatches.length === 1 ? '' : 'es'}`,
  );
  if (plan.summary.resume > 0) {
    lines.push(
      '',
      `${formatCount(plan.summary.resume)} request(s) from an earlier apply ended in doubt; apply re-sends them first, with the same ids.`,
    );
  }
  const shown = plan.changes.filter(
    (c) => options.showNoop || c.action !== 'noop' || c.reasons.some((r) => r.path === 'protect'),
  );
  if (shown.length > 0 || plan.passBatches.some((b) => b.action !== 'noop')) lines.push('');
  for (const c of shown) {
    const symbol = SYMBOLS[c.action];
    lines.push(paint(symbol, `  ${symbol} ${c.address}  ${describeAction(c)}`));
    const currency = typeof c.record?.spec.currencyCode === 'string' ? c.record.spec.currencyCode : undefined;
    for (const r of c.reasons) lines.push(`      ${formatReason(r, currency)}`);
    if (c.customerImpact) lines.push(paint('!', `      ! ${c.customerImpact.text}`));
  }
  for (const b of plan.passBatches) {
    if (b.action === 'issue' || b.removed > 0 || b.heldBack) {
      const symbol = b.action === 'issue' ? '+' : ' ';
      lines.push(paint(symbol, `  ${symbol} ${b.address}  ${describeBatch(b)}`));
    }
    for (const l of passLifeLines(b)) {
      lines.push(paint(l.symbol, `  ${l.symbol} ${l.text}`));
      for (const d of l.details) lines.push(d.startsWith('! ') ? paint('!', `      ${d}`) : `      ${d}`);
    }
  }
  if (plan.drift.length > 0) {
    lines.push('', 'Drift: the API differs from the state (changed outside ipass):');
    for (const d of plan.drift) {
      lines.push(
        paint(
          '!',
          `  ! ${d.address} (${d.templateCode})  ${d.path}: ${formatValue(d.path, d.state)} in state, ${formatValue(d.path, d.remote)} remotely`,
        ),
      );
    }
  }
  if (!plan.refreshed && plan.lastSweep) lines.push('', ...sweepLines(plan.lastSweep, formatValue));
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  lines.push('', `Plan: ${formatPlanCounts(plan.summary, errors)}${errors ? ' (errors listed above)' : ''}.`);
  const closing = plan.passBatches.filter((b) => (b.close?.count ?? 0) > 0).length;
  const irreversible = plan.changes.filter((c) => c.irreversible).length + closing;
  if (irreversible > 0)
    lines.push(
      `${irreversible} change${irreversible === 1 ? ' is' : 's are'} irreversible (marked - or ±): closed templates cannot be reopened${closing ? ', closed passes cannot be given back' : ''}.`,
    );
  lines.push(...overrideLines(plan));
  return `${lines.join('\n')}\n`;
}

export function describeAction(c: TemplateChange): string {
  const irreversible = c.irreversible ? ' (irreversible)' : '';
  switch (c.action) {
    case 'create':
      return 'create';
    case 'move':
      return `move (from ${c.movedFrom ?? '?'})`;
    case 'noop':
      return 'unchanged';
    default:
      return `${c.action}${c.templateCode ? ` ${c.templateCode}` : ''}${irreversible}`;
  }
}

export function describeBatch(b: PassBatchChange): string {
  const parts: string[] = [];
  if (b.action === 'issue') parts.push(`issue ${formatCount(b.toIssue)} pass${b.toIssue === 1 ? '' : 'es'}`);
  else parts.push('nothing to issue');
  const notes: string[] = [];
  if (b.alreadyIssued > 0) notes.push(`${formatCount(b.alreadyIssued)} already issued, left as they are`);
  if (b.failedBefore > 0) notes.push(`${formatCount(b.failedBefore)} failed before, tried again`);
  if ((b.inDoubt ?? 0) > 0)
    notes.push(
      `${formatCount(b.inDoubt ?? 0)} with an unknown outcome, sent again with the same bizSerialId`,
    );
  if (b.removed > 0)
    notes.push(
      `${formatCount(b.removed)} removed from the file: reported, not revoked (\`revoked:\` takes passes back)`,
    );
  if (b.heldBack) notes.push(describeHeldBack(b.heldBack));
  return notes.length ? `${parts.join('')} (${notes.join('; ')})` : parts.join('');
}

/** "2 held back: USER_NOT_EXIST ×2; `--retry-failed` to try them again" (codes most frequent first). */
export function describeHeldBack(h: HeldBack): string {
  const codes = Object.entries(h.codes)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([code, n]) => `${escapeControl(code)} ×${formatCount(n)}`);
  return `${formatCount(h.count)} held back: ${codes.join(', ')}; \`--retry-failed\` to try them again`;
}

/** The `deny` policy rules this plan overrides on purpose, one line each (none: nothing). */
export function overrideLines(plan: Plan): string[] {
  const overrides = plan.policyOverrides ?? [];
  if (overrides.length === 0) return [];
  return [
    `Policy overridden on purpose (--allow-policy): ${[...new Set(overrides.map((o) => o.rule))].join(', ')}.`,
    ...overrides.map((o) => `  ! ${o.rule}: ${escapeControl(o.message)}`),
  ];
}
