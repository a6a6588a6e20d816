import { isBooleanText, isDateText, numberKind } from "./values.js";

const DISTINCT_CAP = 1000;
/** Distinct values are tracked exactly up to here, enough to tell an identifier column on large files. */
const IDENTITY_CAP = 1_000_000;

/** Running evidence about one column, gathered in one streaming pass. */
export class ColumnProfile {
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
  /** Every distinct value while there are fewer than IDENTITY_CAP; dropped once it stops being all-distinct. */
  private distinctAll: Set<string> | undefined = new Set();
  /** First cells that are not numbers, with their lines, to explain a type mismatch. */
  readonly nonNumericExamples: { line: number; value: string }[] = [];
  readonly nonNumericValues = new Set<string>();
  constructor(readonly name: string) {}

  add(value: string, line: number): void {
    if (value === "") {
      this.missing++;
      return;
    }
    this.nonMissing++;
    const kind = numberKind(value);
    const n = kind === 0 ? Number.NaN : Number(value);
    if (kind !== 0 && Number.isFinite(n)) {
      this.numeric++;
      if (kind === 2) this.integer++;
      if (n < this.min) this.min = n;
      if (n > this.max) this.max = n;
    } else {
      if (this.nonNumericValues.size < 20) this.nonNumericValues.add(value);
      if (this.nonNumericExamples.length < 5) this.nonNumericExamples.push({ line, value });
      if (isBooleanText(value)) this.boolean++;
      else if (isDateText(value)) this.date++;
    }
    if (this.distinctAll) {
      if (this.distinctAll.has(value) || this.distinctAll.size >= IDENTITY_CAP) this.distinctAll = undefined;
      else this.distinctAll.add(value);
    }
    const c = this.counts.get(value);
    if (c !== undefined) this.counts.set(value, c + 1);
    else if (this.counts.size < DISTINCT_CAP) this.counts.set(value, 1);
    else this.distinctCapped = true;
  }

  /** True while every non-missing value seen so far is distinct. */
  get allDistinct(): boolean {
    return this.distinctAll !== undefined && this.distinctAll.size === this.nonMissing;
  }

  get unique(): number {
    return this.counts.size;
  }

  /** Whether integer values run without gaps from min to max, all distinct (a row number). */
  isSequence(): boolean {
    return this.integer === this.nonMissing && !this.distinctCapped && this.unique === this.nonMissing && this.max - this.min + 1 === this.nonMissing;
  }
}
