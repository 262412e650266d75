// A date written the way people write it in Hong Kong (25/12/2026, 25.12.2026 10:00, 2026/12/25),
// read back as the ISO-8601 Hong Kong time the campaign file needs. Pure; one anchored regex
// without nested repeats, so it runs in linear time on any text.

export interface DateSuggestion {
  /** 2026-12-25T00:00:00+08:00 */
  iso: string;
  /** More to say: which reading was taken when day and month could swap, the other end of the day. */
  note: string;
}

const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const YEAR_FIRST = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const pad = (n: number): string => String(n).padStart(2, '0');

export function readDayMonthYear(text: string, field: string): DateSuggestion | undefined {
  const value = text.trim();
  let year: number;
  let month: number;
  let day: number;
  let note = '';
  let time: RegExpExecArray;
  const dayFirst = DAY_FIRST.exec(value);
  const yearFirst = dayFirst ? null : YEAR_FIRST.exec(value);
  if (dayFirst) {
    const [a, b] = [Number(dayFirst[1]), Number(dayFirst[2])];
    year = Number(dayFirst[3]);
    // Hong Kong writes the day first; a second number above 12 can only be a day (US order).
    [day, month] = b > 12 && a <= 12 ? [b, a] : [a, b];
    if (a <= 12 && b <= 12 && a !== b)
      note = ` Read as day ${a}, month ${b} (day first, as in Hong Kong); if you meant ${year}-${pad(a)}-${pad(b)}, write that.`;
    time = dayFirst;
  } else if (yearFirst) {
    [year, month, day] = [Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3])];
    time = yearFirst;
  } else {
    return undefined;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (time[4] !== undefined) {
    const [h, m, s] = [Number(time[4]), Number(time[5]), Number(time[6] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return undefined;
    return { iso: `${date}T${pad(h)}:${pad(m)}:${pad(s)}+08:00`, note };
  }
  // A bare end date most likely means the end of that day.
  if (field === 'endDate')
    return {
      iso: `${date}T23:59:59+08:00`,
      note: `${note} For the start of that day, write ${date}T00:00:00+08:00.`,
    };
  return { iso: `${date}T00:00:00+08:00`, note };
}
