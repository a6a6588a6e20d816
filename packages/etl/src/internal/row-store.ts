import { EtlError } from "../errors.js";
import { grow } from "./grow.js";

const ROWS_PER_CHUNK = 1 << 16;
/** Bytes of escaped cells per arena chunk (a longer cell gets a chunk of its own). */
const ARENA_CHUNK = 1 << 20;
const MAX_ARENA_CHUNKS = 2047;
/** Bytes of input read before {@link RowStore.wontFit} judges. */
const JUDGE_AFTER_BYTES = 4 << 20;
const EMPTY_ROWS = new Int32Array(0);
const EMPTY_BYTE_IDS = new Uint8Array(0);
const EMPTY_IDS = new Uint16Array(0);
/** Records per chunk of a column's ids. */
const RECORDS_PER_CHUNK = 1 << 16;
const FIRST_CAPACITY = 256;
/** What a column kept in bytes writes for {@link ESCAPED} (its ids are below it). */
const NARROW_ESCAPED = 0xff;
const EMPTY_BYTES = Buffer.alloc(0);

/** The id a record holds for a cell kept as bytes ({@link RowStore.escape}): its value has no dictionary id. */
export const ESCAPED = 0xffff;

/** Where the bytes of a cell are: `buffer[start, end)`. */
export interface CellBytes {
  buffer: Buffer;
  start: number;
  end: number;
}

/** A record kept whole rather than as ids: one with the wrong field count, or the header row again. */
export type SpecialRow = "ragged" | "header";

/**
 * The profile pass's rows kept in memory, so the clean pass can replay them instead of reading and
 * parsing the source again. Each distinct record is kept once, as dictionary ids (a byte a cell in
 * a column of fewer than 255 values, two otherwise; the budget counts two); each row is its record's
 * number and its source line (eight bytes), so a file of repeated rows costs little. A cell whose value did not fit in its column's dictionary (an identifier, an amount
 * that rarely repeats) is kept as its bytes instead ({@link escape}; its id is {@link ESCAPED}).
 * Bounded by `maxCells` two-byte units: past them, the caller abandons the store (and the clean pass
 * streams the source a second time).
 */
export class RowStore {
  /**
   * The records' ids in chunks of RECORDS_PER_CHUNK records, each record's ids together: one byte each
   * for the columns whose ids stay below 255 (most columns of real data: `narrow`, in `narrowChunks`),
   * two for the others (`wideColumns`, in `wideChunks`). A column moves to two bytes when it needs to.
   */
  private narrowColumns: number[];
  private wideColumns: number[] = [];
  private narrowChunks: Uint8Array[] = [];
  /** Records each chunk has room for (up to RECORDS_PER_CHUNK). */
  private chunkCapacity: number[] = [];
  private wideChunks: Uint16Array[] = [];
  /** The record being written ({@link begin}), and the ids {@link idsOf} reads out. */
  private readonly pending: Uint16Array;
  private readonly readOut: Uint16Array;
  /**
   * Per record chunk and per arena chunk, the last row that uses it; a record chunk is pinned when one
   * of its records is replayed by copying (its ids are read again after the replay). See {@link replay}'s `release`.
   */
  private recordChunkLastRow: number[] = [];
  private recordChunkPinned: boolean[] = [];
  private arenaLastRow: number[] = [];
  /** Distinct records committed. */
  records = 0;
  /** How many rows after the first hold each record. */
  private repeatCounts = new Int32Array(1024);
  /** Rows as [record, line] pairs. */
  private rowChunks: Int32Array[] = [];
  rows = 0;
  /** Records kept whole (see {@link SpecialRow}), with their position among all records and their fields. */
  private ragged: { ordinal: number; line: number; fields: string[]; kind: SpecialRow }[] = [];
  private pendingLine = 0;
  private cost = 0;
  /** Per record, the number of its first escaped cell, or -1 when it has none (made when a first cell is escaped). */
  private firstEscape: Int32Array | undefined;
  /** Escaped cells: where each one's bytes start (chunk number × ARENA_CHUNK + offset: a longer cell starts its chunk) and their length. */
  private escapeAt = new Int32Array(1024);
  private escapeLength = new Int32Array(1024);
  private escapes = 0;
  private pendingEscapes = 0;
  private arena: Buffer[] = [];
  private arenaUsed = ARENA_CHUNK;
  /** What {@link escapedCell} found: the bytes of a cell are `buffer[start, end)`. */
  readonly cell: CellBytes = { buffer: Buffer.alloc(0), start: 0, end: 0 };
  abandoned = false;

  constructor(
    readonly width: number,
    private readonly maxCells = 32 << 20,
    private readonly maxRagged = 10_000,
  ) {
    this.narrowColumns = Array.from({ length: width }, (_, j) => j);
    this.pending = new Uint16Array(width);
    this.readOut = new Uint16Array(width);
  }

  /** Where a new record's ids go (`ids[offset + j]`, see {@link offset}); {@link commit} it once they are written. */
  begin(line: number): Uint16Array {
    this.pendingLine = line;
    this.pendingEscapes = this.escapes;
    return this.pending;
  }

  /**
   * Keeps the bytes of a cell of the record begun (call in column order, and write {@link ESCAPED} as
   * its id): a value its column's dictionary could not take.
   */
  escape(bytes: Uint8Array, start: number, end: number): void {
    if (!this.firstEscape) {
      this.firstEscape = new Int32Array(this.repeatCounts.length).fill(-1);
      this.cost += 2 * this.records;
    }
    const length = end - start;
    const last = this.arena.at(-1);
    if (!last || this.arenaUsed + length > last.length) {
      // Past 2 GB of bytes a cell's place no longer fits its 32 bits: the store gives up at the commit.
      if (this.arena.length >= MAX_ARENA_CHUNKS) {
        this.cost = Number.POSITIVE_INFINITY;
        return;
      }
      this.arena.push(Buffer.allocUnsafe(Math.max(ARENA_CHUNK, length)));
      this.arenaLastRow.push(0);
      this.arenaUsed = 0;
    }
    const chunk = this.arena.length - 1;
    const to = this.arena[chunk] as Buffer;
    // A short cell (most are) is copied by hand: cheaper than making a view of it for a native copy.
    if (length < 64) for (let k = 0, at = this.arenaUsed; k < length; k++) to[at + k] = bytes[start + k] as number;
    else to.set(bytes.subarray(start, end), this.arenaUsed);
    const k = this.escapes++;
    if (k === this.escapeAt.length) {
      this.escapeAt = grow(this.escapeAt, new Int32Array(k * 2));
      this.escapeLength = grow(this.escapeLength, new Int32Array(k * 2));
    }
    this.escapeAt[k] = chunk * ARENA_CHUNK + this.arenaUsed;
    // The record begun is committed as the next row.
    this.arenaLastRow[chunk] = this.rows;
    this.escapeLength[k] = length;
    this.arenaUsed += length;
    // Its bytes, and six two-byte units for where they are.
    this.cost += 6 + ((length + 1) >> 1);
  }

  /** The number of a record's first escaped cell (its later ones follow in column order), or -1 when it has none. */
  escapesOf(record: number): number {
    return this.firstEscape ? (this.firstEscape[record] as number) : -1;
  }

  /** Points {@link cell} at the bytes of escaped cell `k`. */
  escapedCell(k: number): CellBytes {
    const at = this.escapeAt[k] as number;
    const chunk = Math.floor(at / ARENA_CHUNK);
    const start = at - chunk * ARENA_CHUNK;
    this.cell.buffer = this.arena[chunk] as Buffer;
    this.cell.start = start;
    this.cell.end = start + (this.escapeLength[k] as number);
    return this.cell;
  }

  /** Where in the array {@link begin} returned the new record's ids start. */
  get offset(): number {
    return 0;
  }

  /** Keeps the record begun and its row; returns the record's number, or -1 past the budget (abandon the store then). */
  commit(): number {
    const record = this.records++;
    if (record === this.repeatCounts.length) {
      this.repeatCounts = grow(this.repeatCounts, new Int32Array(record * 2));
      if (this.firstEscape) this.firstEscape = grow(this.firstEscape, new Int32Array(record * 2));
    }
    this.storeIds(record);
    this.cost += this.width;
    this.recordChunkLastRow[Math.floor(record / RECORDS_PER_CHUNK)] = this.rows;
    if (this.firstEscape) {
      this.firstEscape[record] = this.escapes > this.pendingEscapes ? this.pendingEscapes : -1;
      this.cost += 2;
    }
    return this.addRow(record, this.pendingLine) ? record : -1;
  }

  /** Adds a row holding a record already committed; false past the budget (abandon the store then). */
  repeat(record: number, line: number): boolean {
    this.repeatCounts[record] = (this.repeatCounts[record] as number) + 1;
    const chunk = Math.floor(record / RECORDS_PER_CHUNK);
    this.recordChunkLastRow[chunk] = this.rows;
    const first = this.escapesOf(record);
    if (first < 0) this.recordChunkPinned[chunk] = true;
    else {
      // Its cells kept as bytes are read again at this row.
      const ids = this.idsOf(record);
      let k = first;
      for (let j = 0; j < ids.length; j++) {
        if (ids[j] === ESCAPED) this.arenaLastRow[Math.floor((this.escapeAt[k++] as number) / ARENA_CHUNK)] = this.rows;
      }
    }
    return this.addRow(record, line);
  }

  /** Keeps a record whole (a ragged one, or a repeated header); false past the limit (abandon the store then). */
  addRagged(line: number, fields: string[], kind: SpecialRow = "ragged"): boolean {
    if (this.ragged.length >= this.maxRagged) return false;
    this.ragged.push({ ordinal: this.rows + this.ragged.length, line, fields, kind });
    return true;
  }

  /**
   * Whether the rows, at the rate they cost so far, would need over twice the budget by the end of the
   * input (`read` of `total` bytes read): then keeping them only delays the second read. Judged once
   * 4 MiB are read; a file whose later rows repeat more than its first may be read twice needlessly,
   * never wrongly.
   */
  wontFit(read: number, total: number): boolean {
    return read >= JUDGE_AFTER_BYTES && total > read && (this.cost * total) / read > 2 * this.maxCells;
  }

  /** A record's ids (`width` of them), in an array the next call overwrites. */
  idsOf(record: number): Uint16Array {
    const chunk = Math.floor(record / RECORDS_PER_CHUNK);
    const at = record & (RECORDS_PER_CHUNK - 1);
    const out = this.readOut;
    const narrow = this.narrowColumns;
    const bytes = this.narrowChunks[chunk] as Uint8Array;
    for (let k = 0, from = at * narrow.length; k < narrow.length; k++) {
      const id = bytes[from + k] as number;
      out[narrow[k] as number] = id === NARROW_ESCAPED ? ESCAPED : id;
    }
    const wide = this.wideColumns;
    const words = this.wideChunks[chunk] as Uint16Array;
    for (let k = 0, from = at * wide.length; k < wide.length; k++) out[wide[k] as number] = words[from + k] as number;
    return out;
  }

  /** Writes the pending ids as record `record`, moving a column to two bytes when its id no longer fits one. */
  private storeIds(record: number): void {
    const pending = this.pending;
    for (let k = 0; k < this.narrowColumns.length; k++) {
      const id = pending[this.narrowColumns[k] as number] as number;
      if (id >= NARROW_ESCAPED && id !== ESCAPED) this.widen(k--);
    }
    const chunk = Math.floor(record / RECORDS_PER_CHUNK);
    const at = record & (RECORDS_PER_CHUNK - 1);
    const narrow = this.narrowColumns;
    const wide = this.wideColumns;
    if (at === 0) {
      // The first chunk starts small and grows: columns usually move to two bytes within the first
      // rows, and moving one lays out every chunk again.
      const capacity = chunk === 0 ? FIRST_CAPACITY : RECORDS_PER_CHUNK;
      this.chunkCapacity.push(capacity);
      this.narrowChunks.push(new Uint8Array(capacity * narrow.length));
      this.wideChunks.push(new Uint16Array(capacity * wide.length));
      this.recordChunkLastRow.push(0);
      this.recordChunkPinned.push(false);
    } else if (at === this.chunkCapacity[chunk]) {
      const capacity = Math.min(RECORDS_PER_CHUNK, 4 * at);
      this.chunkCapacity[chunk] = capacity;
      const bytes = new Uint8Array(capacity * narrow.length);
      bytes.set(this.narrowChunks[chunk] as Uint8Array);
      this.narrowChunks[chunk] = bytes;
      const words = new Uint16Array(capacity * wide.length);
      words.set(this.wideChunks[chunk] as Uint16Array);
      this.wideChunks[chunk] = words;
    }
    const bytes = this.narrowChunks[chunk] as Uint8Array;
    for (let k = 0, to = at * narrow.length; k < narrow.length; k++) {
      const id = pending[narrow[k] as number] as number;
      bytes[to + k] = id === ESCAPED ? NARROW_ESCAPED : id;
    }
    const words = this.wideChunks[chunk] as Uint16Array;
    for (let k = 0, to = at * wide.length; k < wide.length; k++) words[to + k] = pending[wide[k] as number] as number;
  }

  /** The narrow column at place `k` gets an id of 255 or more: every chunk is laid out again with it in two bytes. */
  private widen(k: number): void {
    const narrow = this.narrowColumns;
    const wide = this.wideColumns;
    const moved = narrow.filter((_, i) => i !== k);
    const widened = [...wide, narrow[k] as number];
    this.narrowChunks = this.narrowChunks.map((bytes, c) => {
      const words = this.wideChunks[c] as Uint16Array;
      const capacity = this.chunkCapacity[c] as number;
      const newBytes = new Uint8Array(capacity * moved.length);
      const newWords = new Uint16Array(capacity * widened.length);
      for (let r = 0; r < capacity; r++) {
        for (let i = 0, o = 0; i < narrow.length; i++) {
          const id = bytes[r * narrow.length + i] as number;
          if (i === k) newWords[r * widened.length + wide.length] = id === NARROW_ESCAPED ? ESCAPED : id;
          else newBytes[r * moved.length + o++] = id;
        }
        for (let i = 0; i < wide.length; i++) newWords[r * widened.length + i] = words[r * wide.length + i] as number;
      }
      this.wideChunks[c] = newWords;
      return newBytes;
    });
    this.narrowColumns = moved;
    this.wideColumns = widened;
  }

  /** How many rows after the first hold the record. */
  repeatsOf(record: number): number {
    return this.repeatCounts[record] as number;
  }

  abandon(): void {
    this.abandoned = true;
    this.narrowChunks = [];
    this.wideChunks = [];
    this.chunkCapacity = [];
    this.rowChunks = [];
    this.ragged = [];
    this.repeatCounts = new Int32Array(0);
    this.firstEscape = undefined;
    this.escapeAt = new Int32Array(0);
    this.escapeLength = new Int32Array(0);
    this.arena = [];
  }

  /**
   * Frees what no row after row `r` uses: the rows up to it, the record chunks and arena chunks whose last
   * row is past (a pinned record chunk stays: its copies are counted after the replay).
   */
  private release(r: number): void {
    for (let c = 0; c < (r + 1) >>> 16; c++) this.rowChunks[c] = EMPTY_ROWS;
    this.recordChunkLastRow.forEach((last, c) => {
      if (this.recordChunkPinned[c] || last > r) return;
      this.narrowChunks[c] = EMPTY_BYTE_IDS;
      this.wideChunks[c] = EMPTY_IDS;
    });
    this.arena.forEach((_, a) => {
      if ((this.arenaLastRow[a] as number) <= r) this.arena[a] = EMPTY_BYTES;
    });
  }

  private addRow(record: number, line: number): boolean {
    const at = this.rows % ROWS_PER_CHUNK;
    if (at === 0) this.rowChunks.push(new Int32Array(2 * ROWS_PER_CHUNK));
    const chunk = this.rowChunks[this.rowChunks.length - 1] as Int32Array;
    chunk[2 * at] = record;
    chunk[2 * at + 1] = line;
    this.rows++;
    this.cost += 4;
    return this.cost <= this.maxCells;
  }

  /**
   * Replays the rows in source order: `row(record, line)` for a full row, `ragged(line, fields, kind)`
   * for one kept whole. Yields every `batch` rows so the caller can write. With `release`, the memory
   * of what no later row uses is freed as the replay goes (the store then replays once; the ids of
   * records that repeat without cells kept as bytes stay readable).
   */
  *replay(
    row: (record: number, line: number) => void,
    ragged: (line: number, fields: string[], kind: SpecialRow) => void,
    batch = 16_384,
    { release = false }: { release?: boolean } = {},
  ): Generator<number> {
    if (this.abandoned) throw new EtlError("the profile pass did not keep its rows (they did not fit in inMemoryCells); read the source again");
    let next = 0;
    let ordinal = 0;
    for (let r = 0; r < this.rows; r++) {
      for (let g = this.ragged[next]; g !== undefined && g.ordinal === ordinal; g = this.ragged[++next]) {
        ragged(g.line, g.fields, g.kind);
        ordinal++;
      }
      const chunk = this.rowChunks[r >>> 16] as Int32Array;
      const at = 2 * (r & (ROWS_PER_CHUNK - 1));
      row(chunk[at] as number, chunk[at + 1] as number);
      ordinal++;
      if ((r + 1) % batch === 0) {
        if (release) this.release(r);
        yield r + 1;
      }
    }
    for (let g = this.ragged[next]; g !== undefined; g = this.ragged[++next]) ragged(g.line, g.fields, g.kind);
    yield this.rows;
  }
}
