// A batch's checkpoints: the ledger made durable, then the batch's counts recorded in the apply's
// journal and working state; one at a time, never overlapping, and none when nothing changed.
import type { Execution } from '../apply/execution.js';
import type { LedgerWriter } from '../state/backend.js';
import type { PassBatchState } from '../state/state-format.js';

export class BatchCheckpoints {
  private last = '';
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly execution: Execution,
    private readonly writer: LedgerWriter,
    private readonly address: string,
    /** The batch's entry as the state should hold it now. */
    private readonly entry: () => PassBatchState,
  ) {}

  /** Take a checkpoint after those already asked for. */
  take(): Promise<void> {
    this.chain = this.chain.then(() => this.write());
    return this.chain;
  }

  private async write(): Promise<void> {
    const run = this.execution;
    if (run.storageFailure) return;
    try {
      await this.writer.flush();
      const entry = this.entry();
      const key = JSON.stringify(entry);
      if (key === this.last) return;
      this.last = key;
      await this.writer.checkpoint();
      run.state.passBatches[this.address] = entry;
      await run.journal.append({ t: 'batch', address: this.address, entry });
    } catch (error) {
      run.fail(error);
    }
  }
}
