import type { CategoricalSummary, NumericSummary } from "../descriptive/describe.js";
import type { Analysis, AnalysisInput, ColumnAnalysis } from "./types.js";

/** ydata-profiling's alert types that apply to a table pipe analyses, one for the target's balance, and one for a feature that gives the target away. */
export type AlertType =
  | "constant"
  | "high_cardinality"
  | "unique"
  | "missing"
  | "zeros"
  | "skewed"
  | "imbalance"
  | "high_correlation"
  | "duplicates"
  | "target_leakage";

export interface Alert {
  type: AlertType;
  /** The column (or "a, b" for a correlated pair); null for the whole table. */
  column: string | null;
  /** The measured value the threshold applies to (a share, a count, a skewness, |r|). */
  value: number;
  /** The alert fires when the value is above this (ydata-profiling's defaults). */
  threshold: number;
  message: string;
}

/**
 * The thresholds, ydata-profiling's defaults: a share of missing values or zeros above 1%; |skewness|
 * above 20; more than 50 distinct categories; a category distribution's imbalance (1 − entropy /
 * ln(categories)) above 0.5; |r| above 0.9 between numeric columns; any repeated row. Constant and
 * unique columns are the ones with one distinct value and with as many as rows.
 */
export const ALERT_THRESHOLDS = {
  missing: 0.01,
  zeros: 0.01,
  skewed: 20,
  high_cardinality: 50,
  imbalance: 0.5,
  high_correlation: 0.9,
  duplicates: 0,
  /** A feature's ROC AUC on its own (numbers: Mann-Whitney's U / (n₊·n₋); categories: Cramér's V is used instead, see LEAKAGE_V). */
  target_leakage: 0.99,
} as const;

/**
 * Cramér's V from which a category column alone gives the target away, when its categories hold at least
 * LEAKAGE_ROWS_PER_LEVEL rows each on average: below that, chance alone makes V large (its expected square
 * under independence is about (levels − 1) / rows), so an identifier-like column is not taken for a leak.
 */
const LEAKAGE_V = 0.95;
const LEAKAGE_ROWS_PER_LEVEL = 20;

const pct = (x: number) => (x > 0 && x < 0.001 ? "< 0.1%" : `${(100 * x).toFixed(1)}%`);

/** 1 − H/ln k of a distribution given by counts: 0 when balanced, towards 1 when one value dominates. */
export function imbalance(counts: readonly number[]): number {
  const present = counts.filter((c) => c > 0);
  if (present.length < 2) return 0;
  const n = present.reduce((s, c) => s + c, 0);
  let h = 0;
  for (const c of present) h -= (c / n) * Math.log(c / n);
  return 1 - h / Math.log(present.length);
}

/** The alerts of an analysis: per column, the target's class balance, correlated pairs, and the table's repeated and dropped rows/columns. */
export function alertsOf(input: AnalysisInput, analysis: Omit<Analysis, "alerts">): Alert[] {
  const t = ALERT_THRESHOLDS;
  const out: Alert[] = [];
  const rows = input.rows;
  for (const col of analysis.columns) out.push(...columnAlerts(col, input, rows));
  const counts = Object.values(analysis.overview.class_counts);
  const targetImbalance = imbalance(counts);
  if (targetImbalance > t.imbalance) {
    const [neg, pos] = analysis.overview.classes;
    out.push({
      type: "imbalance",
      column: analysis.overview.target,
      value: targetImbalance,
      threshold: t.imbalance,
      message: `${analysis.overview.target} is imbalanced: ${pct(analysis.overview.positive_rate)} of rows are ${pos}, ${pct(1 - analysis.overview.positive_rate)} ${neg}; accuracy says little here, and --class-weight balanced or --threshold best-f1 trade precision for recall`,
    });
  }
  const { features, pearson } = analysis.correlations;
  for (let i = 0; i < features.length; i++)
    for (let j = i + 1; j < features.length; j++) {
      const r = (pearson[i] as number[])[j] as number;
      if (Math.abs(r) > t.high_correlation)
        out.push({
          type: "high_correlation",
          column: `${features[i]}, ${features[j]}`,
          value: Math.abs(r),
          threshold: t.high_correlation,
          message: `${features[i]} and ${features[j]} are highly correlated (r = ${r.toFixed(3)}): one says almost all the other does`,
        });
    }
  out.push(...leakageAlerts(analysis));
  if (input.repeatedRows && input.repeatedRows > t.duplicates)
    out.push({
      type: "duplicates",
      column: null,
      value: input.repeatedRows,
      threshold: t.duplicates,
      message: `${input.repeatedRows} rows repeat an earlier row exactly (see etl_report.json for what the ETL did with them)`,
    });
  for (const d of input.droppedColumns ?? []) {
    const type: AlertType | undefined = /constant|single value|one value/i.test(d.reason)
      ? "constant"
      : /identifier|unique|one distinct value per row/i.test(d.reason)
        ? "unique"
        : /cardinality|distinct/i.test(d.reason)
          ? "high_cardinality"
          : undefined;
    if (type) out.push({ type, column: d.name, value: Number.NaN, threshold: Number.NaN, message: `${d.name} was dropped by the ETL: ${d.reason}` });
  }
  return out;
}

/**
 * Features that separate the classes (almost) perfectly on their own: a number whose values alone rank the
 * classes with ROC AUC ≥ 0.99, a category column whose categories are (almost) pure. Either is the mark of
 * target leakage — a column computed from the target, or recorded after the outcome (a refund date for
 * churn, the binned target itself) — which makes the model's test figures worthless for new rows. Some
 * problems are that easy, so the alert asks rather than drops, and says how to drop.
 */
function leakageAlerts(analysis: Omit<Analysis, "alerts">): Alert[] {
  const target = analysis.overview.target;
  const out: Alert[] = [];
  const drop = (feature: string) => `--set 'etl.rules.${feature.replaceAll("'", "'\\''")}={"drop": true}'`;
  for (const test of analysis.tests) {
    if (test.kind === "numeric") {
      const rb = test.alongside?.mann_whitney?.rank_biserial;
      if (rb === undefined || !Number.isFinite(rb)) continue;
      // The rank-biserial r is 2·AUC − 1: its size is the separation, whichever class holds the larger values.
      const auc = (1 + Math.abs(rb)) / 2;
      if (auc < ALERT_THRESHOLDS.target_leakage) continue;
      out.push({
        type: "target_leakage",
        column: test.feature,
        value: auc,
        threshold: ALERT_THRESHOLDS.target_leakage,
        message: `${test.feature} alone separates the classes of ${target} ${auc === 1 ? "perfectly" : "almost perfectly"} (ROC AUC ${auc.toFixed(3)} from its values alone): if it is computed from ${target} or recorded after it is known (target leakage), the model's figures will not hold on new rows — drop it with ${drop(test.feature)}`,
      });
    } else if (test.chi_square) {
      const column = analysis.columns.find((c) => c.name === test.feature);
      const levels = column ? (column.summary as CategoricalSummary).unique : Number.POSITIVE_INFINITY;
      const tested = analysis.overview.rows - test.chi_square.rows_missing_excluded;
      // With a binary target, V = √(χ² / n) (the statistic without Yates' correction).
      const v = Math.sqrt(test.chi_square.uncorrected_statistic / Math.max(1, tested));
      if (v < LEAKAGE_V || tested < LEAKAGE_ROWS_PER_LEVEL * levels) continue;
      out.push({
        type: "target_leakage",
        column: test.feature,
        value: v,
        threshold: LEAKAGE_V,
        message: `${test.feature} alone gives ${target} away: its categories are ${v >= 0.9995 ? "pure" : "almost pure"} (Cramér's V ${v.toFixed(3)}): if it is computed from ${target} or recorded after it is known (target leakage), the model's figures will not hold on new rows — drop it with ${drop(test.feature)}`,
      });
    }
  }
  return out;
}

function columnAlerts(col: ColumnAnalysis, input: AnalysisInput, rows: number): Alert[] {
  const t = ALERT_THRESHOLDS;
  const out: Alert[] = [];
  const s = col.summary;
  const missingShare = s.missing / Math.max(1, rows);
  if (missingShare > t.missing)
    out.push({
      type: "missing",
      column: col.name,
      value: missingShare,
      threshold: t.missing,
      message: `${col.name} has ${s.missing} (${pct(missingShare)}) missing values`,
    });
  if (s.unique === 1) out.push({ type: "constant", column: col.name, value: 1, threshold: 1, message: `${col.name} has one value only` });
  // A time of its own a row (a timestamp) is no identifier, and a date's zeros and skew are no faults.
  if (col.date) return out;
  if (s.unique === rows && rows > 1)
    out.push({ type: "unique", column: col.name, value: rows, threshold: rows, message: `${col.name} has a different value in every row` });
  if (col.kind === "numeric" && s.unique === 2) {
    // A 0/1 column is a flag, as ydata-profiling types it: its balance is the alert, not its zeros.
    const counts = new Map<string, number>();
    for (const v of input.numeric.get(col.name) as Float64Array) if (!Number.isNaN(v)) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    const alert = imbalanceAlert(col.name, counts, String);
    if (alert) out.push(alert);
  } else if (col.kind === "numeric") {
    const n = s as NumericSummary;
    const values = input.numeric.get(col.name) as Float64Array;
    let zeros = 0;
    for (const v of values) if (v === 0) zeros++;
    const zeroShare = zeros / Math.max(1, rows);
    if (zeroShare > t.zeros)
      out.push({ type: "zeros", column: col.name, value: zeroShare, threshold: t.zeros, message: `${col.name} has ${zeros} (${pct(zeroShare)}) zeros` });
    if (Math.abs(n.skewness) > t.skewed)
      out.push({
        type: "skewed",
        column: col.name,
        value: n.skewness,
        threshold: t.skewed,
        message: `${col.name} is highly skewed (γ1 = ${n.skewness.toFixed(1)})`,
      });
  } else {
    const c = s as CategoricalSummary;
    if (c.unique > t.high_cardinality)
      out.push({
        type: "high_cardinality",
        column: col.name,
        value: c.unique,
        threshold: t.high_cardinality,
        message: `${col.name} has ${c.unique} distinct values`,
      });
    const counts = new Map<string, number>();
    for (const v of input.categorical.get(col.name) as readonly string[]) if (v !== "") counts.set(v, (counts.get(v) ?? 0) + 1);
    const alert = imbalanceAlert(col.name, counts, (v) => `"${v}"`);
    if (alert) out.push(alert);
  }
  return out;
}

/** The imbalance alert of a column's value counts (missing values left out), naming its most frequent value; null when balanced enough. */
function imbalanceAlert(column: string, counts: ReadonlyMap<string, number>, shown: (value: string) => string): Alert | null {
  const value = imbalance([...counts.values()]);
  if (value <= ALERT_THRESHOLDS.imbalance) return null;
  let total = 0;
  for (const c of counts.values()) total += c;
  const [top, n] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] as [string, number];
  return {
    type: "imbalance",
    column,
    value,
    threshold: ALERT_THRESHOLDS.imbalance,
    message: `${column} is imbalanced (${pct(n / total)} of rows are ${shown(top)})`,
  };
}
