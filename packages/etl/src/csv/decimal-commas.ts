const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const DOT = 0x2e;

/** A number written with a decimal comma (`3,14`, `-0,5`, `,5`, `1,5E-3`), spaces around it allowed. */
export const DECIMAL_COMMA = /^\s*[-+]?(\d+,\d*|,\d+)([eE][-+]?\d+)?\s*$/u;
/** A number as a decimal-comma column may also hold it: with its comma or without (`12`). */
const COMMA_OR_INTEGER = /^\s*[-+]?(\d+(,\d*)?|,\d+)([eE][-+]?\d+)?\s*$/u;
/** The longest field held back while it may still be such a number. */
const LONGEST = 64;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

/**
 * Rewrites numbers written with a decimal comma (`13,44`, as spreadsheets write them where the comma is
 * the decimal mark, in `;`-separated files) with a decimal point, chunk by chunk, in the columns
 * chosen (or all): an unquoted field that is such a number, whole, gets a point for its comma; any
 * other field, and any quoted one, passes unchanged. Runs on the bytes the tokenizer reads (after
 * white space runs became tabs), with their delimiter. Lengths and line breaks never change.
 */
export class DecimalCommas {
  private state = FIELD_START;
  private column = 0;
  /** The current field's bytes while it may still be a decimal-comma number. */
  private held: number[] = [];
  private holding = false;

  constructor(
    private readonly delimiter: number,
    private readonly columns: ReadonlySet<number> | "all",
  ) {}

  /** The chunk's bytes rewritten, in a new array (a field held back at a chunk's end comes out in the next). */
  push(chunk: Uint8Array): Uint8Array {
    const out = new Uint8Array(chunk.length + this.held.length);
    let at = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      const state = this.state;
      if (state === QUOTED) {
        out[at++] = c;
        if (c === QUOTE) this.state = QUOTE_SEEN;
        continue;
      }
      if (state === QUOTE_SEEN) {
        out[at++] = c;
        // A doubled quote goes on with the field; anything else ends it (the tokenizer judges what follows).
        this.state = c === QUOTE ? QUOTED : c === this.delimiter || c === LF || c === CR ? FIELD_START : UNQUOTED;
        if (c === LF || c === CR) this.column = 0;
        else if (c === this.delimiter) this.column++;
        continue;
      }
      if (c === this.delimiter || c === LF || c === CR) {
        at = this.release(out, at);
        out[at++] = c;
        this.state = FIELD_START;
        this.column = c === this.delimiter ? this.column + 1 : 0;
        continue;
      }
      if (state === FIELD_START) {
        if (c === QUOTE) {
          out[at++] = c;
          this.state = QUOTED;
          continue;
        }
        this.state = UNQUOTED;
        this.holding = this.columns === "all" || this.columns.has(this.column);
      }
      if (this.holding) {
        if (this.held.length < LONGEST && (isDigit(c) || c === COMMA || c === 0x2b || c === 0x2d || c === 0x65 || c === 0x45 || c === SPACE || c === TAB)) {
          this.held.push(c);
          continue;
        }
        // Not a number: what was held goes out as it came, and the rest of the field as it comes.
        at = this.flush(out, at, false);
      }
      out[at++] = c;
    }
    return out.subarray(0, at);
  }

  /** The field held when the input ends (a last line without a line break). */
  end(): Uint8Array {
    const out = new Uint8Array(this.held.length);
    const at = this.release(out, 0);
    return out.subarray(0, at);
  }

  /** A field has ended: what was held goes out, its comma a point if it is a decimal-comma number. */
  private release(out: Uint8Array, at: number): number {
    if (!this.holding) return at;
    return this.flush(out, at, DECIMAL_COMMA.test(String.fromCharCode(...this.held)));
  }

  private flush(out: Uint8Array, at: number, point: boolean): number {
    for (const b of this.held) out[at++] = point && b === COMMA ? DOT : b;
    this.held.length = 0;
    this.holding = false;
    return at;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * The columns of sample records (the header left out) that hold numbers with a decimal comma: every
 * value is such a number or an integer (blanks and `missing` tokens aside), and one at least has its comma.
 */
export function decimalCommaColumns(records: readonly (readonly string[])[], missing: ReadonlySet<string>): Set<number> {
  const found = new Set<number>();
  const width = Math.max(0, ...records.map((r) => r.length));
  for (let j = 0; j < width; j++) {
    let comma = false;
    let all = true;
    for (const r of records) {
      const v = r[j];
      if (v === undefined || v.trim() === "" || missing.has(v.trim())) continue;
      if (!COMMA_OR_INTEGER.test(v)) {
        all = false;
        break;
      }
      if (!comma && DECIMAL_COMMA.test(v)) comma = true;
    }
    if (all && comma) found.add(j);
  }
  return found;
}
