/** The metrics document `pipe evaluate` writes (metrics.json); top-level keys are stable. */
export interface MetricsDoc {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number;
  average_precision: number;
  log_loss: number;
  brier: number;
  balanced_accuracy: number;
  mcc: number;
  confusion_matrix: [[number, number], [number, number]];
  threshold: number;
  n_train: number;
  n_test: number;
  positive_class: string;
  negative_class: string;
  target: string;
  classification_report: string;
  curves: {
    roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
    pr: { precision: number[]; recall: number[]; thresholds: number[] };
    calibration: { probTrue: number[]; probPred: number[]; counts: number[] };
  };
  importance: { feature: string; impurity: number; permutation_mean: number; permutation_std: number }[];
  baselines: { name: string; roc_auc: number; accuracy: number; f1: number; log_loss: number }[];
  oob: { roc_auc: number; accuracy: number } | null;
  cv: { folds: number; mean: Record<string, number>; std: Record<string, number> } | null;
  model: {
    version: string;
    trees: number;
    hyperparameters: Record<string, unknown>;
    created_at: string;
    calibration?: { method: string; a: number; b: number } | null;
  };
  /** Baselines that beat the model, and one sentence on what to do; absent in files written before pipe compared them. */
  verdict?: { beaten_by: { baseline: string; metric: string; model: number; baseline_value: number }[]; message: string | null };
}

/** The ETL counts the report shows (etl_report.json). */
export interface EtlSummary {
  input: string;
  bytes: number | null;
  rows_in: number;
  rows_out: number;
  rows_rejected: number;
  rejected_by_rule: Record<string, number>;
  cells: Record<string, number>;
  dropped_columns: { name: string; reason: string }[];
  columns_in: number;
  columns_out: number;
  encoding: string;
  delimiter: string;
  has_header: boolean;
  warnings: string[];
  /** Rows that repeat an earlier row (absent in reports written before pipe counted them). */
  duplicates?: { policy: string; drop: boolean; repeated_rows: number; reason: string };
}
