// A compact set of bizSerialIds keyed by a 64-bit hash, with one status byte and one line number per
// key (pure). A million keys take about 26 MB and no per-key objects; two different ids share a key
// with a probability of about n²/2⁶⁵ (3·10⁻⁸ for a million).

/** What the ledger says about a key (low 3 bits of its byte). */
export const LedgerStatus = {
  /** Not in the ledger (only seen in the CSV). */
  none: 0,
  /** An intent without an outcome: the request may or may not have been applied. */
  inDoubt: 1,
  issued: 2,
  failed: 3,
  /** The last attempt certainly did not reach the API. */
  notSent: 4,
} as const;
export type LedgerStatus = (typeof LedgerStatus)[keyof typeof LedgerStatus];

const STATUS_MASK = 0x07;
const SEEN = 0x08;
const USED = 0x10;
/** An earlier attempt was left in doubt, and no later record confirmed the pass. */
const DOUBTED = 0x20;
/** The last failure was permanent (failure-code.ts): the recipient is held back. */
const HELD = 0x40;

/** Why a recipient is held back: the code it failed with, and the hash of its row then (when known). */
export interface HeldFailure {
  code: string;
  rowHash: number | undefined;
}

/** The two 32-bit halves of the last hashed string (avoids an allocation per hash). */
const hashed = { hi: 0, lo: 0 };

/** cyrb53's mixing, kept at the full 64 bits. */
export function hash64(s: string): { hi: number; lo: number } {
  let h1 = 0xdeadbeef ^ s.length;
  let h2 = 0x41c6ce57 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  hashed.hi = h1 | 0;
  hashed.lo = h2 | 0;
  return hashed;
}

export class KeyTable {
  private hi: Int32Array;
  private lo: Int32Array;
  private meta: Uint8Array;
  private lines: Uint32Array;
  /** Per slot, when a ledger has life records (pass-life.ts): life byte and content hashes. */
  private lifeBytes: Uint8Array | undefined;
  private hashes: Int32Array | undefined;
  /** Per held slot (few: failures), why. */
  private heldFailures = new Map<number, HeldFailure>();
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.meta = new Uint8Array(capacity);
    this.lines = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The slot of `id`, adding it (status none, not seen) when absent. */
  slot(id: string): number {
    const { hi, lo } = hash64(id);
    if (this.count * 2 >= this.mask) this.grow();
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const m = this.meta[i] ?? 0;
      if (m === 0) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.meta[i] = USED;
        this.count++;
        return i;
      }
      if (this.hi[i] === hi && this.lo[i] === lo) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** The slot of `id`, or -1 when absent. */
  find(id: string): number {
    const { hi, lo } = hash64(id);
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const m = this.meta[i] ?? 0;
      if (m === 0) return -1;
      if (this.hi[i] === hi && this.lo[i] === lo) return i;
      i = (i + 1) & this.mask;
    }
  }

  status(slot: number): LedgerStatus {
    return ((this.meta[slot] ?? 0) & STATUS_MASK) as LedgerStatus;
  }

  setStatus(slot: number, status: LedgerStatus): void {
    this.meta[slot] = ((this.meta[slot] ?? 0) & ~STATUS_MASK) | status;
  }

  /**
   * Whether a pass may exist for this id without the ledger knowing: its last attempt is in doubt,
   * or an earlier one was and later attempts failed or never reached the API (which says nothing
   * about the earlier one).
   */
  inDoubt(slot: number): boolean {
    const m = this.meta[slot] ?? 0;
    const status = m & STATUS_MASK;
    return status === LedgerStatus.inDoubt || (status !== LedgerStatus.issued && (m & DOUBTED) !== 0);
  }

  markDoubted(slot: number): void {
    this.meta[slot] = (this.meta[slot] ?? 0) | DOUBTED;
  }

  /** Record the slot's last failure: permanent ones hold the recipient back, others release it. */
  setFailure(slot: number, held: HeldFailure | undefined): void {
    const m = this.meta[slot] ?? 0;
    if (held) {
      this.meta[slot] = m | HELD;
      this.heldFailures.set(slot, held);
    } else if (m & HELD) {
      this.meta[slot] = m & ~HELD;
      this.heldFailures.delete(slot);
    }
  }

  /**
   * Why the slot is held back: its last attempt failed permanently, and no attempt of it is in
   * doubt (a pass that may exist is always settled by re-sending).
   */
  held(slot: number): HeldFailure | undefined {
    const m = this.meta[slot] ?? 0;
    if ((m & HELD) === 0 || (m & STATUS_MASK) !== LedgerStatus.failed || (m & DOUBTED) !== 0)
      return undefined;
    return this.heldFailures.get(slot);
  }

  /** Marks the slot as seen in the CSV; false when it was seen already (a duplicate). */
  markSeen(slot: number, line: number): boolean {
    const m = this.meta[slot] ?? 0;
    if (m & SEEN) return false;
    this.meta[slot] = m | SEEN;
    this.lines[slot] = line;
    return true;
  }

  /** The CSV line the slot was first seen on. */
  line(slot: number): number {
    return this.lines[slot] ?? 0;
  }

  /** The pass's life byte (pass-life.ts); 0 when none was recorded. */
  life(slot: number): number {
    return this.lifeBytes?.[slot] ?? 0;
  }

  setLife(slot: number, life: number): void {
    this.lifeBytes ??= new Uint8Array(this.mask + 1);
    this.lifeBytes[slot] = life;
  }

  /** Hash `i` (0 codeInfo, 1 dataInfo, 2 endDate) of the content the pass carries. */
  hash(slot: number, i: number): number {
    return this.hashes?.[slot * 3 + i] ?? 0;
  }

  setHashes(slot: number, code: number, data: number, end: number): void {
    this.hashes ??= new Int32Array((this.mask + 1) * 3);
    this.hashes[slot * 3] = code;
    this.hashes[slot * 3 + 1] = data;
    this.hashes[slot * 3 + 2] = end;
  }

  /** Call `fn` with every used slot. */
  forEachSlot(fn: (slot: number) => void): void {
    for (let i = 0; i <= this.mask; i++) if ((this.meta[i] ?? 0) !== 0) fn(i);
  }

  /** Count the used slots by status, split by whether the CSV had them. */
  tally(): { seen: number[]; unseen: number[] } {
    const seen = [0, 0, 0, 0, 0];
    const unseen = [0, 0, 0, 0, 0];
    for (let i = 0; i <= this.mask; i++) {
      const m = this.meta[i] ?? 0;
      if (m === 0) continue;
      const bucket = m & SEEN ? seen : unseen;
      const s = m & STATUS_MASK;
      bucket[s] = (bucket[s] ?? 0) + 1;
    }
    return { seen, unseen };
  }

  private grow(): void {
    const { hi, lo, meta, lines, lifeBytes, hashes, heldFailures } = this;
    this.heldFailures = new Map();
    const capacity = (this.mask + 1) * 2;
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.meta = new Uint8Array(capacity);
    this.lines = new Uint32Array(capacity);
    this.lifeBytes = lifeBytes && new Uint8Array(capacity);
    this.hashes = hashes && new Int32Array(capacity * 3);
    this.mask = capacity - 1;
    for (let j = 0; j < meta.length; j++) {
      if ((meta[j] ?? 0) === 0) continue;
      const h = hi[j] ?? 0;
      const l = lo[j] ?? 0;
      let i = (l ^ Math.imul(h, 0x9e3779b1)) & this.mask;
      while ((this.meta[i] ?? 0) !== 0) i = (i + 1) & this.mask;
      this.hi[i] = h;
      this.lo[i] = l;
      this.meta[i] = meta[j] ?? 0;
      this.lines[i] = lines[j] ?? 0;
      if (lifeBytes && this.lifeBytes) this.lifeBytes[i] = lifeBytes[j] ?? 0;
      if (hashes && this.hashes) this.hashes.set(hashes.subarray(j * 3, j * 3 + 3), i * 3);
      const held = heldFailures.get(j);
      if (held) this.heldFailures.set(i, held);
    }
  }
}
