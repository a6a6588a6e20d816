import { FeatureError } from "./errors.js";
import { type CellCleaner, cleanedValue, type Preprocessor } from "./preprocess/preprocessor.js";

/**
 * Rows of cells given as ids of their columns' distinct values (a CSV read as bytes: `CsvByteBatch`
 * of @pipe/etl has this shape): row `i`'s cell of column `j` is field `first[i] + j` when
 * `j < first[i + 1] - first[i]` (a shorter row lacks it: an empty cell); its value is `ids[o]`, or,
 * where the id is -1, `text(o)`.
 */
export interface CellBatch {
  rows: number;
  first: Int32Array;
  ids: Int32Array;
  text(o: number): string;
  /** Field `o`'s UTF-8 bytes are `bytes[starts[o], ends[o])`, when the batch has them: a plain number is then read without its text. */
  bytes?: Uint8Array;
  starts?: Int32Array;
  ends?: Int32Array;
}

/** What one cell of a column makes: missing or not, and for a model column its matrix values, warning or error. */
export interface CellOutcome {
  /** Blank or a missing token (after trimming). */
  missing: boolean;
  /** The spec's matrix values (one, or two with a missing indicator). */
  values: Float64Array;
  warning: string | undefined;
  /** Why the row cannot be scored (a number column's cell that is not a number). */
  error: string | undefined;
}

/** Distinct values decided per column: past this many, a column's cells are decided one by one. */
const MAX_KEPT = 1 << 16;

/**
 * Each column's cells decided once per distinct value (`Preprocessor.transformValue` on the trimmed
 * text, a missing token as missing), kept by value id: a stream of millions of rows decodes and
 * decides a column of a few hundred values a few hundred times.
 */
export class CellOutcomes {
  private readonly kept: (CellOutcome | undefined)[][];
  /**
   * Per column, how each value id was decided (0: not yet; PLAIN_1/PLAIN_2: its one or two matrix
   * values, nothing else to say, are in `plain` at 2·id; KEPT: its outcome object is in `kept`). A
   * wide file's numbers fill every column's 4,096 ids: an object and a typed array for each held
   * ~75 MB on 61 columns, two numbers each hold 16 bytes.
   */
  private readonly kinds: Uint8Array[];
  private readonly plain: Float64Array[];
  private readonly scratch: Float64Array;
  private readonly warnings: string[] = [];

  constructor(
    private readonly preprocessor: Preprocessor,
    /** Per table column, the spec it feeds (-1: none). */
    private readonly specOf: Int32Array,
    private readonly missing: ReadonlySet<string>,
    private readonly valueText: (column: number, id: number) => string,
  ) {
    this.kept = Array.from(specOf, () => []);
    this.kinds = Array.from(specOf, () => NO_KINDS);
    this.plain = Array.from(specOf, () => EMPTY);
    // As wide as the widest spec: a date's four parts.
    this.scratch = new Float64Array(4);
    // A column the ETL's rules clean (see Preprocessor.useCleaning) is read as text: its cleaning may change a number.
    this.numeric = Array.from(specOf, (spec) => spec >= 0 && preprocessor.specs[spec]?.kind === "numeric" && !preprocessor.cleanerOf(spec));
    // A missing token that reads as a number (say "-999") must be seen as text: no number from bytes then.
    this.numbersFromBytes = ![...missing].some((t) => t.trim() !== "" && Number.isFinite(Number(t.trim())));
    this.cleaners = Array.from(specOf, (spec) => (spec >= 0 ? preprocessor.cleanerOf(spec) : undefined));
  }

  /** Per table column, the cleaning of its cells (the ETL's, see Preprocessor.useCleaning). */
  private readonly cleaners: (CellCleaner | undefined)[];

  /** Per table column, whether it feeds a numeric spec whose numbers may be read from their bytes. */
  private readonly numeric: boolean[];
  private readonly numbersFromBytes: boolean;

  /**
   * The outcome of field `o` of `batch`, in table column `j` (`o` < 0: the row has no such cell). A
   * cell without an id (a column of many values) is decided into one reused outcome: read it before
   * the next call.
   */
  of(batch: CellBatch, j: number, o: number): CellOutcome {
    if (o < 0) return this.decide(j, "", undefined);
    const id = batch.ids[o] as number;
    if (id < 0) {
      // A column of many values (an amount, an identifier): a plain number is read from its bytes.
      if (this.numbersFromBytes && this.numeric[j] && batch.bytes && batch.starts && batch.ends) {
        const v = plainNumber(batch.bytes, batch.starts[o] as number, batch.ends[o] as number);
        if (!Number.isNaN(v)) return this.transform(this.specOf[j] as number, v, this.passing);
      }
      return this.decide(j, batch.text(o), this.passing);
    }
    if (id >= MAX_KEPT) return this.decide(j, this.valueText(j, id), this.passing);
    const kinds = this.kinds[j] as Uint8Array;
    const kind = id < kinds.length ? (kinds[id] as number) : 0;
    if (kind === PLAIN_1 || kind === PLAIN_2) {
      const plain = this.plain[j] as Float64Array;
      const values = this.passingValues[kind] as Float64Array;
      values[0] = plain[2 * id] as number;
      if (kind === PLAIN_2) values[1] = plain[2 * id + 1] as number;
      return outcome(this.passing, false, values, undefined, undefined);
    }
    if (kind === KEPT) return (this.kept[j] as CellOutcome[])[id] as CellOutcome;
    const decided = this.decide(j, this.valueText(j, id), undefined);
    this.keep(j, id, decided);
    return decided;
  }

  /**
   * Column `j`'s cell of every row of `batch` decided, its values written at the row's index into
   * `into` (the spec's matrix columns; none for a column that feeds no spec). A value whose numbers
   * are all it says is copied straight from what its id keeps; any other outcome (missing, with a
   * warning or an error) is also handed to `other` with its row. The same outcomes as `of`, cell by
   * cell, without a call per cell for the values most cells hold.
   */
  decideColumn(batch: CellBatch, j: number, into: readonly Float64Array[], other: (i: number, outcome: CellOutcome) => void): void {
    const { rows, first, ids } = batch;
    const width = into.length;
    const a = into[0] as Float64Array;
    const b = into[1] as Float64Array;
    let kinds = this.kinds[j] as Uint8Array;
    let plain = this.plain[j] as Float64Array;
    for (let i = 0; i < rows; i++) {
      const base = first[i] as number;
      const o = j < (first[i + 1] as number) - base ? base + j : -1;
      if (o >= 0) {
        const id = ids[o] as number;
        const kind = id >= 0 && id < kinds.length ? (kinds[id] as number) : 0;
        if (kind === PLAIN_1 && width === 1) {
          a[i] = plain[2 * id] as number;
          continue;
        }
        if (kind === PLAIN_2 && width === 2) {
          a[i] = plain[2 * id] as number;
          b[i] = plain[2 * id + 1] as number;
          continue;
        }
      }
      const decided = this.of(batch, j, o);
      const values = decided.values;
      for (let v = 0; v < values.length; v++) (into[v] as Float64Array)[i] = values[v] as number;
      if (decided.missing || decided.warning !== undefined || decided.error !== undefined) other(i, decided);
      // Deciding a new value may have grown the column's tables.
      kinds = this.kinds[j] as Uint8Array;
      plain = this.plain[j] as Float64Array;
    }
  }

  /** Keeps a value id's outcome: as its numbers when that is all it says, else the object. */
  private keep(j: number, id: number, decided: CellOutcome): void {
    let kinds = this.kinds[j] as Uint8Array;
    if (id >= kinds.length) {
      const size = Math.min(MAX_KEPT, Math.max(2 * kinds.length, 256, id + 1));
      const grownKinds = new Uint8Array(size);
      grownKinds.set(kinds);
      const grownPlain = new Float64Array(2 * size);
      grownPlain.set(this.plain[j] as Float64Array);
      this.kinds[j] = grownKinds;
      this.plain[j] = grownPlain;
      kinds = grownKinds;
    }
    const width = decided.values.length;
    if (!decided.missing && decided.warning === undefined && decided.error === undefined && (width === 1 || width === 2)) {
      const plain = this.plain[j] as Float64Array;
      plain[2 * id] = decided.values[0] as number;
      if (width === 2) plain[2 * id + 1] = decided.values[1] as number;
      kinds[id] = width === 1 ? PLAIN_1 : PLAIN_2;
    } else {
      (this.kept[j] as CellOutcome[])[id] = decided;
      kinds[id] = KEPT;
    }
  }

  /** The outcome of a spec's column that the table does not have. */
  absent(spec: number): CellOutcome {
    const clean = this.preprocessor.cleanerOf(spec);
    return this.transform(spec, clean ? (cleanedValue(clean, undefined) as string | undefined) : undefined, undefined);
  }

  /** The outcome of a cell that is not kept: written over by the next one. */
  private readonly passing: CellOutcome = { missing: false, values: EMPTY, warning: undefined, error: undefined };
  // By width: one number, with a missing indicator, a date's three or four parts.
  private readonly passingValues = [EMPTY, new Float64Array(1), new Float64Array(2), new Float64Array(3), new Float64Array(4)];

  private decide(j: number, text: string, into: CellOutcome | undefined): CellOutcome {
    const clean = this.cleaners[j];
    const v = clean ? clean(text) : text.trim();
    const raw = clean ? (v === "" ? undefined : v) : this.missing.has(v) ? undefined : v;
    const spec = this.specOf[j] as number;
    if (spec < 0) return outcome(into, raw === undefined, EMPTY, undefined, undefined);
    return this.transform(spec, raw, into);
  }

  private transform(spec: number, raw: string | number | undefined, into: CellOutcome | undefined): CellOutcome {
    const w = this.warnings;
    w.length = 0;
    try {
      const width = this.preprocessor.transformValue(spec, raw, this.scratch, 0, w);
      const values = into ? (this.passingValues[width] as Float64Array) : new Float64Array(width);
      for (let k = 0; k < width; k++) values[k] = this.scratch[k] as number;
      return outcome(into, raw === undefined, values, w[0], undefined);
    } catch (error) {
      if (!(error instanceof FeatureError)) throw error;
      return outcome(into, raw === undefined, EMPTY, undefined, error.message);
    }
  }
}

/** An outcome, written into `into` when given. */
function outcome(into: CellOutcome | undefined, missing: boolean, values: Float64Array, warning: string | undefined, error: string | undefined): CellOutcome {
  if (!into) return { missing, values, warning, error };
  into.missing = missing;
  into.values = values;
  into.warning = warning;
  into.error = error;
  return into;
}

const EMPTY = new Float64Array(0);
const NO_KINDS = new Uint8Array(0);
/** How a value id was decided (see CellOutcomes.kinds); 1 and 2 are also the plain values' count. */
const PLAIN_1 = 1;
const PLAIN_2 = 2;
const KEPT = 3;

/** Digits a plain number may have: below 2^53, so its digits make an exact integer. */
const MAX_DIGITS = 15;
/** Past this many bytes a plain number is left to the text path (a number this long is rare). */
const LONGEST = 40;
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Node's Latin-1 decoder, which takes a plain Uint8Array: one native call for the text of a long number. */
const latin1Slice =
  typeof Buffer === "undefined"
    ? undefined
    : (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;

/** The text of ASCII bytes `bytes[start, end)`. */
function asciiText(bytes: Uint8Array, start: number, end: number): string {
  if (latin1Slice) return latin1Slice.call(bytes, start, end);
  let text = "";
  for (let k = start; k < end; k++) text += String.fromCharCode(bytes[k] as number);
  return text;
}

/**
 * The value of `bytes[start, end)` when it is a plain decimal number (spaces or tabs around an optional
 * sign, digits and at most one point), else NaN: exactly `Number(text.trim())`. Up to 15 digits (22 after
 * the point) the digits make an exact integer and an exact power of ten divides it with one rounding
 * (Clinger's fast path); a longer one (a double written in full, 17 significant digits, as pandas,
 * numpy and DuckDB write them) is `Number` of its ASCII text, without the text path's decoding and
 * trimming. Anything else (exponents, other characters, over 40 bytes) is read from its text.
 */
export function plainNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let e = end;
  while (i < e && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  while (e > i && (bytes[e - 1] === 0x20 || bytes[e - 1] === 0x09)) e--;
  const from = i;
  let negative = false;
  if (i < e && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < e; i++) {
    const c = bytes[i] as number;
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 0x2e && decimals < 0) decimals = 0;
    else return Number.NaN;
  }
  if (digits === 0) return Number.NaN;
  if (digits > MAX_DIGITS || decimals > 22) return e - from > LONGEST ? Number.NaN : Number(asciiText(bytes, from, e));
  const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
  return negative ? -value : value;
}
