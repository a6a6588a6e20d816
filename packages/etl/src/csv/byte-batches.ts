import { ByteDictionary } from "../internal/byte-dictionary.js";
import { grow } from "../internal/grow.js";
import type { RecordView } from "../internal/tokenizer.js";

/**
 * A chunk of records as bytes, with no string per field: record `i`'s field `k` (of
 * `first[i + 1] - first[i]`, as many as the record has) is `bytes[starts[o], ends[o])` at
 * `o = first[i] + k`, its quotes removed and doubled quotes undone. `ids[o]` is the field's value in
 * its column's dictionary (`CsvStream.valueText`), the same id for the same bytes all through the
 * file; -1 for a field past the header's columns, or a value met after its column's dictionary
 * filled up (a column of identifiers or amounts): read those from the bytes (`text`).
 *
 * For streams of millions of rows that are only passed through (`pipe predict` writes each row back
 * with its scores): a value is decoded once per distinct value, not once per cell, and nothing is
 * left for the garbage collector per row.
 */
export interface CsvByteBatch {
  rows: number;
  /** 1-based line where each record starts in the source. */
  lines: Int32Array;
  /** Where each record's fields start in `starts`, `ends` and `ids`; `rows + 1` entries. */
  first: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  ids: Int32Array;
  bytes: Uint8Array;
  /** The text of field `o` (decoded as the stream decodes fields). */
  text(o: number): string;
}

/** Distinct values a column's dictionary takes; past them a column's new values are read from their bytes. */
const DICTIONARY_VALUES = 4096;
const DICTIONARY_BYTES = 1 << 20;

/** The arrays a batch is collected in (a batch's are views of them). */
type BatchArrays = Pick<CsvByteBatch, "lines" | "first" | "starts" | "ends" | "ids" | "bytes">;

const freshArrays = (lines = 1024, fields = 16 * 1024, bytes = 1 << 20): BatchArrays => ({
  lines: new Int32Array(lines),
  first: new Int32Array(lines + 1),
  starts: new Int32Array(fields),
  ends: new Int32Array(fields),
  ids: new Int32Array(fields),
  bytes: new Uint8Array(bytes),
});

/**
 * Collects the records a scan visits into {@link CsvByteBatch}es, one dictionary per column. A batch
 * is made of the arrays it was collected in (no copy); handed back (`release`), they collect a later
 * one, so a stream of millions of rows allocates nothing per batch: `pipe predict` on a million Adult
 * rows made about 3 MB of arrays a batch, which lived across a few batches in flight and piled up as
 * tens of MB of garbage between collections.
 */
export class ByteBatcher {
  private readonly dictionaries: ByteDictionary[];
  private rows = 0;
  private fields = 0;
  private used = 0;
  private arrays = freshArrays();
  /** Arrays handed back, for the next batches. */
  private readonly spare: BatchArrays[] = [];
  private readonly arraysOf = new WeakMap<CsvByteBatch, BatchArrays>();

  constructor(
    width: number,
    private readonly encoding: "utf8" | "latin1",
  ) {
    this.dictionaries = Array.from({ length: width }, () => new ByteDictionary(DICTIONARY_VALUES, DICTIONARY_BYTES));
  }

  /** Records collected since the last `take`. */
  get size(): number {
    return this.rows;
  }

  /** The text of value `id` of column `column` (an id from a batch's `ids`). */
  valueText(column: number, id: number): string {
    return Buffer.from((this.dictionaries[column] as ByteDictionary).bytesOf(id)).toString(this.encoding);
  }

  add(view: RecordView): void {
    const { count, starts, ends, hashes, hashes2, bytes } = view;
    const a = this.arrays;
    if (this.rows + 1 >= a.lines.length) {
      a.lines = grow(a.lines, new Int32Array(a.lines.length * 2));
      a.first = grow(a.first, new Int32Array(a.first.length * 2));
    }
    if (this.fields + count > a.starts.length) {
      const size = Math.max(2 * a.starts.length, this.fields + count);
      a.starts = grow(a.starts, new Int32Array(size));
      a.ends = grow(a.ends, new Int32Array(size));
      a.ids = grow(a.ids, new Int32Array(size));
    }
    const from = starts[0] as number;
    const to = ends[count - 1] as number;
    // The record's span holds every field's bytes (quotes and all): one copy, the offsets moved with it.
    if (this.used + (to - from) > a.bytes.length) {
      const larger = new Uint8Array(Math.max(2 * a.bytes.length, this.used + (to - from)));
      larger.set(a.bytes.subarray(0, this.used));
      a.bytes = larger;
    }
    a.bytes.set(bytes.subarray(from, to), this.used);
    const shift = this.used - from;
    this.used += to - from;
    const width = this.dictionaries.length;
    let o = this.fields;
    for (let k = 0; k < count; k++, o++) {
      const s = starts[k] as number;
      const e = ends[k] as number;
      a.starts[o] = s + shift;
      a.ends[o] = e + shift;
      a.ids[o] = k < width ? (this.dictionaries[k] as ByteDictionary).intern(bytes, s, e, hashes[k], hashes2[k]) : -1;
    }
    a.lines[this.rows] = view.line;
    a.first[this.rows] = this.fields;
    this.fields = o;
    this.rows++;
  }

  /**
   * The records collected since the last `take`, as a batch of their own (the batcher starts afresh,
   * in arrays handed back by `release` when there are some).
   */
  take(): CsvByteBatch {
    const rows = this.rows;
    const fields = this.fields;
    const a = this.arrays;
    a.first[rows] = fields;
    const bytes = a.bytes.subarray(0, this.used);
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const encoding = this.encoding;
    const starts = a.starts.subarray(0, fields);
    const ends = a.ends.subarray(0, fields);
    const batch: CsvByteBatch = {
      rows,
      lines: a.lines.subarray(0, rows),
      first: a.first.subarray(0, rows + 1),
      starts,
      ends,
      ids: a.ids.subarray(0, fields),
      bytes,
      text: (o) => buffer.toString(encoding, starts[o], ends[o]),
    };
    this.arraysOf.set(batch, a);
    // The next batch is collected in arrays of the sizes this one needed.
    this.arrays = this.spare.pop() ?? freshArrays(a.lines.length, a.starts.length, a.bytes.length);
    this.rows = 0;
    this.fields = 0;
    this.used = 0;
    return batch;
  }

  /** Hands back a batch no longer read: its arrays collect a later batch (the batch must not be read again). */
  release(batch: CsvByteBatch): void {
    const a = this.arraysOf.get(batch);
    if (!a) return;
    this.arraysOf.delete(batch);
    if (this.spare.length < MAX_SPARE) this.spare.push(a);
  }
}

/** Batches' arrays kept for reuse: more than a consumer keeps in flight is garbage anyway. */
const MAX_SPARE = 4;
