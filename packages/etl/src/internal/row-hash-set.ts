/**
 * A set of row fingerprints: two independent 32-bit hashes of the row's values (a 64-bit key) in an
 * open-addressing table, with the source line of each first occurrence. Memory is 12 bytes a slot,
 * about 17 a row, instead of the row's text; two different rows collide with probability about n² / 2^65
 * (5e-8 for a million rows).
 */
export class RowHashSet {
  /**
   * Slot k is [key1, key2, line + 1] at 3k: a probe reads one place in memory, not three. 0 marks an
   * empty slot, so a new table needs no filling and its pages are only touched where keys land.
   */
  private table: Int32Array;
  private used = 0;
  private capacity: number;

  /** `expected`: how many rows it will likely hold; sized once for them, it never has to grow (nor hold two tables). */
  constructor(expected = 1 << 12) {
    this.capacity = Math.max(64, Math.ceil(expected / MAX_LOAD));
    this.table = new Int32Array(3 * this.capacity);
  }

  get size(): number {
    return this.used;
  }

  /** Adds the row; returns the line of an earlier identical row, or -1 when the row is new. */
  addOrGet(values: readonly string[], line: number): number {
    let h1 = ROW_SEED_1;
    let h2 = ROW_SEED_2;
    for (let v = 0; v < values.length; v++) {
      const s = values[v] as string;
      h1 = mixValue1(h1, hashString1(s), v);
      h2 = mixValue2(h2, hashString2(s), v);
    }
    return this.addHashes(h1, h2, line);
  }

  /** Adds a one-value row given its value's {@link hashString1} and {@link hashString2}; same as `addOrGet([value])`. */
  addValue(hash1: number, hash2: number, line: number): number {
    return this.addHashes(mixValue1(ROW_SEED_1, hash1, 0), mixValue2(ROW_SEED_2, hash2, 0), line);
  }

  /** Whether a one-value row is in the set, without adding it. */
  hasValue(hash1: number, hash2: number): boolean {
    const h1 = mixValue1(ROW_SEED_1, hash1, 0);
    const h2 = mixValue2(ROW_SEED_2, hash2, 0);
    const { table, capacity } = this;
    for (let slot = home(h1, h2, capacity); ; slot = slot + 1 === capacity ? 0 : slot + 1) {
      const at = 3 * slot;
      if (table[at + 2] === 0) return false;
      if (table[at] === h1 && table[at + 1] === h2) return true;
    }
  }

  /**
   * Counts `weight` more rows of a key already hashed, the slot holding the count instead of a line
   * (a set used this way holds counts only); returns the count before, 0 for a new key.
   */
  addCount(h1: number, h2: number, weight: number): number {
    if (this.used + 1 > this.capacity * MAX_LOAD) this.grow();
    const { table, capacity } = this;
    for (let slot = home(h1, h2, capacity); ; slot = slot + 1 === capacity ? 0 : slot + 1) {
      const at = 3 * slot;
      const stored = table[at + 2] as number;
      if (stored === 0) {
        table[at] = h1;
        table[at + 1] = h2;
        table[at + 2] = weight;
        this.used++;
        return 0;
      }
      if (table[at] === h1 && table[at + 1] === h2) {
        table[at + 2] = stored + weight;
        return stored;
      }
    }
  }

  /** The line stored with a key already hashed, or -1 when the set does not hold it (nothing is added). */
  lineOf(h1: number, h2: number): number {
    const { table, capacity } = this;
    for (let slot = home(h1, h2, capacity); ; slot = slot + 1 === capacity ? 0 : slot + 1) {
      const at = 3 * slot;
      const stored = table[at + 2] as number;
      if (stored === 0) return -1;
      if (table[at] === h1 && table[at + 1] === h2) return stored - 1;
    }
  }

  /** Adds a key already hashed (see {@link mixValue1} / {@link mixValue2}); same answer as `addOrGet`. */
  addHashes(h1: number, h2: number, line: number): number {
    if (this.used + 1 > this.capacity * MAX_LOAD) this.grow();
    const { table, capacity } = this;
    let slot = home(h1, h2, capacity);
    for (;;) {
      const at = 3 * slot;
      const stored = table[at + 2] as number;
      if (stored === 0) {
        table[at] = h1;
        table[at + 1] = h2;
        table[at + 2] = line + 1;
        this.used++;
        return -1;
      }
      if (table[at] === h1 && table[at + 1] === h2) return stored - 1;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
  }

  private grow(): void {
    const old = this.table;
    const capacity = Math.ceil(this.capacity * 1.6);
    this.capacity = capacity;
    const table = new Int32Array(3 * capacity);
    this.table = table;
    for (let i = 0; i < old.length; i += 3) {
      if (old[i + 2] === 0) continue;
      const h1 = old[i] as number;
      const h2 = old[i + 1] as number;
      let slot = home(h1, h2, capacity);
      while (table[3 * slot + 2] !== 0) slot = slot + 1 === capacity ? 0 : slot + 1;
      table[3 * slot] = h1;
      table[3 * slot + 1] = h2;
      table[3 * slot + 2] = old[i + 2] as number;
    }
  }
}

/** Linear probing stays short up to this share of slots used. */
const MAX_LOAD = 0.7;

/** The first slot of a key: its mixed hash scaled onto [0, capacity) (no power-of-two table needed). */
function home(h1: number, h2: number, capacity: number): number {
  const h = (h1 ^ Math.imul(h2, 0x9e3779b1)) >>> 0;
  return Math.min(capacity - 1, Math.floor(h * (capacity / 4294967296)));
}

export const ROW_SEED_1 = 0x811c9dc5 | 0;
export const ROW_SEED_2 = 0x9747b28c | 0;

/** First 32-bit hash of a value (FNV-1a over UTF-16 units). */
export function hashString1(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** Second, independent 32-bit hash of a value (murmur-style multiply and shift). */
export function hashString2(s: string): number {
  let h = 0x5bd1e995 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h;
}

/** Folds the hash of value number `position` into a row hash; positions keep ("ab","c") and ("a","bc") apart. */
export function mixValue1(row: number, value: number, position: number): number {
  return Math.imul((row ^ value) + position, 0x01000193) ^ (value >>> 7);
}

export function mixValue2(row: number, value: number, position: number): number {
  const h = Math.imul(row ^ Math.imul(value, 0xcc9e2d51), 0x1b873593) ^ position;
  return h ^ (h >>> 16);
}
