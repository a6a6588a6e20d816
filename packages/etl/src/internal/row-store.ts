import { EtlError } from "../errors.js";

const ROWS_PER_CHUNK = 1 << 16;

/** A record kept whole rather than as ids: one with the wrong field count, or the header row again. */
export type SpecialRow = "ragged" | "header";

/**
 * The profile pass's rows kept in memory, so the clean pass can replay them instead of reading and
 * parsing the source again. Each distinct record is kept once, as dictionary ids (two bytes a cell);
 * each row is its record's number and its source line (eight bytes), so a file of repeated rows
 * costs little. Bounded by `maxCells` two-byte units: past them, the caller abandons the store (and
 * the clean pass streams the source a second time).
 */
export class RowStore {
  private recordChunks: Uint16Array[] = [];
  private readonly recordsPerChunk: number;
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
  abandoned = false;

  constructor(
    readonly width: number,
    private readonly maxCells = 32 << 20,
    private readonly maxRagged = 10_000,
  ) {
    this.recordsPerChunk = Math.max(1, Math.floor((1 << 18) / Math.max(1, width)));
  }

  /** Where a new record's ids go (`ids[offset + j]`, see {@link offset}); {@link commit} it once they are written. */
  begin(line: number): Uint16Array {
    const chunk = Math.floor(this.records / this.recordsPerChunk);
    if (chunk === this.recordChunks.length) this.recordChunks.push(new Uint16Array(this.recordsPerChunk * this.width));
    this.pendingLine = line;
    return this.recordChunks[chunk] as Uint16Array;
  }

  /** Where in the array {@link begin} returned the new record's ids start. */
  get offset(): number {
    return (this.records % this.recordsPerChunk) * this.width;
  }

  /** Keeps the record begun and its row; returns the record's number, or -1 past the budget (abandon the store then). */
  commit(): number {
    const record = this.records++;
    if (record === this.repeatCounts.length) {
      const grown = new Int32Array(record * 2);
      grown.set(this.repeatCounts);
      this.repeatCounts = grown;
    }
    this.cost += this.width;
    return this.addRow(record, this.pendingLine) ? record : -1;
  }

  /** Adds a row holding a record already committed; false past the budget (abandon the store then). */
  repeat(record: number, line: number): boolean {
    this.repeatCounts[record] = (this.repeatCounts[record] as number) + 1;
    return this.addRow(record, line);
  }

  /** Keeps a record whole (a ragged one, or a repeated header); false past the limit (abandon the store then). */
  addRagged(line: number, fields: string[], kind: SpecialRow = "ragged"): boolean {
    if (this.ragged.length >= this.maxRagged) return false;
    this.ragged.push({ ordinal: this.rows + this.ragged.length, line, fields, kind });
    return true;
  }

  /** A record's ids (`width` of them). */
  idsOf(record: number): Uint16Array {
    const chunk = this.recordChunks[Math.floor(record / this.recordsPerChunk)] as Uint16Array;
    const start = (record % this.recordsPerChunk) * this.width;
    return chunk.subarray(start, start + this.width);
  }

  /** How many rows after the first hold the record. */
  repeatsOf(record: number): number {
    return this.repeatCounts[record] as number;
  }

  abandon(): void {
    this.abandoned = true;
    this.recordChunks = [];
    this.rowChunks = [];
    this.ragged = [];
    this.repeatCounts = new Int32Array(0);
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
   * for one kept whole. Yields every `batch` rows so the caller can write.
   */
  *replay(row: (record: number, line: number) => void, ragged: (line: number, fields: string[], kind: SpecialRow) => void, batch = 16_384): Generator<number> {
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
      if ((r + 1) % batch === 0) yield r + 1;
    }
    for (let g = this.ragged[next]; g !== undefined; g = this.ragged[++next]) ragged(g.line, g.fields, g.kind);
    yield this.rows;
  }
}
