// Campaign dates: ISO-8601 with a UTC offset, or epoch milliseconds → epoch milliseconds.
// Pure; a date without an offset is refused because the moment it names depends on the machine.

export type DateResult =
  | { ok: true; ms: number }
  | { ok: false; reason: 'no-offset' | 'format' | 'calendar' | 'range' };

/** Latest instant accepted (9999-12-31T23:59:59.999Z), as in the schema. */
export const MAX_EPOCH_MS = 253_402_300_799_999;

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const ISO_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

export function parseDateValue(value: unknown): DateResult {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return { ok: false, reason: 'format' };
    return value >= 0 && value <= MAX_EPOCH_MS ? { ok: true, ms: value } : { ok: false, reason: 'range' };
  }
  if (typeof value !== 'string') return { ok: false, reason: 'format' };
  const m = ISO.exec(value);
  if (!m) return { ok: false, reason: ISO_WITHOUT_OFFSET.test(value) ? 'no-offset' : 'format' };
  const n = (i: number): number => Number(m[i] ?? 0);
  const [year, month, day, hour, minute, second] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const [offsetHours, offsetMinutes] = [n(10), n(11)];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const fits =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 14 &&
    offsetMinutes <= 59;
  if (!fits) return { ok: false, reason: 'calendar' };
  const sign = m[9] === '-' ? -1 : 1;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const ms = utc - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return ms >= 0 && ms <= MAX_EPOCH_MS ? { ok: true, ms } : { ok: false, reason: 'range' };
}

/** An instant in Hong Kong time (UTC+08:00), the way campaign files usually write it. */
export function formatHongKongTime(ms: number): string {
  const shifted = new Date(ms + 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}
