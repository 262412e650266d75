// Request-Time header values: ISO-8601 in Hong Kong time with an explicit offset, whole seconds,
// e.g. 2027-05-22T06:42:21+08:00. The server signs the header value verbatim, so it is made once.
const HONG_KONG_OFFSET_MS = 8 * 60 * 60 * 1000;

// Many requests start within the same second: the text is made once per second.
let last = { second: Number.NaN, text: '' };

export function formatRequestTime(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== last.second) {
    const text = `${new Date(second * 1000 + HONG_KONG_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
    last = { second, text };
  }
  return last.text;
}
