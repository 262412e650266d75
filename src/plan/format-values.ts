// How values read in plans: dates in Hong Kong time, money as currency, counts with separators,
// long text shortened. Pure.
import { formatHongKongTime } from '../campaign/dates.js';
import { escapeControl } from '../diagnostics/terminal-text.js';
import type { PlanSummary, Reason } from './plan-types.js';

const DATE_FIELDS = new Set(['startDate', 'endDate', 'bizCreate']);
const MONEY_FIELDS = new Set(['currentAmountCent', 'originalAmountCent']);

/** "2027-06-01 00:00 HKT": Hong Kong time as a plan shows it (minutes, no offset digits). */
export function displayHongKongTime(ms: number): string {
  const iso = formatHongKongTime(ms);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} HKT`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatMoney(cents: number, currency = 'HKD'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${currency} ${sign}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

export function shorten(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ');
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

/** One value as a human reads it, given the field it belongs to (control characters escaped). */
export function formatValue(path: string, value: unknown, currency?: string): string {
  return escapeControl(valueText(path, value, currency));
}

function valueText(path: string, value: unknown, currency?: string): string {
  if (value === undefined) return '(none)';
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  if (typeof value === 'number' && DATE_FIELDS.has(leaf)) return displayHongKongTime(value);
  if (typeof value === 'number' && MONEY_FIELDS.has(leaf)) return formatMoney(value, currency);
  if (typeof value === 'number') return formatCount(value);
  if (typeof value === 'string') return JSON.stringify(shorten(value));
  return shorten(JSON.stringify(value), 80);
}

/** "field: before → after", or the note. */
export function formatReason(r: Reason, currency?: string): string {
  const label = escapeControl(r.path);
  if (r.note && r.before === undefined && r.after === undefined) return `${label}: ${escapeControl(r.note)}`;
  const hasBefore = 'before' in r;
  const hasAfter = 'after' in r;
  let text: string;
  if (hasBefore && hasAfter)
    text = `${formatValue(r.path, r.before, currency)} → ${formatValue(r.path, r.after, currency)}`;
  else if (hasAfter) text = formatValue(r.path, r.after, currency);
  else text = `${formatValue(r.path, r.before, currency)} → (removed)`;
  return r.note ? `${label}: ${text} (${escapeControl(r.note)})` : `${label}: ${text}`;
}

/**
 * The plan's count line without "Plan:": the counts, or with errors "1 to create; 2 errors, so it
 * cannot be applied" — a plan with errors never reads as "no changes".
 */
export function formatPlanCounts(s: PlanSummary, errors: number): string {
  const counts = formatSummary(s);
  if (errors === 0) return counts;
  const problems = `${formatCount(errors)} error${errors === 1 ? '' : 's'}, so it cannot be applied`;
  return counts === 'no changes' ? problems : `${counts}; ${problems}`;
}

/** "2 to create, 1 to update, 1 to close, 40 passes to issue" — only the non-zero counts. */
export function formatSummary(s: PlanSummary): string {
  const parts: string[] = [];
  const add = (n: number, text: string): void => {
    if (n > 0) parts.push(`${formatCount(n)} ${text}`);
  };
  add(s.resume, s.resume === 1 ? 'earlier request to resume' : 'earlier requests to resume');
  add(s.create, 'to create');
  add(s.update, 'to update');
  add(s.stock, `stock change${s.stock === 1 ? '' : 's'}`);
  add(s.status, `status change${s.status === 1 ? '' : 's'}`);
  add(s.replace, 'to replace');
  add(s.close, 'to close');
  add(s.move, s.move === 1 ? 'move' : 'moves');
  add(s.import ?? 0, 'to import');
  add(s.passes, s.passes === 1 ? 'pass to issue' : 'passes to issue');
  add(s.passUpdates ?? 0, s.passUpdates === 1 ? 'issued pass to update' : 'issued passes to update');
  add(
    s.passCloses ?? 0,
    s.passCloses === 1 ? 'pass to close (irreversible)' : 'passes to close (irreversible)',
  );
  const counts = parts.length ? parts.join(', ') : 'no changes';
  const held = s.passesHeldBack ?? 0;
  return held > 0 ? `${counts} (${formatCount(held)} recipient${held === 1 ? '' : 's'} held back)` : counts;
}
