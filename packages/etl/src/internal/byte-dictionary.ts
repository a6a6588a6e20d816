import { hashBytes, hashBytes2 } from "./tokenizer.js";

/**
 * The distinct raw values of one column, as bytes, each with a small integer id. Most columns of
 * real data repeat a few values, so the ETL decides everything about a value (missing? number?
 * allowed? its output bytes) once per id instead of once per cell. Bounded: past `maxEntries`
 * values or `maxBytes` of text it refuses new ones (`-1`) and the caller takes the per-cell path.
 *
 * A value is identified by its length and two independent 32-bit hashes that the tokenizer computes
 * while scanning, not by comparing bytes: two different values of one column get the same id with
 * probability about n² / 2^65 (1e-10 for the 65,536 values a dictionary holds at most).
 */
export class ByteDictionary {
  /**
   * Open-addressing table of (spread hash, id + 1, second hash, length) entries, id 0 meaning empty:
   * a probe reads one 16-byte entry, not three arrays (on wide files the dictionaries outgrow the
   * caches, and each array read was a miss).
   */
  private table: Int32Array;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private arena: Uint8Array;
  private arenaUsed = 0;
  size = 0;
  /** Set once a value was refused: the dictionary no longer holds every value of the column. */
  overflowed = false;

  constructor(
    readonly maxEntries = 1 << 16,
    readonly maxBytes = 4 << 20,
  ) {
    this.table = new Int32Array(4 * 1024);
    this.offsets = new Int32Array(512);
    this.lengths = new Int32Array(512);
    this.arena = new Uint8Array(16 * 1024);
  }

  /** The id of `bytes[start, end)`, adding it when new; -1 when the dictionary is full. Pass the tokenizer's hashes when at hand. */
  intern(bytes: Uint8Array, start: number, end: number, hash = hashBytes(bytes, start, end), hash2 = hashBytes2(bytes, start, end)): number {
    const h = spread(hash);
    const length = end - start;
    const table = this.table;
    const mask = (table.length >> 2) - 1;
    let slot = h & mask;
    for (; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const entry = table[at + 1] as number;
      if (entry === 0) break;
      if (table[at] === h && table[at + 2] === hash2 && table[at + 3] === length) return entry - 1;
    }
    if (this.size >= this.maxEntries || this.arenaUsed + length > this.maxBytes) {
      this.overflowed = true;
      return -1;
    }
    const id = this.size++;
    if (id === this.offsets.length) this.growEntries();
    if (this.arenaUsed + length > this.arena.length) this.growArena(length);
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.offsets[id] = this.arenaUsed;
    this.lengths[id] = length;
    this.arenaUsed += length;
    const at = slot << 2;
    table[at] = h;
    table[at + 1] = id + 1;
    table[at + 2] = hash2;
    table[at + 3] = length;
    // At most half full: probes stay short.
    if (this.size * 8 > this.table.length) this.rehash();
    return id;
  }

  /** The bytes of value `id` (a view, valid until the next `intern`). */
  bytesOf(id: number): Uint8Array {
    const offset = this.offsets[id] as number;
    return this.arena.subarray(offset, offset + (this.lengths[id] as number));
  }

  private growEntries(): void {
    const size = this.offsets.length * 2;
    for (const key of ["offsets", "lengths"] as const) {
      const grown = new Int32Array(size);
      grown.set(this[key]);
      this[key] = grown;
    }
  }

  private growArena(extra: number): void {
    const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + extra));
    grown.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = grown;
  }

  private rehash(): void {
    const old = this.table;
    const table = new Int32Array(old.length * 2);
    const mask = (table.length >> 2) - 1;
    for (let from = 0; from < old.length; from += 4) {
      if (old[from + 1] === 0) continue;
      let slot = (old[from] as number) & mask;
      while (table[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      table.set(old.subarray(from, from + 4), slot << 2);
    }
    this.table = table;
  }
}

/** Spreads a field hash over the table's low bits (FNV-1a alone clusters on short keys). */
function spread(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
