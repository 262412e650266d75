// Deadlines for many exchanges with one timer. Every entry of a queue has the same timeout, so they
// expire in the order they were added: a FIFO queue and one timer armed for its oldest live entry
// bound every exchange exactly, where a timer (and an AbortController) per request cost ~36 µs each.

/** A deadline that has not passed yet; cancel() once its exchange is over. */
export interface Deadline {
  cancel(): void;
}

interface Entry extends Deadline {
  /** performance.now() when it expires. */
  at: number;
  /** Called once when the deadline passes; undefined once it fired or was cancelled. */
  onExpire: (() => void) | undefined;
}

export class DeadlineQueue {
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #entries: Entry[] = [];
  #head = 0;
  #live = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number, now: () => number = () => performance.now()) {
    this.#timeoutMs = timeoutMs;
    this.#now = now;
  }

  /** Calls `onExpire` once `timeoutMs` from now, unless cancelled before. */
  add(onExpire: () => void): Deadline {
    const entry: Entry = {
      at: this.#now() + this.#timeoutMs,
      onExpire,
      cancel: () => this.#cancel(entry),
    };
    this.#entries.push(entry);
    this.#live += 1;
    // An armed timer fires no later than this entry's deadline (every entry before it is older).
    if (this.#timer === undefined) this.#timer = setTimeout(this.#sweep, this.#timeoutMs);
    else this.#timer.ref();
    return entry;
  }

  /** Entries waiting for their deadline. */
  get pending(): number {
    return this.#live;
  }

  #cancel(entry: Entry): void {
    if (entry.onExpire === undefined) return;
    entry.onExpire = undefined;
    this.#live -= 1;
    this.#dropFinished();
    // Nothing left to time out: the armed timer must not keep the process alive.
    if (this.#live === 0) this.#timer?.unref();
  }

  readonly #sweep = (): void => {
    this.#timer = undefined;
    const now = this.#now();
    const expired: (() => void)[] = [];
    for (; this.#head < this.#entries.length; this.#head++) {
      const entry = this.#entries[this.#head] as Entry;
      if (entry.onExpire === undefined) continue;
      if (entry.at > now) break;
      expired.push(entry.onExpire);
      entry.onExpire = undefined;
      this.#live -= 1;
    }
    this.#dropFinished();
    const oldest = this.#entries[this.#head];
    if (oldest !== undefined) {
      this.#timer = setTimeout(this.#sweep, Math.max(1, Math.ceil(oldest.at - now)));
    }
    for (const onExpire of expired) onExpire();
  };

  /** Drop cancelled and fired entries from the front, and compact the array now and then. */
  #dropFinished(): void {
    const entries = this.#entries;
    while (this.#head < entries.length && (entries[this.#head] as Entry).onExpire === undefined) {
      this.#head += 1;
    }
    if (this.#head === entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
