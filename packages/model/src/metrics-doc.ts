import type { ExplanationSummary } from "./explain/summary.js";
import type { PlattCalibration } from "./forest/calibration.js";
import type { AucInterval } from "./metrics/auc-interval.js";
import type { BinaryMetrics, Curves } from "./metrics/evaluate.js";
import type { MetricDefinition } from "./metrics/table.js";
import type { Lineage } from "./model.js";
import type { Verdict } from "./verdict.js";

/** Figures of the model as trained and as the two flags for an imbalanced target would train it, on the same test rows. */
export interface ImbalanceAdvice {
  /** Share of the positive class among the training rows. */
  positive_rate: number;
  /** 1 − entropy / ln 2 of the training labels, and the threshold above which this advice is given. */
  imbalance: number;
  threshold: number;
  options: {
    name: string;
    flag: string | null;
    threshold: number;
    f1: number;
    recall: number;
    precision: number;
    balanced_accuracy: number;
    roc_auc: number;
  }[];
  /** One sentence: which flag helps, by how much, or that neither does. */
  advice: string;
}

/** `--model auto`'s comparison: every candidate's cross-validated ROC AUC on the training rows, its test figures and fit time. */
export interface ModelSelection {
  folds: number;
  metric: "roc_auc";
  /** CV means this close are a tie, which the simpler model wins. */
  tie: number;
  candidates: {
    name: string;
    kind: "majority" | "logistic" | "forest" | "gbt";
    cv_roc_auc_mean: number;
    cv_roc_auc_std: number;
    test_roc_auc: number;
    test_log_loss: number;
    fit_seconds: number;
    /** Seconds the cross-validation took. */
    cv_seconds?: number;
    saved: boolean;
  }[];
  chosen: string;
  note: string;
}

/**
 * The metrics document `pipe evaluate` writes (metrics.json): every metric of the table at the test
 * rows, and what the report needs around them. Top-level keys are stable.
 */
export type MetricsDoc = Omit<BinaryMetrics, "n" | "n_positive"> & {
  n_train: number;
  n_test: number;
  /** How the held-out rows were chosen, when not by the seeded stratified split (a model grown in an engine). */
  split?: string;
  positive_class: string;
  negative_class: string;
  target: string;
  classification_report: string;
  curves: Curves;
  /** Per matrix column (`feature`), with the input column it comes from (`column`; absent in older files). */
  importance: { feature: string; column?: string; impurity: number; permutation_mean: number; permutation_std: number }[];
  baselines: { name: string; roc_auc: number; accuracy: number; f1: number; log_loss: number }[];
  oob: { roc_auc: number; accuracy: number } | null;
  cv: { folds: number; mean: Record<string, number>; std: Record<string, number> } | null;
  model: {
    version: string;
    /** "forest" or "gbt" (absent in older files: a forest). */
    kind?: "forest" | "gbt" | "logistic";
    trees: number;
    hyperparameters: Record<string, unknown>;
    created_at: string;
    calibration?: PlattCalibration | null;
    /** Where the model came from (absent in older files). */
    lineage?: Lineage;
    /** Node's and pipe's package versions the model was trained with (absent in older files). */
    versions?: Record<string, string>;
  };
  /** Baselines that beat the model, and one sentence on what to do (absent in older files). */
  verdict?: Verdict;
  /** The test ROC AUC's 95% confidence interval (DeLong; null with fewer than two test rows of a class; absent in older files). */
  roc_auc_ci?: AucInterval | null;
  /** One sentence when the test split holds few rows of a class (see smallTestSplit; absent otherwise). */
  test_caution?: string;
  /** The metric table the figures follow (name, label, direction, formula, reference), so readers need no code. */
  metric_definitions?: Omit<MetricDefinition, "compute">[];
  /** With `--model auto`: the comparison that chose the model (absent otherwise). */
  model_selection?: ModelSelection;
  /** For an imbalanced target: what `--threshold best-f1` and `--class-weight balanced` would give (absent otherwise). */
  imbalance_advice?: ImbalanceAdvice;
  /** TreeSHAP over a sample of the test rows: mean |contribution| per column, the sample, three rows in full (absent in older files and for models without node covers). */
  explanations?: ExplanationSummary;
};
