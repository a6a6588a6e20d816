/**
 * Bytes per slot in one growing buffer: slot s is `bufferOf(s)[start[s], start[s] + length[s])`.
 * Slot 0 is a scratch slot for the cell at hand: its bytes sit past the end of the buffer (the next
 * write to slot 0 replaces them), or are the source's own bytes, pointed at rather than copied.
 */
export class SlotBytes {
  bytes: Buffer = Buffer.alloc(1 << 12);
  /** Where slot 0's bytes are: `bytes`, or the buffer the cell was read from. */
  scratch: Buffer = this.bytes;
  start = new Int32Array(0);
  length = new Int32Array(0);
  private used = 0;

  /** Makes room for `slots` slots. */
  ensureSlots(slots: number): void {
    if (slots <= this.start.length) return;
    const start = new Int32Array(slots);
    start.set(this.start);
    const length = new Int32Array(slots);
    length.set(this.length);
    this.start = start;
    this.length = length;
  }

  /** The buffer holding `slot`'s bytes. */
  bufferOf(slot: number): Buffer {
    return slot === 0 ? this.scratch : this.bytes;
  }

  /** Stores `text` as UTF-8 for `slot`. */
  setText(slot: number, text: string): void {
    this.reserve(text.length * 3);
    this.place(slot, this.bytes.write(text, this.used, "utf8"));
    if (slot === 0) this.scratch = this.bytes;
  }

  /**
   * Slot 0 becomes `from[begin, end)`, without a copy: valid while `from` holds the cell, which is
   * until the row is written (a copy per plain cell was a tenth of a wide file's time).
   */
  pointScratch(from: Buffer, begin: number, end: number): void {
    this.scratch = from;
    this.start[0] = begin;
    this.length[0] = end - begin;
  }

  private reserve(count: number): void {
    if (this.used + count <= this.bytes.length) return;
    const grown = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + count));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }

  private place(slot: number, count: number): void {
    this.start[slot] = this.used;
    this.length[slot] = count;
    if (slot !== 0) this.used += count;
  }
}
