// The counts of one batch being issued: this run's (issued, failed, in doubt, not sent, invalid rows,
// out-of-place answers), the batch's totals as the ledger holds them, failures by result code, and
// the notices and outcome they make at the end (pure).
import type { ApiFailure } from '../api/api-result.js';
import type { PassBatchOutcome } from '../apply/run-apply.js';

export interface BatchEnd {
  /** Every row of the file was read and sent (nothing stopped the batch). */
  complete: boolean;
  /** The plan's count of rows to issue. */
  toIssue: number;
  failuresFile?: string | undefined;
}

export class BatchTally {
  issued = 0;
  failed = 0;
  inDoubt = 0;
  notSent = 0;
  /** Rows skipped as invalid or duplicate. */
  invalid = 0;
  /** Answers that were signed but not for their request. */
  outOfPlace = 0;
  /** Rows held back: they failed permanently before, with the same row. */
  held = 0;
  /** The batch's totals, this run's rows included: what the state records for it. */
  readonly totals: { issued: number; failed: number };
  readonly failureCodes: Record<string, { count: number; message: string }> = {};

  constructor(before: { issued: number; failed: number }) {
    this.totals = { ...before };
  }

  /** A pass issued (or found to exist); a row that had failed before no longer counts as failed. */
  countIssued(failedBefore: boolean): void {
    this.issued++;
    this.totals.issued++;
    if (failedBefore) this.totals.failed--;
  }

  countFailed(failedBefore: boolean, f: ApiFailure): void {
    this.failed++;
    if (!failedBefore) this.totals.failed++;
    const seen = this.failureCodes[f.code];
    if (seen) seen.count++;
    else this.failureCodes[f.code] = { count: 1, message: f.message };
  }

  countInDoubt(outOfPlace: boolean): void {
    this.inDoubt++;
    if (outOfPlace) this.outOfPlace++;
  }

  countNotSent(): void {
    this.notSent++;
  }

  countInvalid(): void {
    this.invalid++;
  }

  countHeld(): void {
    this.held++;
  }

  /** Rows this run has settled one way or another. */
  get done(): number {
    return this.issued + this.failed + this.inDoubt + this.notSent;
  }

  remaining(toIssue: number): number {
    return Math.max(0, toIssue - this.done);
  }

  /** What the person running apply is told about this batch beside the counts. */
  notices(address: string, stoppedBy: string | undefined): string[] {
    const out: string[] = [];
    if (stoppedBy) out.push(`${address}: stopped issuing after ${stoppedBy}`);
    if (this.outOfPlace > 0)
      out.push(
        `${address}: ${this.outOfPlace} answer(s) were signed but not for their request (a passId answered before, for another recipient: RESPONSE_OUT_OF_PLACE); those passes are treated as unknown.`,
      );
    if (this.inDoubt > 0)
      out.push(
        `${address}: ${this.inDoubt} pass(es) have an unknown outcome; the next apply sends them again with the same bizSerialId, so none is issued twice.`,
      );
    if (this.invalid > 0)
      out.push(`${address}: ${this.invalid} row(s) skipped (invalid or duplicate; see \`ipass plan\`).`);
    if (this.held > 0)
      out.push(
        `${address}: ${this.held} row(s) held back: they failed before in a way that sending the same row cannot change (\`ipass plan\` names the codes); edit the rows, or \`--retry-failed\`.`,
      );
    return out;
  }

  outcome(address: string, end: BatchEnd): PassBatchOutcome {
    const unsent = end.complete ? 0 : this.remaining(end.toIssue);
    return {
      address,
      issued: this.issued,
      failed: this.failed,
      inDoubt: this.inDoubt,
      skipped: this.invalid + this.notSent + unsent,
      ...(this.held > 0 ? { heldBack: this.held } : {}),
      ...(end.failuresFile !== undefined ? { failuresFile: end.failuresFile } : {}),
      ...(this.failed > 0 ? { failureCodes: this.failureCodes } : {}),
    };
  }
}
