import { confusion, labelsAt } from "./confusion.js";
import { averagePrecision, type CalibrationCurve, calibrationCurve, type PrCurve, precisionRecallCurve, type RocCurve, rocAuc, rocCurve } from "./curves.js";
import { brierScore, logLoss } from "./probabilistic.js";
import { classificationReport } from "./report.js";
import { accuracyFrom, balancedAccuracyFrom, f1From, mccFrom, precisionFrom, recallFrom } from "./threshold-metrics.js";

export interface BinaryMetrics {
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
  n: number;
  n_positive: number;
}

/** Every summary metric of a binary classifier from `(yTrue, yScore)` and a decision threshold. */
export function binaryMetrics(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, threshold = 0.5): BinaryMetrics {
  const c = confusion(yTrue, labelsAt(yScore, threshold));
  return {
    accuracy: accuracyFrom(c),
    precision: precisionFrom(c),
    recall: recallFrom(c),
    f1: f1From(c),
    roc_auc: rocAuc(yTrue, yScore),
    average_precision: averagePrecision(yTrue, yScore),
    log_loss: logLoss(yTrue, yScore),
    brier: brierScore(yTrue, yScore),
    balanced_accuracy: balancedAccuracyFrom(c),
    mcc: mccFrom(c),
    confusion_matrix: [
      [c.tn, c.fp],
      [c.fn, c.tp],
    ],
    threshold,
    n: yTrue.length,
    n_positive: c.tp + c.fn,
  };
}

export interface Curves {
  roc: RocCurve;
  pr: PrCurve;
  calibration: CalibrationCurve;
}

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
