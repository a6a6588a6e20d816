import { ConfigMismatchError, CsvFormatError } from "../errors.js";
import type { LineMemo } from "./line-memo.js";

/**
 * One record as byte spans: field `k` is `bytes[starts[k], ends[k])`, quotes already removed and
 * doubled quotes undone. The view and its arrays are reused for the next record: copy what you keep.
 */
export interface RecordView {
  bytes: Buffer;
  starts: Int32Array;
  ends: Int32Array;
  /**
   * Two independent 32-bit hashes of each field's bytes ({@link hashBytes}, {@link hashBytes2}),
   * computed during the scan: together with the length they identify a value in a dictionary.
   */
  hashes: Int32Array;
  hashes2: Int32Array;
  /** Number of fields. */
  count: number;
  /** 1-based line where the record starts in the source. */
  line: number;
  /** Whether any field was quoted: if not, `bytes[starts[0], ends[count - 1])` is the record exactly as written. */
  quoted: boolean;
  /**
   * With a {@link LineMemo}: when the record is one unquoted line, its bytes are `bytes[lineStart, lineEnd)`
   * and `lineHash` their {@link hashLine} (what {@link LineMemo.add} takes); otherwise `lineEnd` is -1.
   */
  lineStart: number;
  lineEnd: number;
  lineHash: number;
}

export type RecordVisitor = (record: RecordView) => void;
/** A record that repeats a line remembered in the tokenizer's {@link LineMemo}: the payload given with that line. */
export type RepeatVisitor = (payload: number, line: number) => void;

/** Lines to recognise without tokenizing them, and where to report them. */
export interface Repeats {
  memo: LineMemo;
  repeat: RepeatVisitor;
}

export interface CsvTokenizerOptions {
  delimiter: string;
  quote?: string;
  /** Used in error messages only. */
  file?: string;
  /** Report records that repeat a remembered line to `repeats.repeat` instead of tokenizing them. */
  repeats?: Repeats;
}

const QUOTED = 1;
const DOUBLED = 2;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const MURMUR_SEED = 0x9747b28c | 0;
const MURMUR_M = 0x5bd1e995;

/** FNV-1a of `bytes[start, end)`: the hash the tokenizer gives every field. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let k = start; k < end; k++) h = Math.imul(h ^ (bytes[k] as number), FNV_PRIME);
  return h;
}

/** A second hash of `bytes[start, end)`, independent of {@link hashBytes} (multiply and shift). */
export function hashBytes2(bytes: Uint8Array, start: number, end: number): number {
  let g = MURMUR_SEED;
  for (let k = start; k < end; k++) {
    g = Math.imul(g ^ (bytes[k] as number), MURMUR_M);
    g ^= g >>> 13;
  }
  return g;
}

/** A partial record this large is re-scanned only once the buffered bytes double (linear time on huge quoted fields). */
const RESCAN_THRESHOLD = 64 * 1024;

/**
 * An incremental RFC 4180 tokenizer over bytes: push chunks, and complete records are visited as
 * spans into one reused buffer; no string is made for any field. Only the unfinished record is kept
 * between chunks, so memory stays flat on any file size. Accepts \n, \r\n and \r line endings,
 * quoted fields with delimiters, doubled quotes and newlines; skips blank lines (empty, or only spaces
 * and tabs with no delimiter among them). Every delimiter, quote and newline is ASCII, so the same scan serves UTF-8 and Latin-1 input.
 */
export class CsvTokenizer {
  private readonly delimiter: number;
  private readonly quote: number;
  private readonly file: string;
  private readonly repeats: Repeats | undefined;
  private work: Buffer = Buffer.allocUnsafe(0);
  private length = 0;
  private rescanAt = 0;
  private line = 1;
  private pendingCR = false;
  private readonly view: RecordView = {
    bytes: this.work,
    starts: new Int32Array(64),
    ends: new Int32Array(64),
    hashes: new Int32Array(64),
    hashes2: new Int32Array(64),
    count: 0,
    line: 1,
    quoted: false,
    lineStart: 0,
    lineEnd: -1,
    lineHash: 0,
  };
  /** Where the scan's next quote and CR are (see repeatedLine). */
  private nextQuote = -1;
  private nextCR = -1;
  /** What closingQuote found besides the position. */
  private quoteDoubled = false;
  private quoteLines = 0;
  /** Per field: 0 unquoted, QUOTED, or DOUBLED (quoted with doubled quotes to undo). */
  private escaped = new Uint8Array(64);

  constructor(options: CsvTokenizerOptions) {
    if (options.delimiter.length !== 1 || options.delimiter.charCodeAt(0) > 127)
      throw new ConfigMismatchError(`the delimiter must be one ASCII character (got ${JSON.stringify(options.delimiter)})`);
    this.delimiter = options.delimiter.charCodeAt(0);
    this.quote = (options.quote ?? '"').charCodeAt(0);
    this.file = options.file ?? "<input>";
    this.repeats = options.repeats;
  }

  /** Visits every record `chunk` completes. */
  push(chunk: Uint8Array, visit: RecordVisitor): void {
    if (chunk.length === 0) return;
    this.append(chunk);
    if (this.length < this.rescanAt) return;
    this.scan(false, visit);
  }

  /** Visits the last record; throws if a quoted field was never closed. */
  end(visit: RecordVisitor): void {
    this.scan(true, visit);
    this.length = 0;
    this.rescanAt = 0;
  }

  private append(chunk: Uint8Array): void {
    const needed = this.length + chunk.length;
    if (needed > this.work.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.work.length * 2, 1 << 20));
      this.work.copy(grown, 0, 0, this.length);
      this.work = grown;
      this.view.bytes = grown;
    }
    this.work.set(chunk, this.length);
    this.length = needed;
  }

  private growFields(): void {
    const size = this.view.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.view.starts);
    const ends = new Int32Array(size);
    ends.set(this.view.ends);
    const escaped = new Uint8Array(size);
    escaped.set(this.escaped);
    const hashes = new Int32Array(size);
    hashes.set(this.view.hashes);
    const hashes2 = new Int32Array(size);
    hashes2.set(this.view.hashes2);
    this.view.hashes2 = hashes2;
    this.view.starts = starts;
    this.view.ends = ends;
    this.view.hashes = hashes;
    this.escaped = escaped;
  }

  private scan(final: boolean, visit: RecordVisitor): void {
    const b = this.work;
    const n = this.length;
    const D = this.delimiter;
    const Q = this.quote;
    const view = this.view;
    let pos = 0;
    if (this.pendingCR && n > 0) {
      this.pendingCR = false;
      if (b[0] === 10) pos = 1;
    }
    const repeats = this.repeats;
    // Bounded to the live bytes, so the native searches for repeated lines never read past them.
    const live = repeats ? b.subarray(0, n) : b;
    this.nextQuote = -1;
    this.nextCR = -1;
    records: while (pos < n) {
      view.lineEnd = -1;
      if (repeats?.memo.active) {
        const after = this.repeatedLine(live, pos, repeats);
        if (after >= 0) {
          pos = after;
          continue;
        }
      }
      let starts = view.starts;
      let ends = view.ends;
      let hashes = view.hashes;
      let hashes2 = view.hashes2;
      let i = pos;
      let f = 0;
      let lines = 0;
      let anyEscaped = false;
      let anyQuoted = false;
      starts[0] = i;
      this.escaped[0] = 0;
      for (;;) {
        if (i >= n) {
          if (!final) break records;
          ends[f] = n;
          f++;
          break;
        }
        let c = b[i] as number;
        if (c === Q && i === starts[f]) {
          const closed = this.closingQuote(i + 1, n, final);
          if (closed < 0) {
            if (!final) break records;
            throw new CsvFormatError(
              this.file,
              this.line + lines,
              f + 1,
              "a quoted field is never closed (unterminated quote); close it or remove the stray quote",
            );
          }
          const doubled = this.quoteDoubled;
          lines += this.quoteLines;
          starts[f] = i + 1;
          ends[f] = closed;
          anyQuoted = true;
          this.escaped[f] = doubled ? DOUBLED : QUOTED;
          if (doubled) anyEscaped = true;
          i = closed + 1;
          if (i >= n) {
            if (!final) break records;
            f++;
            break;
          }
          c = b[i] as number;
          if (c !== D && c !== 10 && c !== 13) {
            throw new CsvFormatError(
              this.file,
              this.line + lines,
              f + 1,
              `unexpected character ${JSON.stringify(String.fromCharCode(c))} after a closing quote; quotes inside a quoted field must be doubled ("")`,
            );
          }
        } else {
          i = unquotedFieldEnd(b, i, n, D, hashes, hashes2, f);
          if (i >= n) {
            if (!final) break records;
            ends[f] = n;
            f++;
            break;
          }
          ends[f] = i;
          c = b[i] as number;
        }
        // Field f ended at i, on a delimiter (another field follows) or a newline (the record ends).
        f++;
        if (c !== D) break;
        if (f === starts.length) {
          this.growFields();
          starts = view.starts;
          ends = view.ends;
          hashes = view.hashes;
          hashes2 = view.hashes2;
        }
        starts[f] = i + 1;
        this.escaped[f] = 0;
        i++;
      }
      // The record is complete: it ends at i (a newline, or the end of the input).
      if (anyEscaped) this.undoDoubledQuotes(f);
      if (anyQuoted) {
        // Quoted fields were not hashed while scanning (their bytes change when quotes are undone).
        for (let k = 0; k < f; k++) {
          if (this.escaped[k] === 0) continue;
          hashes[k] = hashBytes(b, starts[k] as number, ends[k] as number);
          hashes2[k] = hashBytes2(b, starts[k] as number, ends[k] as number);
        }
      }
      // An empty line, or one of spaces and tabs alone (as pandas skips them): no record.
      const blank = f === 1 && b[pos] !== Q && onlySpaces(b, starts[0] as number, ends[0] as number);
      if (!blank) {
        view.count = f;
        view.line = this.line;
        view.quoted = anyQuoted;
        visit(view);
      }
      this.line += lines + 1;
      if (i >= n) {
        pos = n;
      } else if (b[i] === 13) {
        if (i + 1 < n) pos = b[i + 1] === 10 ? i + 2 : i + 1;
        else {
          pos = n;
          this.pendingCR = !final;
        }
      } else {
        pos = i + 1;
      }
    }
    // Keep the unfinished record for the next chunk.
    const rest = n - pos;
    if (rest > 0 && pos > 0) b.copyWithin(0, pos, n);
    this.length = rest;
    this.rescanAt = rest > RESCAN_THRESHOLD ? rest * 2 : 0;
  }

  /**
   * With a memo: when the record at `pos` is one line without quotes or a lone CR, looks that line up
   * whole. A repeat is reported and the position after it returned; otherwise -1, with the line noted
   * in the view (for the caller's {@link LineMemo.add}) when it was one plain line.
   */
  private repeatedLine(live: Buffer, pos: number, repeats: Repeats): number {
    const memo = repeats.memo;
    // The line expected next, checked in place: if its bytes are here and a line break follows, the
    // record is that line (no search for the line's end; the line has no quote or CR, or it would not
    // have been remembered).
    const expected = memo.expectedLength();
    const after = pos + expected;
    if (expected > 0 && after + 1 < live.length) {
      const c = live[after];
      const newline = c === 10 ? after : c === 13 && live[after + 1] === 10 ? after + 1 : -1;
      if (newline > 0) {
        const payload = memo.findExpected(live, pos);
        if (payload >= 0) {
          repeats.repeat(payload, this.line);
          this.line++;
          return newline + 1;
        }
      }
    }
    const newline = live.indexOf(10, pos);
    if (newline <= pos) return -1;
    const end = live[newline - 1] === 13 ? newline - 1 : newline;
    if (this.nextQuote < pos) this.nextQuote = indexOrEnd(live, this.quote, pos);
    if (this.nextCR < pos) this.nextCR = indexOrEnd(live, 13, pos);
    if (this.nextQuote < newline || this.nextCR < end || end === pos) return -1;
    const payload = memo.find(live, pos, end);
    if (payload >= 0) {
      repeats.repeat(payload, this.line);
      this.line++;
      return newline + 1;
    }
    const view = this.view;
    view.lineStart = pos;
    view.lineEnd = end;
    view.lineHash = memo.hash;
    return -1;
  }

  /**
   * The closing quote of a quoted field whose content starts at `from`, or -1 when the bytes so far
   * do not close it; sets {@link quoteDoubled} and {@link quoteLines} (line breaks inside).
   */
  private closingQuote(from: number, n: number, final: boolean): number {
    const b = this.work;
    const Q = this.quote;
    let lines = 0;
    let doubled = false;
    let closed = -1;
    for (let j = from; j < n; j++) {
      const c = b[j] as number;
      if (c === Q) {
        if (j + 1 < n) {
          if (b[j + 1] === Q) {
            doubled = true;
            j++;
            continue;
          }
          closed = j;
        } else if (final) {
          closed = j;
        }
        break;
      }
      if (c === 10) {
        if (b[j - 1] !== 13) lines++;
      } else if (c === 13) {
        lines++;
      }
    }
    this.quoteDoubled = doubled;
    this.quoteLines = lines;
    return closed;
  }

  private undoDoubledQuotes(count: number): void {
    const b = this.work;
    const { starts, ends } = this.view;
    const Q = this.quote;
    for (let k = 0; k < count; k++) {
      if (this.escaped[k] !== DOUBLED) continue;
      let w = starts[k] as number;
      const e = ends[k] as number;
      for (let r = w; r < e; r++) {
        const c = b[r] as number;
        b[w++] = c;
        if (c === Q) r++;
      }
      ends[k] = w;
    }
  }
}

/**
 * Where the unquoted field starting at `i` ends (its delimiter or line break, or `n`), with its two
 * hashes stored at `hashes[f]` and `hashes2[f]`. Hashing while each byte is at hand costs far less
 * than a second loop over the field. A small function of its own: it is compiled within the first
 * few records, long before the whole scan loop is.
 */
function unquotedFieldEnd(b: Buffer, i: number, n: number, D: number, hashes: Int32Array, hashes2: Int32Array, f: number): number {
  let h = FNV_OFFSET;
  let g = MURMUR_SEED;
  for (; i < n; i++) {
    const c = b[i] as number;
    if (c === D || c === 10 || c === 13) break;
    h = Math.imul(h ^ c, FNV_PRIME);
    g = Math.imul(g ^ c, MURMUR_M);
    g ^= g >>> 13;
  }
  hashes[f] = h;
  hashes2[f] = g;
  return i;
}

/** Where `byte` next occurs in `bytes` from `from`, or `bytes.length`. */
function indexOrEnd(bytes: Buffer, byte: number, from: number): number {
  const at = bytes.indexOf(byte, from);
  return at < 0 ? bytes.length : at;
}

/** Whether `b[start, end)` holds nothing but spaces and tabs (or nothing). */
function onlySpaces(b: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = b[k] as number;
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}
