import { RowHashSet } from "./row-hash-set.js";

/**
 * A small counted set of distinct values, identified by their two text hashes (see
 * {@link hashString1}, {@link hashString2}), holding at most `cap` of them: the values a profile counts
 * one by one (its first thousand) while plain numbers skip the column's dictionary. A lookup stays in
 * the caches, where one in a dictionary of a hundred thousand values does not.
 */
export class ValueHead {
  readonly values: string[] = [];
  readonly counts: number[] = [];
  private readonly set: RowHashSet;
  /**
   * One bit per hash value modulo 2^14, set for the values held: most cells of a column with many
   * values are not in the head, and this answers them from 2 KB instead of a probe of the table.
   */
  private readonly filter = new Int32Array(512);

  constructor(readonly cap: number) {
    this.set = new RowHashSet(cap + 1);
  }

  get size(): number {
    return this.values.length;
  }

  /** The index of the value with these hashes, or -1. */
  find(hash1: number, hash2: number): number {
    const bit = (hash1 ^ (hash2 >>> 7)) & 16383;
    if (((this.filter[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return -1;
    return this.set.lineOf(hash1, hash2);
  }

  /** Adds a value not held yet (the caller checked with {@link find}); false when the head is full. */
  add(value: string, hash1: number, hash2: number, count: number): boolean {
    if (this.values.length >= this.cap) return false;
    this.set.addHashes(hash1, hash2, this.values.length);
    const bit = (hash1 ^ (hash2 >>> 7)) & 16383;
    this.filter[bit >>> 5] = (this.filter[bit >>> 5] as number) | (1 << (bit & 31));
    this.values.push(value);
    this.counts.push(count);
    return true;
  }
}
