// A token bucket for requests per second: at most `burst` starts at once, then `rate` per second.
// Callers take tokens in call order; one that runs into debt sleeps until its token has accrued.
export interface BucketClock {
  /** Milliseconds, monotonic enough for spacing requests. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #clock: BucketClock;
  #tokens: number;
  #last: number;

  constructor(ratePerSecond: number, burst: number, clock: BucketClock) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond))
      throw new RangeError('rate must be finite and > 0');
    if (!(burst >= 1)) throw new RangeError('burst must be ≥ 1');
    this.#perMs = ratePerSecond / 1000;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  /** Resolves when the caller may start; undefined when it may start at once (no promise to await). */
  take(): Promise<void> | undefined {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return undefined;
    return this.#clock.sleep(-this.#tokens / this.#perMs);
  }
}

/** A tenth of a second's worth of requests may start together (at least one). */
export function defaultBurst(ratePerSecond: number): number {
  return Math.max(1, Math.floor(ratePerSecond / 10));
}
