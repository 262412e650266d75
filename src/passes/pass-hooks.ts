// What the pass phase tells its caller while it runs: progress of a batch, and notices.
export interface PassHooks {
  progress?(p: {
    address: string;
    issued: number;
    failed: number;
    remaining: number;
    perSecond: number;
  }): void;
  notice?(text: string): void;
}
