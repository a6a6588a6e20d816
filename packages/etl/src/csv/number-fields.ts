import { CR, LF, QUOTE } from "./bytes.js";

/** How the numbers of a column are written, and how to write them plainly. */
export interface NumberForm {
  /** Whether a quoted field may be such a number (its quotes are kept). */
  quoted: boolean;
  /** Whether byte `c` may be part of such a number (the field is held back while every byte is). */
  holds(c: number): boolean;
  /** The number's plain bytes, or undefined when `field` (the whole field, quotes aside) is not such a number. */
  plain(field: number[]): number[] | undefined;
  /** How many bytes longer than `field` the plain bytes may be (0 when they never are: a number's form only drops marks). */
  grows?: number;
}

/** The longest field held back while it may still be a number. */
const LONGEST = 64;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;
const HOLD_UNQUOTED = 4;
const HOLD_QUOTED = 5;
const HOLD_QUOTE_SEEN = 6;

/**
 * Rewrites the numbers of chosen columns written in a local form (`13,44`, `"1,234.5"`) plainly, chunk by
 * chunk, on the bytes the tokenizer reads (with its delimiter): a field that is such a number, whole, is
 * written plainly; any other field passes as it came. Quotes are followed as the tokenizer follows
 * them (a quote opens a field only where a field starts), and line breaks never change.
 */
export class NumberFields {
  private state = FIELD_START;
  private column = 0;
  private held: number[] = [];
  private form: NumberForm | undefined;

  /** `forms`: each chosen column's form, or one form for every column. */
  constructor(
    private readonly delimiter: number,
    private readonly forms: ReadonlyMap<number, NumberForm> | NumberForm,
  ) {
    const all = forms instanceof Map ? [...forms.values()] : [forms as NumberForm];
    this.growth = Math.max(0, ...all.map((f) => f.grows ?? 0));
  }

  /** The most bytes a field of these forms may gain when written plainly (a date's padded day, see local-dates.ts). */
  private readonly growth: number;

  /** The chunk's bytes rewritten, in a new array (a field held back at a chunk's end comes out in the next). */
  push(chunk: Uint8Array): Uint8Array {
    // At most the bytes held from before, with the two quotes around them, and the chunk; and, for a
    // form that may lengthen a field, that much more for each field ending in the chunk.
    const out = new Uint8Array(chunk.length + this.held.length + 2 + (this.growth > 0 ? this.growth * (1 + fieldEnds(chunk, this.delimiter)) : 0));
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
        default: {
          // FIELD_START
          if (ends) {
            out[at++] = c;
            this.next(c);
            continue;
          }
          const form = this.forms instanceof Map ? this.forms.get(this.column) : (this.forms as NumberForm);
          this.form = form;
          if (form && c === QUOTE && form.quoted) this.state = HOLD_QUOTED;
          else if (form && this.holds(c)) {
            this.held.push(c);
            this.state = HOLD_UNQUOTED;
          } else {
            out[at++] = c;
            this.state = c === QUOTE ? QUOTED : UNQUOTED;
          }
        }
      }
    }
    return out.subarray(0, at);
  }

  /** The field held when the input ends (a last line without a line break). */
  end(): Uint8Array {
    const out = new Uint8Array(this.held.length + 2 + this.growth);
    let at = 0;
    if (this.state === HOLD_UNQUOTED) at = this.release(out, 0, false);
    else if (this.state === HOLD_QUOTE_SEEN) at = this.release(out, 0, true);
    // An unclosed quote: as it came, for the tokenizer to report.
    else if (this.state === HOLD_QUOTED) at = this.flush(out, 0, true, false);
    this.state = FIELD_START;
    return out.subarray(0, at);
  }

  private holds(c: number): boolean {
    return this.held.length < LONGEST && (this.form as NumberForm).holds(c);
  }

  /** The field ended on `c`, the delimiter or a line break: the next one starts. */
  private next(c: number): void {
    this.state = FIELD_START;
    this.column = c === this.delimiter ? this.column + 1 : 0;
  }

  /** A whole field was held: out plainly if it is a number of the column's form, else as it came. */
  private release(out: Uint8Array, at: number, quoted: boolean): number {
    const bytes = (this.form as NumberForm).plain(this.held) ?? this.held;
    // Room was made for the form's growth (see push): a longer field would be cut short in silence.
    if (bytes.length > this.held.length + ((this.form as NumberForm).grows ?? 0)) {
      throw new RangeError(`a local form wrote ${bytes.length} bytes for a field of ${this.held.length}, past its stated growth`);
    }
    let k = at;
    if (quoted) out[k++] = QUOTE;
    for (const b of bytes) out[k++] = b;
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
 * The columns of sample records (the header left out) whose values all match `form` (blanks and
 * `missing` tokens aside), one at least matching `marked` as well. `marks`: characters a marked value
 * holds one of; a column where no value holds one is passed over without a regular expression (most
 * are). Marks common in other numbers (a decimal point) are better given as `marked` itself, which a
 * column's values are then tested against first.
 */
export function columnsWhere(
  records: readonly (readonly string[])[],
  missing: ReadonlySet<string>,
  form: RegExp,
  marked: RegExp,
  marks: string | "marked",
): Set<number> {
  const found = new Set<number>();
  const width = Math.max(0, ...records.map((r) => r.length));
  const hasMark = (v: string) => {
    if (marks === "marked") return marked.test(v);
    for (let k = 0; k < marks.length; k++) if (v.includes(marks[k] as string)) return true;
    return false;
  };
  for (let j = 0; j < width; j++) {
    if (!records.some((r) => hasMark(r[j] ?? ""))) continue;
    let seen = false;
    let all = true;
    for (const r of records) {
      const v = r[j];
      if (v === undefined || v.trim() === "" || missing.has(v.trim())) continue;
      if (!form.test(v)) {
        all = false;
        break;
      }
      if (!seen && marked.test(v)) seen = true;
    }
    if (all && seen) found.add(j);
  }
  return found;
}

/** How many fields end in `chunk` (its delimiters and line breaks). */
function fieldEnds(chunk: Uint8Array, delimiter: number): number {
  let n = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i] as number;
    if (c === delimiter || c === LF || c === CR) n++;
  }
  return n;
}
