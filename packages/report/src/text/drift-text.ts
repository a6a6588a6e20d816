import type { DriftReport } from "@pipe/stats";
import { num, pct, textTable } from "./table.js";

/** What `pipe drift` writes (drift.json): the report of @pipe/stats and what was compared. */
export interface DriftDoc extends DriftReport {
  model_version: string;
  input: string;
  rows: number;
  reference_rows: number;
  created_at: string;
}

const METHOD: Record<string, string> = {
  ks: "Kolmogorov-Smirnov p",
  z_proportion: "two-proportion z-test p",
  chi_square: "chi-square p",
  wasserstein_normed: "Wasserstein distance / std",
  jensen_shannon: "Jensen-Shannon distance",
};

/** A method's name as a reader wants it. */
export function driftMethodLabel(method: string): string {
  return METHOD[method] ?? method;
}

/** The verdict in a sentence or two, naming the columns that drifted and saying whether the predictions did. */
export function driftVerdict(d: DriftDoc): string {
  const drifted = d.columns.filter((c) => c.drifted).map((c) => c.column);
  const which = `${drifted.length} of ${d.columns.length} columns drifted (${pct(d.share)}): ${drifted.join(", ")}`;
  const columns =
    drifted.length === 0
      ? `No drift: every column of the ${d.rows} new rows still looks like the ${d.reference_rows} training rows.`
      : d.dataset_drift
        ? `Dataset drift: ${which}. The share is at or above ${pct(d.drift_share)}; check the data source, then retrain on recent data.`
        : `No dataset drift (below ${pct(d.drift_share)} of the columns), but ${which}.`;
  const p = d.prediction;
  if (!p) return columns;
  return `${columns} ${
    p.drifted
      ? "The predicted probabilities drifted from those of the held-out test rows (rows the model was trained on also score more confidently than new ones)."
      : "The predicted probabilities still look like those of the held-out test rows."
  }`;
}

/** The drift table's header and rows (the columns, then the prediction), for drift.txt and the report. */
export const DRIFT_HEADER = ["column", "method", "score", "threshold", "drift"];
export function driftRows(d: DriftDoc): string[][] {
  return [...d.columns, ...(d.prediction ? [{ ...d.prediction, column: `(prediction) ${d.prediction.column}` }] : [])].map((c) => [
    c.column,
    driftMethodLabel(c.method),
    num(c.score, 4),
    String(c.threshold),
    c.drifted ? "yes" : "no",
  ]);
}

/** drift.txt: the verdict, then one line per column with its method, score, threshold and verdict. */
export function formatDriftText(d: DriftDoc): string {
  const lines = [
    `Drift of ${d.input} (${d.rows} rows) against the training data of model ${d.model_version} (${d.reference_rows} rows)`,
    "",
    driftVerdict(d),
    "",
    "Tests up to 1,000 reference rows (drift when p < 0.05), distances above (drift when ≥ 0.1), as Evidently's defaults.",
    textTable(DRIFT_HEADER, driftRows(d), [false, false, true, true, false]),
  ];
  return `${lines.join("\n")}\n`;
}
