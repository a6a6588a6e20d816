import type { DatePart } from "./date-parts.js";

/** What the preprocessing learned about one input column, saved in the model file. */
export type ColumnSpec = NumericSpec | CategoricalSpec | DateSpec;

export interface NumericSpec {
  name: string;
  kind: "numeric";
  /** Training median, used for missing values. */
  median: number;
  /** Training range, for out-of-range warnings. */
  min: number;
  max: number;
  /** Whether a 0/1 "was missing" feature follows this one. */
  indicator: boolean;
  missingInTraining: number;
}

export interface CategoricalSpec {
  name: string;
  kind: "categorical";
  /** Levels in code order (code = index), ordered by the training positive rate. */
  levels: string[];
  /** The code of pooled rare and unseen values. */
  otherCode: number;
  /** Training count of each level, in the same order. */
  counts: number[];
}

/**
 * A date column, read as several numbers (see date-parts.ts): its matrix columns are its parts, in
 * order; a missing date takes each part's training median.
 */
export interface DateSpec {
  name: string;
  kind: "date";
  parts: DatePart[];
  /** Each part's training median, for missing dates. */
  medians: number[];
  /** The training range, as ISO text (with the time when the dates had times). */
  earliest: string;
  latest: string;
  missingInTraining: number;
}

export const OTHER_LEVEL = "__other__";
