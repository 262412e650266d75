// What a created template will be, on one line (pure): "HKD 28.00 (original HKD 38.00), stock 1,000,
// 2027-06-01 00:00 HKT → 2027-08-31 23:59 HKT". Every plan format shows it for a create, so a price
// written in dollars or an extra zero in the stock is seen in review.
import { displayHongKongTime, formatCount, formatMoney } from './format-values.js';
import type { TemplateChange } from './plan-types.js';

export function createFacts(c: TemplateChange): string | undefined {
  const spec = c.record?.spec;
  if (c.action !== 'create' || !spec) return undefined;
  const currency = typeof spec.currencyCode === 'string' ? spec.currencyCode : 'HKD';
  const price = typeof spec.currentAmountCent === 'number' ? spec.currentAmountCent : undefined;
  const original = typeof spec.originalAmountCent === 'number' ? spec.originalAmountCent : undefined;
  const parts: string[] = [];
  if (price !== undefined)
    parts.push(
      `${formatMoney(price, currency)}${original === undefined ? '' : ` (original ${formatMoney(original, currency)})`}`,
    );
  else if (original !== undefined) parts.push(`original price ${formatMoney(original, currency)}`);
  parts.push(`stock ${formatCount(spec.stock)}`);
  parts.push(`${displayHongKongTime(spec.startDate)} → ${displayHongKongTime(spec.endDate)}`);
  return parts.join(', ');
}
