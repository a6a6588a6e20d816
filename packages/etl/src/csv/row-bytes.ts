import { isUtf8 } from "node:buffer";
import type { CsvByteBatch } from "./byte-batches.js";

/**
 * CSV rows written straight into UTF-8 bytes, the same bytes as `formatCsvRow`'s text encoded:
 * a stream of millions of rows builds no quoted copy, no row string and no batch string, which (with
 * the garbage collection they cost) is most of the time spent writing them as text.
 *
 * @example
 * const writer = new AtomicTextWriter("scored.csv");
 * const out = new CsvRowBytes();
 * out.row(["a", "b c"]);
 * out.field("1");
 * out.endRow();
 * await writer.write(out.take()); // "a,b c\n1\n"
 * await writer.commit();
 */
export class CsvRowBytes {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  private fieldsInRow = 0;
  private lastEmpty = false;
  private readonly delimiterCode: number;

  constructor(delimiter = ",") {
    if (delimiter.length !== 1 || delimiter.charCodeAt(0) >= 0x80)
      throw new RangeError(`CsvRowBytes writes a one-byte delimiter, not ${JSON.stringify(delimiter)}`);
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** Appends a whole row. */
  row(values: readonly string[]): void {
    for (let i = 0; i < values.length; i++) this.field(values[i] ?? "");
    this.endRow();
  }

  /** Appends one field to the current row, quoted when `formatCsvField` would quote it. */
  field(value: string): void {
    if (this.fieldsInRow++ > 0) this.put(this.delimiterCode);
    this.lastEmpty = value === "";
    if (value === "") return;
    const quote = this.needsQuotes(value);
    if (quote) this.put(0x22);
    this.text(value, quote);
    if (quote) this.put(0x22);
  }

  /**
   * Appends one field given as UTF-8 bytes, `bytes[start, end)`: the same bytes `field` writes for
   * their text (quoted when it would quote the text, quotes doubled), without the text.
   */
  fieldBytes(bytes: Uint8Array, start: number, end: number): void {
    if (this.fieldsInRow++ > 0) this.put(this.delimiterCode);
    this.lastEmpty = start === end;
    if (start === end) return;
    this.reserve(2 * (end - start) + 2);
    this.length = this.copyQuoted(bytes, start, end, this.length);
  }

  /**
   * Writes `bytes[start, end)` (not empty) at `at` as `field` writes their text, in one pass: the bytes
   * are copied (quotes doubled) while looking for what makes a field quoted, and the opening quote goes
   * in front afterwards when only the copy found the need for it. Room is reserved by the caller (twice
   * the bytes, and two quotes); returns where the field ends.
   */
  private copyQuoted(bytes: Uint8Array, start: number, end: number, at: number): number {
    const b = this.bytes;
    const d = this.delimiterCode;
    const open = at;
    const padded = bytes[start] === 0x20 || bytes[end - 1] === 0x20;
    if (padded) b[at++] = 0x22;
    let special = false;
    for (let i = start; i < end; i++) {
      const c = bytes[i] as number;
      b[at++] = c;
      if (c === 0x22) {
        b[at++] = c;
        special = true;
      } else if (c === d || c === 0x0a || c === 0x0d) special = true;
    }
    if (special && !padded) {
      b.copyWithin(open + 1, open, at);
      b[open] = 0x22;
      at++;
    }
    if (special || padded) b[at++] = 0x22;
    return at;
  }

  /**
   * Appends record `i` of a byte batch as a row's first fields, each as `field` writes its text. A
   * record that needs no quote anywhere (fields one delimiter apart, none padded with a space or
   * holding a quote: most rows of most files) is its bytes as they came, copied once; another is
   * written field by field, and one of a batch that is not UTF-8 is decoded first, as its text is.
   */
  record(batch: CsvByteBatch, i: number): void {
    if (batch !== this.batch) {
      this.batch = batch;
      this.batchIsUtf8 = isUtf8(batch.bytes);
    }
    const { first, starts, ends, bytes } = batch;
    const from = first[i] as number;
    const to = first[i + 1] as number;
    if (!this.batchIsUtf8) {
      for (let o = from; o < to; o++) this.field(batch.text(o));
      return;
    }
    if (this.fieldsInRow === 0 && this.plainRecord(bytes, starts, ends, from, to)) {
      const start = starts[from] as number;
      const end = ends[to - 1] as number;
      this.reserve(end - start);
      this.bytes.set(bytes.subarray(start, end), this.length);
      this.length += end - start;
      this.fieldsInRow = to - from;
      this.lastEmpty = start === end;
      return;
    }
    this.quotedFields(bytes, starts, ends, from, to);
  }

  /**
   * `fieldBytes` for fields `[from, to)` of a record, in one pass with one reservation: a record whose
   * fields are padded with a space (", "-separated files such as Adult) is quoted field by field, and
   * the per-field call and reservation cost as much as copying its few bytes.
   */
  private quotedFields(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, from: number, to: number): void {
    if (from === to) return;
    // At most every byte doubled, and two quotes and a delimiter per field.
    this.reserve(2 * ((ends[to - 1] as number) - (starts[from] as number)) + 3 * (to - from));
    const b = this.bytes;
    const d = this.delimiterCode;
    let at = this.length;
    let fields = this.fieldsInRow;
    let start = 0;
    let end = 0;
    for (let o = from; o < to; o++) {
      if (fields++ > 0) b[at++] = d;
      start = starts[o] as number;
      end = ends[o] as number;
      if (start !== end) at = this.copyQuoted(bytes, start, end, at);
    }
    this.length = at;
    this.fieldsInRow = fields;
    this.lastEmpty = start === end;
  }

  /**
   * The bytes `field(value)` appends for `value` (without the delimiter before it), to append again
   * and again with `encodedField`: a value written on many rows (a label) is quoted and encoded once.
   */
  static encode(value: string, delimiter = ","): Uint8Array {
    const one = new CsvRowBytes(delimiter);
    one.field(value);
    return one.take().slice();
  }

  /** Appends a field given as `CsvRowBytes.encode` made it (with the same delimiter). */
  encodedField(encoded: Uint8Array): void {
    if (this.fieldsInRow++ > 0) this.put(this.delimiterCode);
    this.lastEmpty = encoded.length === 0;
    this.reserve(encoded.length);
    this.length = this.copyAt(encoded, this.length);
  }

  /** Copies a whole array at `at` (room reserved by the caller); returns where it ends. */
  private copyAt(from: Uint8Array, at: number): number {
    // Natively past a few bytes (a whole array needs no view); by hand below, cheaper than the call.
    if (from.length > 16) {
      this.bytes.set(from, at);
      return at + from.length;
    }
    const b = this.bytes;
    for (let i = 0; i < from.length; i++) b[at++] = from[i] as number;
    return at;
  }

  /**
   * Appends `field(parts.join(separator))`, each distinct part encoded once (a scored file's warnings:
   * a few phrases combined row by row). Parts are kept while there are fewer than 4,096 of them; past
   * that, or for a part whose text could change by being joined (empty, or ending in half a surrogate
   * pair), the joined text is written as `field` writes it.
   */
  joinedField(parts: readonly string[], separator: string): void {
    if (parts.length === 0) {
      this.field("");
      return;
    }
    let quote = false;
    const pieces: EncodedPart[] = [];
    for (let i = 0; i < parts.length; i++) {
      const between = i === 0 ? null : this.partOf(separator);
      const value = this.partOf(parts[i] as string);
      if (value === undefined || between === undefined) {
        this.field(parts.join(separator));
        return;
      }
      if (between !== null) pieces.push(between);
      pieces.push(value);
      quote ||= value.special || (between?.special ?? false);
    }
    quote ||= (pieces[0] as EncodedPart).padStart || (pieces[pieces.length - 1] as EncodedPart).padEnd;
    if (this.fieldsInRow++ > 0) this.put(this.delimiterCode);
    this.lastEmpty = false;
    let length = quote ? 2 : 0;
    for (const p of pieces) length += p.bytes.length;
    this.reserve(length);
    const b = this.bytes;
    let at = this.length;
    if (quote) b[at++] = 0x22;
    for (const p of pieces) at = this.copyAt(p.bytes, at);
    if (quote) b[at++] = 0x22;
    this.length = at;
  }

  private readonly parts = new Map<string, EncodedPart>();

  /** `text` as it reads inside a quoted field (quotes doubled), and what it says about quoting; undefined when it cannot be kept. */
  private partOf(text: string): EncodedPart | undefined {
    const known = this.parts.get(text);
    if (known !== undefined) return known;
    const last = text.charCodeAt(text.length - 1);
    if (text === "" || this.parts.size >= 4096 || (last >= 0xd800 && last <= 0xdbff) || (text.charCodeAt(0) >= 0xdc00 && text.charCodeAt(0) <= 0xdfff))
      return undefined;
    const one = new CsvRowBytes(String.fromCharCode(this.delimiterCode));
    one.text(text, true);
    const d = this.delimiterCode;
    let special = false;
    for (let i = 0; i < text.length && !special; i++) {
      const c = text.charCodeAt(i);
      special = c === d || c === 0x22 || c === 0x0a || c === 0x0d;
    }
    const part: EncodedPart = {
      bytes: one.take().slice(),
      special,
      padStart: text.charCodeAt(0) === 0x20,
      padEnd: last === 0x20,
    };
    this.parts.set(text, part);
    return part;
  }

  /**
   * Appends a number as `field(String(value))` does; a number's text never needs quotes, so it goes
   * straight in (a scored file writes one per row).
   */
  numberField(value: number): void {
    const text = String(value);
    if (this.fieldsInRow++ > 0) this.put(this.delimiterCode);
    this.lastEmpty = false;
    this.reserve(text.length);
    const b = this.bytes;
    let at = this.length;
    for (let i = 0; i < text.length; i++) b[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** The batch `record` last read, and whether its bytes are UTF-8. */
  private batch: CsvByteBatch | undefined;
  private batchIsUtf8 = false;

  /** Whether fields `[from, to)` are written exactly as their span of bytes: unquoted, one delimiter apart, none padded or holding a quote. */
  private plainRecord(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, from: number, to: number): boolean {
    const d = this.delimiterCode;
    for (let o = from; o < to; o++) {
      const s = starts[o] as number;
      const e = ends[o] as number;
      if (o > from && (s !== (ends[o - 1] as number) + 1 || bytes[s - 1] !== d)) return false;
      if (s < e && (bytes[s] === 0x20 || bytes[e - 1] === 0x20)) return false;
    }
    // An unquoted field may still hold a quote; a lone field, quoted, may hold anything: no quote, line
    // break or delimiter but the ones between the fields.
    const end = ends[to - 1] as number;
    let delimiters = 0;
    for (let k = starts[from] as number; k < end; k++) {
      const c = bytes[k] as number;
      if (c === 0x22 || c === 0x0a || c === 0x0d) return false;
      if (c === d) delimiters++;
    }
    return delimiters === to - from - 1;
  }

  /** Ends the current row (a row of one empty field is written `""`, which readers do not skip as a blank line). */
  endRow(): void {
    if (this.fieldsInRow === 1 && this.lastEmpty) {
      this.put(0x22);
      this.put(0x22);
    }
    this.put(0x0a);
    this.fieldsInRow = 0;
  }

  /** Bytes written so far (a view: valid until the next write); starts over. */
  take(): Uint8Array {
    const out = this.bytes.subarray(0, this.length);
    this.length = 0;
    return out;
  }

  private needsQuotes(value: string): boolean {
    if (value.charCodeAt(0) === 0x20 || value.charCodeAt(value.length - 1) === 0x20) return true;
    const d = this.delimiterCode;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === d || c === 0x22 || c === 0x0a || c === 0x0d) return true;
    }
    return false;
  }

  /** UTF-8 of `value` (a lone surrogate as U+FFFD, as Buffer.from does), doubling quotes when quoted. */
  private text(value: string, quoted: boolean): void {
    this.reserve(3 * value.length + (quoted ? value.length : 0));
    const b = this.bytes;
    let at = this.length;
    for (let i = 0; i < value.length; i++) {
      let c = value.charCodeAt(i);
      if (c < 0x80) {
        b[at++] = c;
        if (c === 0x22 && quoted) b[at++] = c;
      } else if (c < 0x800) {
        b[at++] = 0xc0 | (c >> 6);
        b[at++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) {
          const next = value.charCodeAt(i + 1);
          if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
            i++;
            b[at++] = 0xf0 | (cp >> 18);
            b[at++] = 0x80 | ((cp >> 12) & 0x3f);
            b[at++] = 0x80 | ((cp >> 6) & 0x3f);
            b[at++] = 0x80 | (cp & 0x3f);
            continue;
          }
          c = 0xfffd;
        }
        b[at++] = 0xe0 | (c >> 12);
        b[at++] = 0x80 | ((c >> 6) & 0x3f);
        b[at++] = 0x80 | (c & 0x3f);
      }
    }
    this.length = at;
  }

  private put(byte: number): void {
    if (this.length === this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = byte;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

/** A piece of a joined field, encoded as it reads inside quotes; whether it alone needs them (special) and whether it starts or ends with a space. */
interface EncodedPart {
  bytes: Uint8Array;
  special: boolean;
  padStart: boolean;
  padEnd: boolean;
}
