import { confusion, labelsAt } from "./confusion.js";
import { type CalibrationCurve, calibrationCurve, type PrCurve, precisionRecallCurve, type RocCurve, rocCurve } from "./curves.js";
import { classificationReport } from "./report.js";
import { arrayInputs, type MetricInputs, type MetricName, metricsOf } from "./table.js";

/** Every metric of the table ({@link METRICS}) at a threshold, with the confusion matrix it came from. */
export type BinaryMetrics = Record<MetricName, number> & {
  /** `[[tn, fp], [fn, tp]]`, scikit-learn's layout with labels [0, 1]. */
  confusion_matrix: [[number, number], [number, number]];
  threshold: number;
  n: number;
  n_positive: number;
};

/**
 * Every summary metric of a binary classifier from `(yTrue, yScore)` and a decision threshold
 * (score ≥ threshold predicts the positive class): the metric table's entries, each equal to its
 * scikit-learn function.
 *
 * @example
 * const m = binaryMetrics([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9]);
 * m.roc_auc; // 0.75
 * m.confusion_matrix; // [[1, 1], [1, 1]]
 */
export function binaryMetrics(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, threshold = 0.5): BinaryMetrics {
  return binaryMetricsOf(arrayInputs(yTrue, yScore, confusion(yTrue, labelsAt(yScore, threshold))), threshold);
}

/** `binaryMetrics` from its inputs (arrays, or rows streamed by: see BinaryMetricsTally). */
export function binaryMetricsOf(inputs: MetricInputs, threshold: number): BinaryMetrics {
  const c = inputs.confusion;
  return {
    ...metricsOf(inputs),
    confusion_matrix: [
      [c.tn, c.fp],
      [c.fn, c.tp],
    ],
    threshold,
    n: c.tn + c.fp + c.fn + c.tp,
    n_positive: c.tp + c.fn,
  };
}

export interface Curves {
  roc: RocCurve;
  pr: PrCurve;
  calibration: CalibrationCurve;
}

/** The ROC, precision-recall and calibration curves of `(yTrue, yScore)`, as scikit-learn draws them. */
export function curves(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): Curves {
  return { roc: rocCurve(yTrue, yScore), pr: precisionRecallCurve(yTrue, yScore), calibration: calibrationCurve(yTrue, yScore) };
}

/** The report text at a threshold, with the class labels as names. */
export function reportAt(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, threshold: number, names: readonly [string, string], digits = 4): string {
  return classificationReport(yTrue, labelsAt(yScore, threshold), { digits, targetNames: names });
}

/** The threshold that maximises F1 on the given scores (ties: the highest threshold). */
export function bestF1Threshold(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): number {
  const { precision, recall, thresholds } = precisionRecallCurve(yTrue, yScore);
  let best = 0.5;
  let bestF1 = -1;
  for (let i = 0; i < thresholds.length; i++) {
    const p = precision[i] as number;
    const r = recall[i] as number;
    const f = p + r === 0 ? 0 : (2 * p * r) / (p + r);
    if (f >= bestF1) {
      bestF1 = f;
      best = thresholds[i] as number;
    }
  }
  return best;
}
