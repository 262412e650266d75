// Back-off between attempts: exponential with full jitter, capped; a server's Retry-After is
// honoured up to the same cap.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random: () => number;
}

/** Delay before retry number `retry` (1 = the first retry). */
export function backoffDelay(retry: number, o: BackoffOptions, retryAfterMs?: number): number {
  const ceiling = Math.min(o.maxMs, o.baseMs * 2 ** (retry - 1));
  const jittered = Math.floor(o.random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.min(o.maxMs, Math.max(jittered, retryAfterMs));
}
