// Request-Time header values: ISO-8601 in Hong Kong time with an explicit offset, whole seconds,
// e.g. 2027-05-22T06:42:21+08:00. The server signs the header value verbatim, so it is made once.
const HONG_KONG_OFFSET_MS = 8 * 60 * 60 * 1000;

export function formatRequestTime(date: Date): string {
  return `${new Date(date.getTime() + HONG_KONG_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
