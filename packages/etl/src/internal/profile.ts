import { hashString1, hashString2, RowHashSet } from "./row-hash-set.js";
import { ValueHead } from "./value-head.js";
import { isBooleanText, isDateText, numberKind } from "./values.js";

export const DISTINCT_CAP = 1000;
/** Distinct values are tracked exactly up to here, enough to tell an identifier column on large files. */
const IDENTITY_CAP = 1_000_000;

/**
 * What the schema decisions read of one column's normalised values ("" is missing): the native
 * profile gathers it in a streaming pass, an engine answers it with aggregates (see engine/profile-sql).
 */
export interface ColumnFacts {
  readonly name: string;
  readonly nonMissing: number;
  readonly missing: number;
  /** Values that are finite numbers, and those of them written as integers. */
  readonly numeric: number;
  readonly integer: number;
  /** Values that are not numbers but true/false, and (neither) dates. */
  readonly boolean: number;
  readonly date: number;
  readonly min: number;
  readonly max: number;
  /** The first DISTINCT_CAP distinct values met (in the order of the rows) with their counts. */
  readonly counts: ReadonlyMap<string, number>;
  /** More than DISTINCT_CAP distinct values. */
  readonly distinctCapped: boolean;
  readonly unique: number;
  /** Every non-missing value is distinct. */
  readonly allDistinct: boolean;
  /** Distinct values that are not numbers (counted up to 20 at least). */
  readonly nonNumericValues: { readonly size: number };
  /** The first cells that are not numbers, with their lines, to explain a type mismatch. */
  readonly nonNumericExamples: readonly { line: number; value: string }[];
  /** The first cells that are not dates, with their lines. */
  readonly nonDateExamples: readonly { line: number; value: string }[];
  /**
   * Cells read as missing because they hold a missing token (`None`, `NA`...), not a blank: each token
   * with its count (the first 20 tokens met). Absent where nobody counted them.
   */
  readonly missingTokens?: ReadonlyMap<string, number>;
}

/** How many distinct missing tokens a profile counts. */
const TOKEN_CAP = 20;

/** Whether integer values run without gaps from min to max, all distinct (a row number). */
export function isSequence(p: ColumnFacts): boolean {
  return p.integer === p.nonMissing && !p.distinctCapped && p.unique === p.nonMissing && p.max - p.min + 1 === p.nonMissing;
}

/** Running evidence about one column, gathered in one streaming pass. */
export class ColumnProfile implements ColumnFacts {
  nonMissing = 0;
  missing = 0;
  numeric = 0;
  integer = 0;
  boolean = 0;
  date = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly counts = new Map<string, number>();
  distinctCapped = false;
  /** Fingerprints of every value while all are distinct (up to IDENTITY_CAP); dropped at the first repeat. */
  private distinct: RowHashSet | undefined = new RowHashSet(1024);
  private distinctUntracked = 0;
  private distinctSettled: boolean | undefined;
  /** First cells that are not numbers, with their lines, to explain a type mismatch. */
  readonly nonNumericExamples: { line: number; value: string }[] = [];
  readonly nonNumericValues = new Set<string>();
  /** First cells that are not dates, with their lines, to explain why a date rule cannot apply. */
  readonly nonDateExamples: { line: number; value: string }[] = [];
  readonly missingTokens = new Map<string, number>();
  /** `trackDistinct: false` skips the identifier evidence (and its memory) where the type is already known. */
  constructor(
    readonly name: string,
    options: { trackDistinct?: boolean } = {},
  ) {
    if (options.trackDistinct === false) this.distinct = undefined;
  }

  add(value: string, line: number): void {
    this.addMany(value, 1, line);
  }

  /** Adds `count` cells holding `value`, the first of them on `line`. */
  addMany(value: string, count: number, line: number): void {
    if (count <= 0) return;
    if (value === "") {
      this.missing += count;
      return;
    }
    this.nonMissing += count;
    const kind = numberKind(value);
    const n = kind === 0 ? Number.NaN : Number(value);
    if (kind !== 0 && Number.isFinite(n)) {
      this.numeric += count;
      if (kind === 2) this.integer += count;
      if (n < this.min) this.min = n;
      if (n > this.max) this.max = n;
      if (this.nonDateExamples.length < 5) this.nonDateExamples.push({ line, value });
    } else {
      if (this.nonNumericValues.size < 20) this.nonNumericValues.add(value);
      if (this.nonNumericExamples.length < 5) this.nonNumericExamples.push({ line, value });
      if (isBooleanText(value)) this.boolean += count;
      else if (isDateText(value)) this.date += count;
      else if (this.nonDateExamples.length < 5) this.nonDateExamples.push({ line, value });
    }
    if (this.distinct) this.trackDistinct(hashString1(value), hashString2(value), count, line);
    const c = this.counts.get(value);
    if (c !== undefined) this.counts.set(value, c + count);
    else if (this.counts.size < DISTINCT_CAP) this.counts.set(value, count);
    else this.distinctCapped = true;
  }

  /** Counts `count` cells that the missing token `token` (trimmed, not blank) made missing; they are counted missing by {@link addMany}. */
  addMissingToken(token: string, count: number): void {
    const c = this.missingTokens.get(token);
    if (c !== undefined) this.missingTokens.set(token, c + count);
    else if (this.missingTokens.size < TOKEN_CAP) this.missingTokens.set(token, count);
  }

  /**
   * Adds one cell holding a plain number read from bytes (see readPlainNumber), with its text's
   * hashString1 / hashString2. Its value is not counted in {@link counts}: the caller counts it with
   * {@link countValue} or, when it is past the first thousand distinct values, sets {@link distinctCapped}.
   */
  addPlainNumber(n: number, integer: boolean, hash1: number, hash2: number, line: number): void {
    this.nonMissing++;
    this.numeric++;
    if (integer) this.integer++;
    if (n < this.min) this.min = n;
    if (n > this.max) this.max = n;
    if (this.distinct) this.trackDistinct(hash1, hash2, 1, line);
  }

  /**
   * {@link addMany} for `count` cells holding a plain number read from bytes (see readPlainNumber), with
   * its text's hashString1 / hashString2: the same evidence, the text made (by `text`) only where it is
   * kept — the first examples and the first DISTINCT_CAP values counted, or a count to add to one of them.
   */
  addPlainMany(n: number, integer: boolean, hash1: number, hash2: number, count: number, line: number, text: () => string): void {
    if (count <= 0) return;
    this.nonMissing += count;
    this.numeric += count;
    if (integer) this.integer += count;
    if (n < this.min) this.min = n;
    if (n > this.max) this.max = n;
    let value: string | undefined;
    if (this.nonDateExamples.length < 5) {
      value = text();
      this.nonDateExamples.push({ line, value });
    }
    if (this.distinct) this.trackDistinct(hash1, hash2, count, line);
    if (this.counts.size < DISTINCT_CAP) {
      value ??= text();
      const c = this.counts.get(value);
      this.counts.set(value, c === undefined ? count : c + count);
      return;
    }
    // Full: the value is one of the counted ones or it is not counted (no string for the latter).
    if (!this.countedHashes) {
      this.countedHashes = new ValueHead(DISTINCT_CAP);
      for (const key of this.counts.keys()) this.countedHashes.add(key, hashString1(key), hashString2(key), 0);
    }
    const k = this.countedHashes.find(hash1, hash2);
    if (k < 0) this.distinctCapped = true;
    else {
      const key = this.countedHashes.values[k] as string;
      this.counts.set(key, (this.counts.get(key) as number) + count);
    }
  }

  /** The counted values' hashes, once {@link counts} is full (it then takes no new value). */
  private countedHashes: ValueHead | undefined;

  /** Counts `count` more cells of `value` in {@link counts} only (their other evidence was added already). */
  countValue(value: string, count: number): void {
    if (count <= 0) return;
    const c = this.counts.get(value);
    if (c !== undefined) this.counts.set(value, c + count);
    else if (this.counts.size < DISTINCT_CAP) this.counts.set(value, count);
    else this.distinctCapped = true;
  }

  private trackDistinct(hash1: number, hash2: number, count: number, line: number): void {
    const distinct = this.distinct as RowHashSet;
    if (count > 1) this.distinct = undefined;
    else if (distinct.size < IDENTITY_CAP) {
      if (distinct.addValue(hash1, hash2, line) >= 0) this.distinct = undefined;
    } else if (distinct.hasValue(hash1, hash2)) this.distinct = undefined;
    // Past the cap, later values are checked against the first million only: a repeat among
    // them goes unseen, but an identifier column of any length is still recognised.
    else this.distinctUntracked++;
  }

  /** True while every non-missing value seen so far is distinct. */
  get allDistinct(): boolean {
    if (this.distinctSettled !== undefined) return this.distinctSettled;
    return this.distinct !== undefined && this.distinct.size + this.distinctUntracked === this.nonMissing;
  }

  /** Frees the fingerprints behind {@link allDistinct} (megabytes on an identifier column), keeping its answer. */
  settleDistinct(): void {
    this.distinctSettled = this.allDistinct;
    this.distinct = undefined;
  }

  /** Distinct values counted: all of them, or DISTINCT_CAP when there are more (`distinctCapped`). */
  get unique(): number {
    return this.distinctCapped ? DISTINCT_CAP : this.counts.size;
  }
}
