import { type Confusion, confusion, labelsAt } from "./confusion.js";
import { averagePrecisionOf, rocAucOf, type ScoresByClass, scoresByClass } from "./curves.js";
import { brierScore, logLoss } from "./probabilistic.js";
import { accuracyFrom, balancedAccuracyFrom, f1From, mccFrom, precisionFrom, recallFrom, specificityFrom } from "./threshold-metrics.js";

/**
 * What a metric is computed from: the labels at the decision threshold (their confusion counts), or the
 * scores — each class's scores sorted (the areas under the curves, sorted once for both) and the
 * probabilistic means. Made from arrays of labels and scores (`computeMetrics`) or from rows streamed
 * by (`BinaryMetricsTally`), with the same numbers.
 */
export interface MetricInputs {
  /** The confusion counts at the threshold (computed once for every label metric). */
  confusion: Confusion;
  /** Each class's scores, sorted ascending. */
  byClass: () => ScoresByClass;
  logLoss: () => number;
  brier: () => number;
}

/** One summary metric of a binary classifier: every list, table and report of metrics is built from these. */
export interface MetricDefinition {
  /** The key in metrics.json, the CV summary and the API (snake_case, as scikit-learn names it). */
  name: string;
  /** The name people read in tables. */
  label: string;
  /** Which way is better: a model that is "higher" on roc_auc or "lower" on log_loss wins. */
  direction: "higher" | "lower";
  /** "labels": computed from the predictions at the threshold; "scores": from the probabilities. */
  needs: "labels" | "scores";
  /** The formula, in one line. */
  formula: string;
  /** The scikit-learn function it equals (checked in sklearn-fixtures.test.ts). */
  reference: string;
  compute: (x: MetricInputs) => number;
}

/**
 * The metrics pipe reports, in the order it shows them. Adding one is adding an entry here (and its
 * value to the scikit-learn fixture): metrics.json, metrics.txt, the cross-validation summary, the
 * HTML report and the README table all read this list.
 */
export const METRICS = [
  {
    name: "accuracy",
    label: "accuracy",
    direction: "higher",
    needs: "labels",
    formula: "(tp + tn) / n",
    reference: "accuracy_score",
    compute: (x) => accuracyFrom(x.confusion),
  },
  {
    name: "precision",
    label: "precision",
    direction: "higher",
    needs: "labels",
    formula: "tp / (tp + fp); 0 when nothing is predicted positive",
    reference: "precision_score(zero_division=0)",
    compute: (x) => precisionFrom(x.confusion),
  },
  {
    name: "recall",
    label: "recall",
    direction: "higher",
    needs: "labels",
    formula: "tp / (tp + fn), the true-positive rate; 0 without positives",
    reference: "recall_score(zero_division=0)",
    compute: (x) => recallFrom(x.confusion),
  },
  {
    name: "specificity",
    label: "specificity",
    direction: "higher",
    needs: "labels",
    formula: "tn / (tn + fp), the true-negative rate; 0 without negatives",
    reference: "recall_score(pos_label=0, zero_division=0)",
    compute: (x) => specificityFrom(x.confusion),
  },
  {
    name: "f1",
    label: "F1",
    direction: "higher",
    needs: "labels",
    formula: "2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall; 0 when tp = 0",
    reference: "f1_score(zero_division=0)",
    compute: (x) => f1From(x.confusion),
  },
  {
    name: "roc_auc",
    label: "ROC AUC",
    direction: "higher",
    needs: "scores",
    formula: "area under the ROC curve (trapezoids; tied scores count half), P(score of a positive > score of a negative)",
    reference: "roc_auc_score",
    compute: (x) => rocAucOf(x.byClass()),
  },
  {
    name: "average_precision",
    label: "average precision",
    direction: "higher",
    needs: "scores",
    formula: "Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the thresholds, no interpolation",
    reference: "average_precision_score",
    compute: (x) => averagePrecisionOf(x.byClass()),
  },
  {
    name: "balanced_accuracy",
    label: "balanced accuracy",
    direction: "higher",
    needs: "labels",
    formula: "(recall + specificity) / 2",
    reference: "balanced_accuracy_score",
    compute: (x) => balancedAccuracyFrom(x.confusion),
  },
  {
    name: "mcc",
    label: "MCC",
    direction: "higher",
    needs: "labels",
    formula: "(tp·tn − fp·fn) / √((tp + fp)(tp + fn)(tn + fp)(tn + fn)); 0 when a factor is 0",
    reference: "matthews_corrcoef",
    compute: (x) => mccFrom(x.confusion),
  },
  {
    name: "log_loss",
    label: "log loss",
    direction: "lower",
    needs: "scores",
    formula: "−mean(y·ln p + (1 − y)·ln(1 − p)), p clipped to [1e-15, 1 − 1e-15]",
    reference: "log_loss",
    compute: (x) => x.logLoss(),
  },
  {
    name: "brier",
    label: "Brier score",
    direction: "lower",
    needs: "scores",
    formula: "mean((p − y)²)",
    reference: "brier_score_loss",
    compute: (x) => x.brier(),
  },
] as const satisfies readonly MetricDefinition[];

export type MetricName = (typeof METRICS)[number]["name"];

/** Every metric of the table from `(yTrue, yScore)` at one decision threshold (score ≥ threshold is positive). */
export function computeMetrics(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, threshold = 0.5): Record<MetricName, number> {
  return metricsOf(arrayInputs(yTrue, yScore, confusion(yTrue, labelsAt(yScore, threshold))));
}

/** Every metric of the table from its inputs. */
export function metricsOf(inputs: MetricInputs): Record<MetricName, number> {
  const out = {} as Record<MetricName, number>;
  for (const m of METRICS) out[m.name] = m.compute(inputs);
  return out;
}

/** The inputs of arrays of labels and scores, with their confusion counts at the threshold. */
export function arrayInputs(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, counts: Confusion): MetricInputs {
  let sorted: ScoresByClass | undefined;
  return {
    confusion: counts,
    byClass: () => {
      sorted ??= scoresByClass(yTrue, yScore);
      return sorted;
    },
    logLoss: () => logLoss(yTrue, yScore),
    brier: () => brierScore(yTrue, yScore),
  };
}

/** The metric's definition by name. */
export function metricDefinition(name: string): MetricDefinition | undefined {
  return METRICS.find((m) => m.name === name);
}
