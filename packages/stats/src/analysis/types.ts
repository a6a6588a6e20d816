import type { CategoricalSummary, NumericSummary } from "../descriptive/describe.js";
import type { Alert } from "./alerts.js";
import type { AlongsideKey, AlongsideResult } from "./alongside.js";

export interface AnalysisInput {
  target: string;
  /** [negative, positive] labels. */
  classes: readonly [string, string];
  rows: number;
  features: readonly { name: string; kind: "numeric" | "categorical" }[];
  numeric: ReadonlyMap<string, Float64Array>;
  categorical: ReadonlyMap<string, readonly string[]>;
  /** 1 for the positive class. */
  y: Uint8Array;
  /**
   * Whether a categorical feature's missing values count as a level of their own in its chi-square
   * test (default false: rows missing the feature are left out, as SciPy's table of observed values).
   */
  missingAsCategory?: boolean;
  /** Rows the ETL found repeating an earlier row (for the duplicates alert). */
  repeatedRows?: number;
  /** Columns the ETL dropped, with its reasons (constant, identifier-like, too many categories: alerts too). */
  droppedColumns?: readonly { name: string; reason: string }[];
  /**
   * Numeric features that are dates, given as their day counts since 1970-01-01 (UTC, fractional with the
   * time): tested and charted as numbers — later or earlier with the class — and shown as dates.
   */
  dates?: readonly string[];
}

export interface FeatureTest {
  feature: string;
  kind: "numeric" | "categorical";
  /** The test that ranks the feature: Welch's t (numeric) or chi-square (categorical). */
  test: "welch_t" | "chi_square";
  statistic: number;
  pvalue: number;
  p_bh: number;
  p_bonferroni: number;
  effect: { name: "cohens_d" | "cramers_v"; value: number };
  /** Numeric features: the tests run beside Welch's t (ALONGSIDE_TESTS), by key, positive class first. */
  alongside?: Partial<Record<AlongsideKey, AlongsideResult>>;
  /** Shapiro-Wilk per class (at most 5,000 values each, evenly spaced in sorted order). */
  normality?: Record<string, { statistic: number; pvalue: number; n: number }>;
  /**
   * The chi-square test's details: `statistic`/`pvalue` above are `chi2_contingency`'s defaults (Yates'
   * correction on 2×2 tables); the uncorrected figures are here too, and how many rows the table left
   * out because the feature was missing (unless missing values counted as a level).
   */
  chi_square?: { dof: number; yates: boolean; uncorrected_statistic: number; uncorrected_pvalue: number; rows_missing_excluded: number };
  /** One sentence for people. */
  reading: string;
}

export interface ColumnAnalysis {
  name: string;
  kind: "numeric" | "categorical";
  /** A date given as its day count since 1970-01-01 (see AnalysisInput.dates). */
  date?: true;
  /** The date has times of day (some day count is fractional): its figures are shown with the time. */
  time?: true;
  summary: NumericSummary | CategoricalSummary;
  by_class: Record<string, NumericSummary | CategoricalSummary>;
}

export interface Histogram {
  feature: string;
  /** The feature is a date: edges and box figures are day counts since 1970-01-01. */
  date?: true;
  edges: number[];
  /** Counts per class label, one per bin. */
  counts: Record<string, number[]>;
  /** Box-plot figures per class label. */
  box: Record<string, { q1: number; median: number; q3: number; lower: number; upper: number }>;
}

export interface CategoryBars {
  feature: string;
  categories: string[];
  counts: Record<string, number[]>;
}

/** Everything `pipe analyze` computes; the JSON schema of analysis.json (schema_version 2: tests beside Welch's t under `alongside`). */
export interface Analysis {
  schema_version: 2;
  overview: {
    target: string;
    classes: [string, string];
    positive_class: string;
    rows: number;
    features: number;
    numeric_features: number;
    categorical_features: number;
    class_counts: Record<string, number>;
    positive_rate: number;
  };
  columns: ColumnAnalysis[];
  tests: FeatureTest[];
  correlations: { features: string[]; pearson: number[][]; spearman: number[][] };
  /** ydata-profiling's alert list with its default thresholds (absent in files written before pipe made it). */
  alerts?: Alert[];
  plots: {
    class_balance: Record<string, number>;
    missing: { feature: string; missing: number; share: number }[];
    histograms: Histogram[];
    bars: CategoryBars[];
  };
}
