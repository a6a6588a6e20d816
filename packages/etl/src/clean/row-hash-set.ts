/**
 * A set of row fingerprints: two independent 32-bit hashes of the row's values (a 64-bit key) in an
 * open-addressing table, with the source line of each first occurrence. Memory is 12 bytes a row
 * instead of the row's text; two different rows collide with probability about n² / 2^65
 * (5e-8 for a million rows).
 */
export class RowHashSet {
  private keys1: Uint32Array;
  private keys2: Uint32Array;
  private lines: Int32Array;
  private used = 0;

  constructor(capacity = 1 << 16) {
    this.keys1 = new Uint32Array(capacity);
    this.keys2 = new Uint32Array(capacity);
    this.lines = new Int32Array(capacity).fill(-1);
  }

  /** Adds the row; returns the line of an earlier identical row, or -1 when the row is new. */
  addOrGet(values: readonly string[], line: number): number {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let v = 0; v < values.length; v++) {
      const s = values[v] as string;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995);
        h2 ^= h2 >>> 15;
      }
      // A separator that no value contains, so ("ab","c") and ("a","bc") differ.
      h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
      h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995) ^ v;
    }
    h1 >>>= 0;
    h2 >>>= 0;
    if ((this.used + 1) * 2 > this.lines.length) this.grow();
    const mask = this.lines.length - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    for (;;) {
      const at = this.lines[slot] as number;
      if (at < 0) {
        this.keys1[slot] = h1;
        this.keys2[slot] = h2;
        this.lines[slot] = line;
        this.used++;
        return -1;
      }
      if (this.keys1[slot] === h1 && this.keys2[slot] === h2) return at;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { keys1, keys2, lines } = this;
    const capacity = lines.length * 2;
    this.keys1 = new Uint32Array(capacity);
    this.keys2 = new Uint32Array(capacity);
    this.lines = new Int32Array(capacity).fill(-1);
    const mask = capacity - 1;
    for (let i = 0; i < lines.length; i++) {
      if ((lines[i] as number) < 0) continue;
      const h1 = keys1[i] as number;
      const h2 = keys2[i] as number;
      let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
      while ((this.lines[slot] as number) >= 0) slot = (slot + 1) & mask;
      this.keys1[slot] = h1;
      this.keys2[slot] = h2;
      this.lines[slot] = lines[i] as number;
    }
  }
}
