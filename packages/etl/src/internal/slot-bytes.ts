/**
 * Bytes per slot in one growing buffer: slot s is `bytes[start[s], start[s] + length[s])`. Slot 0 is
 * a scratch slot: its bytes sit past the end and the next write to slot 0 replaces them.
 */
export class SlotBytes {
  bytes: Buffer = Buffer.alloc(1 << 12);
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

  /** Stores `text` as UTF-8 for `slot`. */
  setText(slot: number, text: string): void {
    this.reserve(text.length * 3);
    this.place(slot, this.bytes.write(text, this.used, "utf8"));
  }

  /** Stores `from[begin, end)` for `slot`. */
  setBytes(slot: number, from: Buffer, begin: number, end: number): void {
    this.reserve(end - begin);
    from.copy(this.bytes, this.used, begin, end);
    this.place(slot, end - begin);
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
