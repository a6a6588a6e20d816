import { FeatureError, ModelError } from "../errors.js";
import type { FeatureInput, Frame, RawRecord } from "../frame.js";
import { type DatePart, datePart, hasTimeOfDay, isoText, isoTime } from "./date-parts.js";
import { type CategoricalSpec, type ColumnSpec, type DateSpec, type NumericSpec, OTHER_LEVEL } from "./spec.js";

/**
 * A column's cleaning of a cell that arrives after training, as the ETL cleaned the training rows (its
 * trim, missing tokens, zero as missing, recode, case, fill): the cleaned text, "" for missing.
 */
export type CellCleaner = (text: string) => string;

export interface PreprocessorOptions {
  /** Categories seen fewer times than this in training are pooled with unseen ones. */
  minCategoryCount?: number;
  /** At most this many levels per categorical column (the rest pooled); trees bin to 256. */
  maxLevels?: number;
  /** Adds a 0/1 feature for each numeric column that had missing values in training. */
  missingIndicators?: boolean;
}

/**
 * Turns raw columns into the numeric matrix the forest reads. Fitted on training rows only: medians,
 * category levels and their order come from them, so nothing of the test rows leaks into the model.
 */
export class Preprocessor {
  readonly minCategoryCount: number;
  readonly maxLevels: number;
  readonly missingIndicators: boolean;
  specs: ColumnSpec[] = [];

  constructor(options: PreprocessorOptions = {}) {
    this.minCategoryCount = options.minCategoryCount ?? 5;
    this.maxLevels = options.maxLevels ?? 250;
    this.missingIndicators = options.missingIndicators ?? false;
  }

  static fromSpecs(specs: ColumnSpec[], options: PreprocessorOptions = {}): Preprocessor {
    const p = new Preprocessor(options);
    p.specs = specs;
    return p;
  }

  fit(frame: Frame, features: readonly FeatureInput[], rows: Int32Array, y: Uint8Array): this {
    this.width = -1;
    if (features.length === 0) throw new ModelError("no feature columns left to train on; check the ETL's dropped columns");
    this.specs = features.map((f) =>
      f.kind === "numeric"
        ? this.fitNumeric(f.name, column(frame.numeric, f.name), rows)
        : f.date
          ? fitDate(f.name, column(frame.categorical, f.name), rows)
          : this.fitCategorical(f.name, column(frame.categorical, f.name), rows, y),
    );
    return this;
  }

  private fitNumeric(name: string, values: Float64Array, rows: Int32Array): NumericSpec {
    const present = new Float64Array(rows.length);
    let n = 0;
    for (let k = 0; k < rows.length; k++) {
      const v = values[rows[k] as number] as number;
      if (!Number.isNaN(v)) present[n++] = v;
    }
    const sorted = present.subarray(0, n).sort();
    const median = medianOfSorted(sorted);
    const missing = rows.length - n;
    return {
      name,
      kind: "numeric",
      median,
      min: n ? (sorted[0] as number) : 0,
      max: n ? (sorted[n - 1] as number) : 0,
      indicator: this.missingIndicators && missing > 0,
      missingInTraining: missing,
    };
  }

  private fitCategorical(name: string, values: readonly string[], rows: Int32Array, y: Uint8Array): CategoricalSpec {
    // Counts by first-seen index: one map lookup per row, no object per category on the hot path.
    const indexOf = new Map<string, number>();
    const seen: string[] = [];
    const counts: number[] = [];
    const positives: number[] = [];
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k] as number;
      const v = values[i] as string;
      let c = indexOf.get(v);
      if (c === undefined) {
        c = seen.length;
        indexOf.set(v, c);
        seen.push(v);
        counts.push(0);
        positives.push(0);
      }
      counts[c] = (counts[c] as number) + 1;
      positives[c] = (positives[c] as number) + (y[i] as number);
    }
    const stats = new Map<string, { n: number; pos: number }>(seen.map((v, c) => [v, { n: counts[c] as number, pos: positives[c] as number }]));
    return categoricalSpec(name, stats, rows.length, this.minCategoryCount, this.maxLevels);
  }

  private width = -1;

  /** Number of matrix columns (cached: the specs do not change after fit). */
  get outputWidth(): number {
    if (this.width < 0) this.width = this.outputNames.length;
    return this.width;
  }

  /** The matrix columns spec `index` writes: its value, and a missing indicator when it has one; a date's parts. */
  specWidth(index: number): number {
    return specWidth(this.specs[index] as ColumnSpec);
  }

  /** The input column each matrix column comes from, in matrix order (a missing indicator's or a date part's own column). */
  get outputColumns(): string[] {
    return this.specs.flatMap((s) => Array.from({ length: specWidth(s) }, () => s.name));
  }

  /** Names of the matrix columns, in order (a missing indicator `x__missing`, a date's parts `d__month`...). */
  get outputNames(): string[] {
    const names: string[] = [];
    for (const s of this.specs) {
      if (s.kind === "date") for (const part of s.parts) names.push(`${s.name}__${part}`);
      else {
        names.push(s.name);
        if (s.kind === "numeric" && s.indicator) names.push(`${s.name}__missing`);
      }
    }
    return names;
  }

  /** The feature matrix of the given rows, column by column. */
  transform(frame: Frame, rows: Int32Array): Float64Array[] {
    const out: Float64Array[] = [];
    for (const s of this.specs) {
      if (s.kind === "numeric") {
        const values = column(frame.numeric, s.name);
        const col = new Float64Array(rows.length);
        const ind = s.indicator ? new Float64Array(rows.length) : undefined;
        for (let k = 0; k < rows.length; k++) {
          const v = values[rows[k] as number] as number;
          if (Number.isNaN(v)) {
            col[k] = s.median;
            if (ind) ind[k] = 1;
          } else col[k] = v;
        }
        out.push(col);
        if (ind) out.push(ind);
      } else if (s.kind === "date") {
        const values = column(frame.categorical, s.name);
        const cols = s.parts.map(() => new Float64Array(rows.length));
        // A date column repeats its values (days, hours): each distinct text parsed once.
        const times = new Map<string, number>();
        for (let k = 0; k < rows.length; k++) {
          const text = values[rows[k] as number] as string;
          let known = times.get(text);
          if (known === undefined) {
            known = isoTime(text);
            times.set(text, known);
          }
          const ms = known;
          s.parts.forEach((part, p) => {
            (cols[p] as Float64Array)[k] = Number.isNaN(ms) ? (s.medians[p] as number) : datePart(ms, part);
          });
        }
        out.push(...cols);
      } else {
        const values = column(frame.categorical, s.name);
        const codes = codeMap(s);
        const col = new Float64Array(rows.length);
        for (let k = 0; k < rows.length; k++) col[k] = codes.get(values[rows[k] as number] as string) ?? s.otherCode;
        out.push(col);
      }
    }
    return out;
  }

  /**
   * One raw record into one matrix row, exactly as `transform` does for training rows.
   * Missing values are imputed, unseen categories pooled; both are reported in `warnings`.
   */
  transformRecord(record: RawRecord, into?: Float64Array, warnings?: string[]): Float64Array {
    const values = this.gathered;
    for (let i = 0; i < this.specs.length; i++) values[i] = record[(this.specs[i] as ColumnSpec).name];
    try {
      return this.transformValues(values, into, warnings);
    } finally {
      values.fill(undefined);
    }
  }

  /** The record's values in spec order, reused from row to row (transformRecord keeps no reference). */
  private readonly gathered: unknown[] = [];

  /**
   * `transformRecord` for a row given as its values in the order of `specs` (a table's cells picked
   * by column): the same matrix row and warnings, without a record object per row.
   */
  transformValues(values: readonly unknown[], into?: Float64Array, warnings?: string[]): Float64Array {
    const row = into ?? new Float64Array(this.outputWidth);
    let k = 0;
    const cleaners = this.cleaners;
    for (let i = 0; i < this.specs.length; i++) {
      const clean = cleaners[i];
      k = this.transformValue(i, clean ? cleanedValue(clean, values[i]) : values[i], row, k, warnings);
    }
    return row;
  }

  /** Per spec, the cleaning of its column's new cells (see useCleaning); empty when there is none. */
  private cleaners: (CellCleaner | undefined)[] = [];

  /**
   * Cleans every later value of a column (records, rows of cells) as the ETL cleaned its training rows,
   * before it is read: `cleanerOf(column)` gives the column's cleaning, or undefined for none. Without
   * it, a 0 the ETL read as missing (zeroMeansMissing) would be a 0 to the model, a recoded or
   * case-normalised word an unseen category, a blank its column's fill reads as a value a gap.
   */
  useCleaning(cleanerOf: (column: string) => CellCleaner | undefined): void {
    this.cleaners = this.specs.map((s) => cleanerOf(s.name));
  }

  /** Spec `index`'s cleaning, when its column has one (see useCleaning). */
  cleanerOf(index: number): CellCleaner | undefined {
    return this.cleaners[index];
  }

  /**
   * The matrix values of one column (spec `index`) for its raw value, written into `row` from `at`
   * as `transformValues` writes them (the same warnings, the same FeatureError); returns where the
   * next column's values go.
   */
  transformValue(index: number, raw: unknown, row: Float64Array, at: number, warnings?: string[]): number {
    const s = this.specs[index] as ColumnSpec;
    let k = at;
    if (s.kind === "numeric") {
      const v = toNumber(raw, s.name);
      if (v === undefined) {
        row[k++] = s.median;
        warnings?.push(`${s.name}: missing, imputed with the training median ${s.median}`);
      } else {
        row[k++] = v;
        if (warnings && (v < s.min || v > s.max)) warnings.push(`${s.name}: ${v} is outside the training range [${s.min}, ${s.max}]`);
      }
      if (s.indicator) row[k++] = v === undefined ? 1 : 0;
    } else if (s.kind === "date") {
      const ms = toTime(raw, s.name);
      if (ms === undefined) warnings?.push(`${s.name}: missing, imputed with the training median of each part (${s.parts.join(", ")})`);
      else if (warnings && outsideRange(s, ms)) warnings.push(`${s.name}: ${String(raw).trim()} is outside the training range [${s.earliest}, ${s.latest}]`);
      s.parts.forEach((part, p) => {
        row[k++] = ms === undefined ? (s.medians[p] as number) : datePart(ms, part);
      });
    } else {
      const v = toLabel(raw, s.name);
      // A JSON number for numeric-looking categories is matched by value: 1 finds "1" or "1.0".
      const code =
        codeMap(s).get(v) ??
        (typeof raw === "number"
          ? numericCodeMap(s)?.get(raw)
          : typeof raw === "boolean"
            ? (booleanCode(s, raw) ?? flagCode(s, raw))
            : flagCode(s, truthOf(v)));
      if (code === undefined) {
        row[k++] = s.otherCode;
        if (warnings)
          warnings.push(
            v === "" ? `${s.name}: missing, treated as an unseen category` : `${s.name}: "${v}" was not seen in training (or was rare), treated as other`,
          );
      } else row[k++] = code;
    }
    return k;
  }
}

/**
 * A value after its column's cleaning: a number or text as the cleaning leaves it (a number it does not
 * change stays a number), undefined for what it makes missing; an absent value is a blank to it (a fill
 * applies). True/false, matched to the training's boolean levels, are left as they are.
 */
export function cleanedValue(clean: CellCleaner, raw: unknown): unknown {
  if (typeof raw === "boolean") return raw;
  const text = raw === null || raw === undefined ? "" : String(raw);
  const v = clean(text);
  if (v === "") return undefined;
  return typeof raw === "number" && v === text ? raw : v;
}

/**
 * A categorical column's levels from its training counts (per value: rows, positive rows): levels seen
 * at least `minCount` times, the `maxLevels` most frequent, the rest pooled with unseen values; codes
 * ordered by positive rate. Shared by the in-process fit and the fit from an engine's GROUP BY.
 */
export function categoricalSpec(
  name: string,
  stats: ReadonlyMap<string, { n: number; pos: number }>,
  rows: number,
  minCount: number,
  maxLevels: number,
): CategoricalSpec {
  let kept = [...stats.entries()].filter(([, s]) => s.n >= minCount);
  kept.sort((a, b) => b[1].n - a[1].n || cmp(a[0], b[0]));
  kept = kept.slice(0, maxLevels);
  const keptSet = new Set(kept.map(([v]) => v));
  const other = { n: 0, pos: 0 };
  let totalPos = 0;
  for (const [v, s] of stats) {
    totalPos += s.pos;
    if (!keptSet.has(v)) {
      other.n += s.n;
      other.pos += s.pos;
    }
  }
  // Unseen values get the pooled rare values' rate, or the overall rate when nothing was pooled.
  const otherRate = other.n > 0 ? other.pos / other.n : totalPos / Math.max(1, rows);
  const levels: { value: string; rate: number; n: number }[] = kept.map(([value, s]) => ({ value, rate: s.pos / s.n, n: s.n }));
  levels.push({ value: OTHER_LEVEL, rate: otherRate, n: other.n });
  // Ordering levels by their positive rate lets a threshold split on codes separate the classes
  // as well as the best subset split would (exact for the Gini criterion with two classes).
  levels.sort((a, b) => a.rate - b.rate || b.n - a.n || cmp(a.value, b.value));
  return {
    name,
    kind: "categorical",
    levels: levels.map((l) => l.value),
    otherCode: levels.findIndex((l) => l.value === OTHER_LEVEL),
    counts: levels.map((l) => l.n),
  };
}

const codeMaps = new WeakMap<CategoricalSpec, Map<string, number>>();
function codeMap(s: CategoricalSpec): Map<string, number> {
  let m = codeMaps.get(s);
  if (!m) {
    m = new Map();
    s.levels.forEach((level, i) => {
      if (i !== s.otherCode) (m as Map<string, number>).set(level, i);
    });
    codeMaps.set(s, m);
  }
  return m;
}

/** The code of a true/false level written in any case ("True", "FALSE"), for a JSON boolean. */
function booleanCode(s: CategoricalSpec, value: boolean): number | undefined {
  const i = s.levels.findIndex((level, k) => k !== s.otherCode && level.toLowerCase() === String(value));
  return i >= 0 ? i : undefined;
}

/** The words of a yes/no flag, lower case: DuckDB's CSV reader types Yes/No as BOOLEAN (true/false). */
const TRUE_WORDS = new Set(["true", "yes", "y", "t"]);
const FALSE_WORDS = new Set(["false", "no", "n", "f"]);

/** What a text says as a flag: true (yes, Y, TRUE...), false (no, N, f...), or undefined when it is no such word. */
function truthOf(text: string): boolean | undefined {
  const word = text.toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
}

const flagCodes = new WeakMap<CategoricalSpec, [number, number] | null>();
/**
 * For a flag column (its two levels a yes-word and a no-word: Yes/No, Y/N, true/false), the code a value
 * saying `truth` in another of those words has: a table of DuckDB's BOOLEANs (true/false) scored by a model
 * trained on the CSV's Yes/No, or the other way round, or a JSON boolean. Undefined for other columns.
 */
function flagCode(s: CategoricalSpec, truth: boolean | undefined): number | undefined {
  if (truth === undefined) return undefined;
  let codes = flagCodes.get(s);
  if (codes === undefined) {
    const kept = s.levels.flatMap((_, k) => (k === s.otherCode ? [] : [k]));
    const pair = kept.length === 2 ? (kept.map((k) => s.levels[k]) as [string, string]) : undefined;
    const yes = pair && flagLabel(pair, "true");
    codes = pair && yes !== undefined ? (yes === pair[0] ? [kept[0] as number, kept[1] as number] : [kept[1] as number, kept[0] as number]) : null;
    flagCodes.set(s, codes);
  }
  return codes === null ? undefined : truth ? codes[0] : codes[1];
}

/** The flag synonyms of a flag column's levels (see flagCode): each word in lower case with the code it reads as; empty for other columns. */
export function flagSynonyms(s: CategoricalSpec): { word: string; code: number }[] {
  const yes = flagCode(s, true);
  const no = flagCode(s, false);
  if (yes === undefined || no === undefined) return [];
  return [...[...TRUE_WORDS].map((word) => ({ word, code: yes })), ...[...FALSE_WORDS].map((word) => ({ word, code: no }))];
}

/**
 * Which of two class labels that are a yes/no pair (Yes/No, true/false, Y/N) `text` stands for when it
 * says the same in other words (DuckDB's true for Yes); undefined when the labels are no such pair or
 * the text no such word.
 */
export function flagLabel(labels: readonly [string, string], text: string): string | undefined {
  const truth = truthOf(text);
  if (truth === undefined) return undefined;
  const [a, b] = labels.map((l) => truthOf(l));
  if (a === undefined || b === undefined || a === b) return undefined;
  return truth === a ? labels[0] : labels[1];
}

const numericCodeMaps = new WeakMap<CategoricalSpec, Map<number, number> | null>();
/** Codes by numeric value, when every level (but the pooled one) is a number; null otherwise. */
function numericCodeMap(s: CategoricalSpec): Map<number, number> | null {
  let m = numericCodeMaps.get(s);
  if (m === undefined) {
    m = new Map();
    for (let i = 0; i < s.levels.length; i++) {
      if (i === s.otherCode) continue;
      const level = s.levels[i] as string;
      const n = level.trim() === "" ? Number.NaN : Number(level);
      if (!Number.isFinite(n)) {
        m = null;
        break;
      }
      if (!m.has(n)) m.set(n, i);
    }
    numericCodeMaps.set(s, m);
  }
  return m;
}

function column<T>(map: ReadonlyMap<string, T>, name: string): T {
  const c = map.get(name);
  if (c === undefined) throw new ModelError(`the data has no column "${name}"`);
  return c;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The median of ascending values (0 for none). */
function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  return n === 0 ? 0 : n % 2 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

/** The matrix columns a spec writes: its value, and a missing indicator when it has one; a date's parts. */
export function specWidth(s: ColumnSpec): number {
  return s.kind === "date" ? s.parts.length : s.kind === "numeric" && s.indicator ? 2 : 1;
}

/**
 * A date column's spec from its training rows: its parts (the hour only when some date has a time of
 * day), each part's median for missing dates, and the range. A text that is not an ISO date is missing
 * (the ETL typed the column a date: every present value is one).
 */
function fitDate(name: string, values: readonly string[], rows: Int32Array): DateSpec {
  const times: number[] = [];
  for (let k = 0; k < rows.length; k++) {
    const ms = isoTime(values[rows[k] as number] as string);
    if (!Number.isNaN(ms)) times.push(ms);
  }
  const withTime = times.some(hasTimeOfDay);
  const parts: DatePart[] = withTime ? ["days", "month", "weekday", "hour"] : ["days", "month", "weekday"];
  const medians = parts.map((part) => medianOfSorted(Float64Array.from(times, (ms) => datePart(ms, part)).sort()));
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  for (const ms of times) {
    if (ms < earliest) earliest = ms;
    if (ms > latest) latest = ms;
  }
  return {
    name,
    kind: "date",
    parts,
    medians,
    earliest: times.length ? isoText(earliest, withTime) : "",
    latest: times.length ? isoText(latest, withTime) : "",
    missingInTraining: rows.length - times.length,
  };
}

/** Each date spec's training range as instants, parsed once (a service checks every request against it). */
const ranges = new WeakMap<DateSpec, [number, number]>();

function outsideRange(s: DateSpec, ms: number): boolean {
  let range = ranges.get(s);
  if (!range) {
    range = [isoTime(s.earliest), isoTime(s.latest)];
    ranges.set(s, range);
  }
  return ms < range[0] || ms > range[1];
}

/** A date field's instant: undefined when missing, a FeatureError when it is not an ISO date. */
function toTime(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "string")
    throw new FeatureError(name, `${name}: expected a date as text (2024-12-31, or 2024-12-31 08:30), got ${Array.isArray(raw) ? "an array" : typeof raw}`);
  if (raw.trim() === "") return undefined;
  const ms = isoTime(raw);
  if (Number.isNaN(ms)) throw new FeatureError(name, `${name}: "${raw}" is not a date (2024-12-31, or 2024-12-31 08:30)`);
  return ms;
}

function toNumber(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) throw new FeatureError(name, `${name}: must be a finite number`);
    return raw;
  }
  if (typeof raw === "string") {
    const t = raw.trim();
    if (t === "") return undefined;
    const n = Number(t);
    if (!Number.isFinite(n)) throw new FeatureError(name, `${name}: "${raw}" is not a number`);
    return n;
  }
  if (typeof raw === "boolean") return raw ? 1 : 0;
  throw new FeatureError(name, `${name}: expected a number, got ${Array.isArray(raw) ? "an array" : typeof raw}`);
}

function toLabel(raw: unknown, name: string): string {
  if (raw === undefined || raw === null) return "";
  if (typeof raw === "string") return raw.trim();
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  throw new FeatureError(name, `${name}: expected a string, got ${Array.isArray(raw) ? "an array" : typeof raw}`);
}
