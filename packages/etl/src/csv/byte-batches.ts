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

/** Collects the records a scan visits into {@link CsvByteBatch}es, one dictionary per column. */
export class ByteBatcher {
  private readonly dictionaries: ByteDictionary[];
  private rows = 0;
  private fields = 0;
  private used = 0;
  private lines = new Int32Array(1024);
  private first = new Int32Array(1025);
  private starts = new Int32Array(16 * 1024);
  private ends = new Int32Array(16 * 1024);
  private ids = new Int32Array(16 * 1024);
  private bytes = new Uint8Array(1 << 20);

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
    if (this.rows + 1 >= this.lines.length) {
      this.lines = grow(this.lines, new Int32Array(this.lines.length * 2));
      this.first = grow(this.first, new Int32Array(this.first.length * 2));
    }
    if (this.fields + count > this.starts.length) {
      const size = Math.max(2 * this.starts.length, this.fields + count);
      this.starts = grow(this.starts, new Int32Array(size));
      this.ends = grow(this.ends, new Int32Array(size));
      this.ids = grow(this.ids, new Int32Array(size));
    }
    const from = starts[0] as number;
    const to = ends[count - 1] as number;
    // The record's span holds every field's bytes (quotes and all): one copy, the offsets moved with it.
    if (this.used + (to - from) > this.bytes.length) {
      const larger = new Uint8Array(Math.max(2 * this.bytes.length, this.used + (to - from)));
      larger.set(this.bytes.subarray(0, this.used));
      this.bytes = larger;
    }
    this.bytes.set(bytes.subarray(from, to), this.used);
    const shift = this.used - from;
    this.used += to - from;
    const width = this.dictionaries.length;
    let o = this.fields;
    for (let k = 0; k < count; k++, o++) {
      const s = starts[k] as number;
      const e = ends[k] as number;
      this.starts[o] = s + shift;
      this.ends[o] = e + shift;
      this.ids[o] = k < width ? (this.dictionaries[k] as ByteDictionary).intern(bytes, s, e, hashes[k], hashes2[k]) : -1;
    }
    this.lines[this.rows] = view.line;
    this.first[this.rows] = this.fields;
    this.fields = o;
    this.rows++;
  }

  /** The records collected since the last `take`, as a batch of their own (the batcher starts afresh). */
  take(): CsvByteBatch {
    const rows = this.rows;
    const fields = this.fields;
    this.first[rows] = fields;
    const bytes = this.bytes.slice(0, this.used);
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const encoding = this.encoding;
    const starts = this.starts.slice(0, fields);
    const ends = this.ends.slice(0, fields);
    const batch: CsvByteBatch = {
      rows,
      lines: this.lines.slice(0, rows),
      first: this.first.slice(0, rows + 1),
      starts,
      ends,
      ids: this.ids.slice(0, fields),
      bytes,
      text: (o) => buffer.toString(encoding, starts[o], ends[o]),
    };
    this.rows = 0;
    this.fields = 0;
    this.used = 0;
    return batch;
  }
}
