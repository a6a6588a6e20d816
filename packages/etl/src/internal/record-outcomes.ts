const BLOCK = 1 << 20;

/** The record's next row must be decided cell by cell. */
export const DECIDE = 0;
/** The record's rows are rejected: copy its rejected line (after the line number). */
export const REJECTED = 1;
/** The record's rows are written: copy its processed line. */
export const WRITTEN = 2;

/**
 * What the clean pass made of each stored record that repeats (see RowStore), so its later rows are
 * written by copying the bytes an earlier row produced: the rejected line after its line number
 * (rule, column, detail, raw fields) or the processed line. Bounded: past `maxBytes`, records are
 * decided row by row again.
 */
export class RecordOutcomes {
  readonly state: Uint8Array;
  /** The reject rule's index, for REJECTED records. */
  readonly rule: Uint8Array;
  /** Type mismatches read as missing in one row of the record. */
  readonly mismatches: Int32Array;
  /** Rows written by copying, per record: their cells are counted at the end, in one step per record. */
  readonly copies: Int32Array;
  /** Per record, a view of its bytes (made once: a view per row would be an allocation per row). */
  private readonly views: (Uint8Array | undefined)[] = [];
  private block: Uint8Array = new Uint8Array(0);
  private blockUsed = 0;
  private used = 0;

  constructor(
    records: number,
    private readonly maxBytes = 16 << 20,
  ) {
    this.state = new Uint8Array(records);
    this.rule = new Uint8Array(records);
    this.mismatches = new Int32Array(records);
    this.copies = new Int32Array(records);
  }

  /** Keeps `from` as the bytes of the record's later rows, unless past the budget (then it stays DECIDE). */
  remember(record: number, state: typeof REJECTED | typeof WRITTEN, rule: number, mismatches: number, from: Uint8Array): void {
    const length = from.length;
    if (this.used + length > this.maxBytes) return;
    if (this.blockUsed + length > this.block.length) {
      // Blocks are never moved, so the views into them stay valid.
      this.block = new Uint8Array(Math.max(BLOCK, length));
      this.blockUsed = 0;
    }
    this.block.set(from, this.blockUsed);
    this.views[record] = this.block.subarray(this.blockUsed, this.blockUsed + length);
    this.blockUsed += length;
    this.used += length;
    this.state[record] = state;
    this.rule[record] = rule;
    this.mismatches[record] = mismatches;
  }

  /** The bytes kept for a record in state REJECTED or WRITTEN. */
  bytesOf(record: number): Uint8Array {
    return this.views[record] as Uint8Array;
  }
}
