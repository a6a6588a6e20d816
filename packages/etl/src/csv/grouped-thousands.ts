const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** A number with its thousands grouped by commas: `1,234`, `-12,345,678.9`. */
export const GROUPED = /^\s*[-+]?\d{1,3}(,\d{3})+(\.\d+)?\s*$/u;
/** What a column of grouped numbers may also hold: plain ones. */
const GROUPED_OR_PLAIN = /^\s*[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$/u;
/** The longest field held back while it may still be such a number. */
const LONGEST = 64;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;
const HOLD_UNQUOTED = 4;
const HOLD_QUOTED = 5;
const HOLD_QUOTE_SEEN = 6;

/**
 * Takes the grouping commas out of numbers written `1,234,567.5` (quoted in a comma-separated file, as
 * spreadsheets and reports export them) in the columns chosen, chunk by chunk: a field, quoted or not,
 * that is such a number, whole, loses its commas (and keeps its quotes); any other passes unchanged.
 * Runs on the bytes the tokenizer reads, with their delimiter; line breaks never change.
 */
export class GroupedThousands {
  private state = FIELD_START;
  private column = 0;
  private held: number[] = [];

  constructor(
    private readonly delimiter: number,
    private readonly columns: ReadonlySet<number>,
  ) {}

  /** The chunk's bytes rewritten, in a new array (a field held back at a chunk's end comes out in the next). */
  push(chunk: Uint8Array): Uint8Array {
    // At most the bytes held from before, plus two quotes around them, plus the chunk.
    const out = new Uint8Array(chunk.length + this.held.length + 2);
    let at = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      const ends = c === this.delimiter || c === LF || c === CR;
      switch (this.state) {
        case QUOTED:
          out[at++] = c;
          if (c === QUOTE) this.state = QUOTE_SEEN;
          continue;
        case QUOTE_SEEN:
          out[at++] = c;
          if (c === QUOTE) this.state = QUOTED;
          else if (ends) this.next(c);
          else this.state = UNQUOTED;
          continue;
        case UNQUOTED:
          out[at++] = c;
          if (ends) this.next(c);
          continue;
        case HOLD_UNQUOTED:
          if (ends) {
            at = this.release(out, at, false);
            out[at++] = c;
            this.next(c);
          } else if (this.holds(c)) this.held.push(c);
          else {
            at = this.flush(out, at, false, false);
            out[at++] = c;
            this.state = UNQUOTED;
          }
          continue;
        case HOLD_QUOTED:
          if (c === QUOTE) this.state = HOLD_QUOTE_SEEN;
          else if (this.holds(c)) this.held.push(c);
          else {
            at = this.flush(out, at, true, false);
            out[at++] = c;
            this.state = QUOTED;
          }
          continue;
        case HOLD_QUOTE_SEEN:
          if (ends) {
            at = this.release(out, at, true);
            out[at++] = c;
            this.next(c);
          } else {
            // A doubled quote, or text after the closing one: not a number; the bytes go out as they came.
            at = this.flush(out, at, true, true);
            out[at++] = c;
            this.state = c === QUOTE ? QUOTED : UNQUOTED;
          }
          continue;
        default:
          // FIELD_START
          if (ends) {
            out[at++] = c;
            this.next(c);
          } else if (!this.columns.has(this.column)) {
            out[at++] = c;
            this.state = c === QUOTE ? QUOTED : UNQUOTED;
          } else if (c === QUOTE) this.state = HOLD_QUOTED;
          else if (this.holds(c)) {
            this.held.push(c);
            this.state = HOLD_UNQUOTED;
          } else {
            out[at++] = c;
            this.state = UNQUOTED;
          }
      }
    }
    return out.subarray(0, at);
  }

  /** The field held when the input ends (a last line without a line break). */
  end(): Uint8Array {
    const out = new Uint8Array(this.held.length + 2);
    let at = 0;
    if (this.state === HOLD_UNQUOTED) at = this.release(out, 0, false);
    else if (this.state === HOLD_QUOTE_SEEN) at = this.release(out, 0, true);
    // An unclosed quote: as it came, for the tokenizer to report.
    else if (this.state === HOLD_QUOTED) at = this.flush(out, 0, true, false);
    this.state = FIELD_START;
    return out.subarray(0, at);
  }

  private holds(c: number): boolean {
    return this.held.length < LONGEST && ((c >= 0x30 && c <= 0x39) || c === COMMA || c === 0x2e || c === 0x2b || c === 0x2d || c === SPACE || c === TAB);
  }

  /** The field ended after `delimiter` or a line break: the next one starts. */
  private next(c: number): void {
    this.state = FIELD_START;
    this.column = c === this.delimiter ? this.column + 1 : 0;
  }

  /** A whole field was held: out without its commas if it is a grouped number, else as it came. */
  private release(out: Uint8Array, at: number, quoted: boolean): number {
    const grouped = GROUPED.test(String.fromCharCode(...this.held));
    let k = at;
    if (quoted) out[k++] = QUOTE;
    for (const b of this.held) if (!(grouped && b === COMMA)) out[k++] = b;
    if (quoted) out[k++] = QUOTE;
    this.held.length = 0;
    return k;
  }

  /** What was held, as it came: the opening quote first when quoted, and the closing one when it was read. */
  private flush(out: Uint8Array, at: number, opened: boolean, closed: boolean): number {
    let k = at;
    if (opened) out[k++] = QUOTE;
    for (const b of this.held) out[k++] = b;
    if (closed) out[k++] = QUOTE;
    this.held.length = 0;
    return k;
  }
}

/**
 * The columns of sample records (the header left out) that hold numbers with grouped thousands: every
 * value is such a number or a plain one (blanks and `missing` tokens aside), and one at least is grouped.
 */
export function groupedThousandsColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  const found = new Set<number>();
  const width = Math.max(0, ...records.map((r) => r.length));
  for (let j = 0; j < width; j++) {
    let grouped = false;
    let all = true;
    for (const r of records) {
      const v = r[j];
      if (v === undefined || v.trim() === "" || missing.has(v.trim())) continue;
      if (!GROUPED_OR_PLAIN.test(v)) {
        all = false;
        break;
      }
      if (!grouped && GROUPED.test(v)) grouped = true;
    }
    if (all && grouped) found.add(j);
  }
  return found;
}
