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
  /** Open-addressing table of (spread hash, id + 1) pairs, id 0 meaning empty: a probe reads one cache line. */
  private table: Int32Array;
  private hashes: Int32Array;
  private hashes2: Int32Array;
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
    this.table = new Int32Array(2048);
    this.hashes = new Int32Array(512);
    this.hashes2 = new Int32Array(512);
    this.offsets = new Int32Array(512);
    this.lengths = new Int32Array(512);
    this.arena = new Uint8Array(16 * 1024);
  }

  /** The id of `bytes[start, end)`, adding it when new; -1 when the dictionary is full. Pass the tokenizer's hashes when at hand. */
  intern(bytes: Uint8Array, start: number, end: number, hash = hashBytes(bytes, start, end), hash2 = hashBytes2(bytes, start, end)): number {
    const h = spread(hash);
    const length = end - start;
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let slot = h & mask;
    for (; ; slot = (slot + 1) & mask) {
      const entry = table[2 * slot + 1] as number;
      if (entry === 0) break;
      if (table[2 * slot] !== h) continue;
      const id = entry - 1;
      if (this.hashes2[id] === hash2 && this.lengths[id] === length) return id;
    }
    if (this.size >= this.maxEntries || this.arenaUsed + length > this.maxBytes) {
      this.overflowed = true;
      return -1;
    }
    const id = this.size++;
    if (id === this.hashes.length) this.growEntries();
    if (this.arenaUsed + length > this.arena.length) this.growArena(length);
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.offsets[id] = this.arenaUsed;
    this.lengths[id] = length;
    this.hashes[id] = h;
    this.hashes2[id] = hash2;
    this.arenaUsed += length;
    table[2 * slot] = h;
    table[2 * slot + 1] = id + 1;
    if (this.size * 4 > this.table.length) this.rehash();
    return id;
  }

  /** The bytes of value `id` (a view, valid until the next `intern`). */
  bytesOf(id: number): Uint8Array {
    const offset = this.offsets[id] as number;
    return this.arena.subarray(offset, offset + (this.lengths[id] as number));
  }

  private growEntries(): void {
    const size = this.hashes.length * 2;
    for (const key of ["hashes", "hashes2", "offsets", "lengths"] as const) {
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
    const table = new Int32Array(this.table.length * 2);
    const mask = (table.length >> 1) - 1;
    for (let id = 0; id < this.size; id++) {
      const h = this.hashes[id] as number;
      let slot = h & mask;
      while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = h;
      table[2 * slot + 1] = id + 1;
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
