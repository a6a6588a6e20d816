/**
 * One column to compare, as `driftReport` of @pipe/stats takes it (its DriftColumnInput): the
 * reference (training) and current values, numbers or counts per category.
 */
export type DriftColumn =
  | { column: string; kind: "numeric"; reference: ArrayLike<number>; current: ArrayLike<number>; referenceRows: number }
  | { column: string; kind: "categorical"; reference: ReadonlyMap<string, number>; current: ReadonlyMap<string, number>; referenceRows: number };

import type { Frame, RawRecord } from "../frame.js";
import type { PipeModel } from "../model.js";
import { datePart, isoTime } from "../preprocess/date-parts.js";
import { cleanedValue, flagLabel } from "../preprocess/preprocessor.js";
import { OTHER_LEVEL } from "../preprocess/spec.js";
import { Random } from "../random.js";

/**
 * What new data is compared with to tell drift, saved in the model file: the training rows' numeric
 * values (a seeded sample when there are many) and the model's probabilities for its held-out test
 * rows (the reference of prediction drift: rows it never saw, as new rows are; its probabilities for
 * its own training rows are more extreme, and out-of-bag ones average fewer trees). Categorical
 * columns need nothing more: their training counts per level are already in the preprocessing specs.
 */
export interface DriftReference {
  /** Training rows the reference describes (decides the drift method, as Evidently does). */
  rows: number;
  /** Per numeric input column: its present training values, ascending (at most REFERENCE_SAMPLE, drawn with the training seed). */
  numeric: Record<string, number[]>;
  /** The model's probabilities for the held-out test rows (at most REFERENCE_SAMPLE), ascending. */
  scores: number[];
}

/** Values kept per column: distances computed on 2,000 reference values move by about 1/√2000 ≈ 0.02 at most. */
export const REFERENCE_SAMPLE = 2000;

/** The drift reference of a model fitted on `rows` of `frame`, with `scores` its probabilities for the held-out rows. */
export function buildDriftReference(model: PipeModel, frame: Frame, rows: Int32Array, scores: ArrayLike<number>, seed: number): DriftReference {
  const numeric: Record<string, number[]> = {};
  for (const s of model.state.preprocessing.specs) {
    if (s.kind === "categorical") continue;
    const present: number[] = [];
    if (s.kind === "date") {
      // A date drifts in time: compared by its day count.
      const texts = frame.categorical.get(s.name) as readonly string[];
      for (const r of rows) {
        const ms = isoTime(texts[r] as string);
        if (!Number.isNaN(ms)) present.push(datePart(ms, "days"));
      }
    } else {
      const values = frame.numeric.get(s.name) as Float64Array;
      for (const r of rows) if (!Number.isNaN(values[r] as number)) present.push(values[r] as number);
    }
    numeric[s.name] = present;
  }
  return driftReference(rows.length, numeric, scores, seed);
}

/**
 * The drift reference of `rows` training rows from each numeric column's present values and the
 * held-out probabilities, each cut to a seeded sample of REFERENCE_SAMPLE and sorted. A model grown in
 * an engine passes the engine's own seeded sample of each column (see trainForestInEngine).
 */
export function driftReference(rows: number, numeric: Record<string, number[]>, scores: ArrayLike<number>, seed: number): DriftReference {
  const sampled: Record<string, number[]> = {};
  for (const [name, values] of Object.entries(numeric)) sampled[name] = sample(values, seed).sort((a, b) => a - b);
  const known = Array.from(scores).filter((p) => !Number.isNaN(p));
  return { rows, numeric: sampled, scores: sample(known, seed + 1).sort((a, b) => a - b) };
}

function sample(values: number[], seed: number): number[] {
  if (values.length <= REFERENCE_SAMPLE) return values;
  return Array.from(new Random(seed).shuffle(Float64Array.from(values)).subarray(0, REFERENCE_SAMPLE));
}

/** The name of the prediction's column in a drift report. */
export const PREDICTION_COLUMN = "probability";

/**
 * Current values collected for a drift report, record by record: numbers as given (blank and missing
 * left out), categories by the level the model files them under (unseen and rare values as the pooled
 * level), and the model's probabilities.
 */
export class DriftSample {
  private readonly numbers = new Map<string, number[]>();
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly levels = new Map<string, Set<string>>();
  private readonly probabilities: number[] = [];
  rows = 0;

  constructor(private readonly model: PipeModel) {
    this.specIndex = new Map(model.preprocessor.specs.map((s, i) => [s.name, i]));
    this.dates = new Set(model.preprocessor.specs.filter((s) => s.kind === "date").map((s) => s.name));
    for (const s of model.state.preprocessing.specs) {
      if (s.kind !== "categorical") this.numbers.set(s.name, []);
      else {
        this.counts.set(s.name, new Map());
        this.levels.set(s.name, new Set(s.levels.filter((_, i) => i !== s.otherCode)));
      }
    }
  }

  add(record: RawRecord, probability?: number): void {
    this.rows++;
    for (const [name, values] of this.numbers) {
      const raw = this.cleaned(record, name);
      const v = this.dates.has(name) ? daysOf(raw) : numberOf(raw);
      if (v !== undefined) values.push(v);
    }
    for (const [name, counts] of this.counts) {
      const raw = this.cleaned(record, name);
      const text = raw === undefined || raw === null ? "" : String(raw).trim();
      const levels = this.levels.get(name) as Set<string>;
      // A flag's yes/no in other words (a warehouse BOOLEAN's true/false) is its level, as the scorer reads it.
      const level = levels.has(text) ? text : (this.flagOf(name, text) ?? OTHER_LEVEL);
      counts.set(level, (counts.get(level) ?? 0) + 1);
    }
    if (probability !== undefined && Number.isFinite(probability)) this.probabilities.push(probability);
  }

  /** Per two-level column, its levels as a pair (for flagLabel), made on the first value that is not one of them. */
  private readonly pairs = new Map<string, [string, string] | null>();

  private flagOf(name: string, text: string): string | undefined {
    let pair = this.pairs.get(name);
    if (pair === undefined) {
      const levels = this.levels.get(name) as Set<string>;
      pair = levels.size === 2 ? ([...levels] as [string, string]) : null;
      this.pairs.set(name, pair);
    }
    return pair ? flagLabel(pair, text) : undefined;
  }

  /** The record's value of a column as the model reads it: cleaned as the ETL cleaned the training rows, when the model was told how (Preprocessor.useCleaning). */
  private cleaned(record: RawRecord, name: string): unknown {
    const clean = this.model.preprocessor.cleanerOf(this.specIndex.get(name) as number);
    return clean ? cleanedValue(clean, record[name]) : record[name];
  }

  private readonly specIndex: ReadonlyMap<string, number>;
  /** The date columns, compared by their day counts. */
  private readonly dates: ReadonlySet<string>;

  /** The model's input columns to compare, for `driftReport` of @pipe/stats. */
  inputs(reference: DriftReference): DriftColumn[] {
    const out: DriftColumn[] = [];
    for (const s of this.model.state.preprocessing.specs) {
      if (s.kind !== "categorical") {
        out.push({
          column: s.name,
          kind: "numeric",
          reference: reference.numeric[s.name] ?? [],
          current: this.numbers.get(s.name) as number[],
          referenceRows: reference.rows,
        });
      } else {
        const ref = new Map(s.levels.map((level, i) => [level, s.counts[i] ?? 0]));
        out.push({
          column: s.name,
          kind: "categorical",
          reference: ref,
          current: this.counts.get(s.name) as Map<string, number>,
          referenceRows: reference.rows,
        });
      }
    }
    return out;
  }

  /** The model's probabilities to compare (`driftReport`'s `prediction`), or undefined when none were added. */
  predictionInput(reference: DriftReference): DriftColumn | undefined {
    if (this.probabilities.length === 0 || reference.scores.length === 0) return undefined;
    return { column: PREDICTION_COLUMN, kind: "numeric", reference: reference.scores, current: this.probabilities, referenceRows: reference.scores.length };
  }
}

function daysOf(raw: unknown): number | undefined {
  if (typeof raw !== "string") return undefined;
  const ms = isoTime(raw);
  return Number.isNaN(ms) ? undefined : datePart(ms, "days");
}

function numberOf(raw: unknown): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === "boolean") return raw ? 1 : 0;
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) ? n : undefined;
}
