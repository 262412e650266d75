// Counts requests in flight and lets the sender wait until enough have finished to start a group,
// or until all have (drain). Groups keep the ledger's intent writes to one write(2) each.

export class InFlight {
  private count = 0;
  private waiter: { below: number; resolve: () => void } | undefined;

  constructor(readonly max: number) {}

  get size(): number {
    return this.count;
  }

  /** How many more may start now. */
  get free(): number {
    return Math.max(0, this.max - this.count);
  }

  start(): void {
    this.count++;
  }

  end(): void {
    this.count--;
    const w = this.waiter;
    if (w && this.count <= w.below) {
      this.waiter = undefined;
      w.resolve();
    }
  }

  /** Resolves once at most `below` are in flight. */
  until(below: number): Promise<void> {
    if (this.count <= below) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = { below, resolve };
    });
  }

  drain(): Promise<void> {
    return this.until(0);
  }
}
