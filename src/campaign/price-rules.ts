// Prices that a schema cannot judge (pure): an HKD amount under 100 cents is most likely written in
// dollars (a warning naming both readings), and a selling price above the original is an error.
// Amounts are whole cents; the hints for prices written some other way speak of cents too.
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';

export interface PriceInput {
  /** "template coffee-voucher". */
  owner: string;
  /** The template after `defaults` were merged. */
  merged: Readonly<Record<string, unknown>>;
  /** Where a field's value is written, and its JSON path. */
  at: (field: string) => { position: SourcePosition; path: string };
  /** Whether the schema already found the field's value wrong (then it is not judged again). */
  wrong: (field: string) => boolean;
}

const AMOUNTS = ['currentAmountCent', 'originalAmountCent'] as const;

/** "HK$28.00": how the wallet writes a Hong Kong dollar price. */
export function hkDollars(cents: number): string {
  return `HK$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;
}

export function priceDiagnostics(input: PriceInput): Diagnostic[] {
  const { merged } = input;
  const out: Diagnostic[] = [];
  const currency = typeof merged.currencyCode === 'string' ? merged.currencyCode : 'HKD';
  const amount = (field: string): number | undefined => {
    const v = merged[field];
    return typeof v === 'number' && Number.isSafeInteger(v) && !input.wrong(field) ? v : undefined;
  };
  if (currency === 'HKD') {
    for (const field of AMOUNTS) {
      const cents = amount(field);
      if (cents === undefined || cents <= 0 || cents >= 100) continue;
      out.push({
        severity: 'warning',
        code: 'TEMPLATE_PRICE_IN_DOLLARS',
        message: `\`${field}\` of ${input.owner} is ${cents} cents (${hkDollars(cents)}): did you mean ${cents * 100} (${hkDollars(cents * 100)})?`,
        hint: `Amounts are in cents: ${hkDollars(cents * 100)} is ${cents * 100}. If ${hkDollars(cents)} is really meant, leave it as it is.`,
        ...input.at(field),
      });
    }
  }
  const current = amount('currentAmountCent');
  const original = amount('originalAmountCent');
  if (current !== undefined && original !== undefined && current > original) {
    const money = (cents: number): string =>
      currency === 'HKD' ? hkDollars(cents) : `${currency} ${hkDollars(cents).slice(3)}`;
    out.push({
      severity: 'error',
      code: 'TEMPLATE_PRICE_ABOVE_ORIGINAL',
      message: `The selling price of ${input.owner}, currentAmountCent ${current} (${money(current)}), is above its original price, originalAmountCent ${original} (${money(original)}).`,
      hint: 'The original price is the price before the offer, so it is not the lower one: swap the two, or correct the one that is wrong (both in cents: 2800 is HK$28.00).',
      ...input.at('currentAmountCent'),
    });
  }
  return out;
}

/**
 * How to write an amount that is not whole cents (a hint for a wrong type): "HKD 28", "$28.50" and
 * 28.5 read as dollars give the cents they mean. Linear: one anchored pass without nested repeats.
 */
export function amountHint(value: unknown): string {
  const dollars =
    typeof value === 'number' ? value : typeof value === 'string' ? dollarsIn(value) : undefined;
  if (dollars !== undefined && Number.isFinite(dollars) && dollars >= 0 && dollars <= 1_000_000) {
    const cents = Math.round(dollars * 100);
    return `Amounts are whole cents, written as a plain number without a currency: ${hkDollars(cents)} is ${cents}.`;
  }
  return 'Amounts are whole cents, written as a plain number without a currency: HK$28.50 is 2850.';
}

const MONEY_TEXT = /^(?:HK\$|HKD|\$)? ?(\d{1,7})(?:\.(\d{1,2}))?(?: ?HKD)?$/i;

function dollarsIn(text: string): number | undefined {
  const m = MONEY_TEXT.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) + Number((m[2] ?? '0').padEnd(2, '0')) / 100;
}
