import { type Confusion, confusion } from "./confusion.js";

/** Division that answers 0 where the denominator is 0 (scikit-learn's zero_division=0). */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export function accuracyFrom(c: Confusion): number {
  return ratio(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn);
}
export function precisionFrom(c: Confusion): number {
  return ratio(c.tp, c.tp + c.fp);
}
export function recallFrom(c: Confusion): number {
  return ratio(c.tp, c.tp + c.fn);
}
export function f1From(c: Confusion): number {
  // scikit-learn's formula: 2·tp / (2·tp + fp + fn), which equals the harmonic mean where defined.
  return ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
}
export function specificityFrom(c: Confusion): number {
  return ratio(c.tn, c.tn + c.fp);
}
export function balancedAccuracyFrom(c: Confusion): number {
  return (recallFrom(c) + specificityFrom(c)) / 2;
}
export function mccFrom(c: Confusion): number {
  const { tp, tn, fp, fn } = c;
  const n = tp + tn + fp + fn;
  // scikit-learn's covariance form, which keeps the same rounding as its implementation.
  const t1 = tp + fn;
  const t0 = tn + fp;
  const p1 = tp + fp;
  const p0 = tn + fn;
  const cytyp = (tp + tn) * n - (t0 * p0 + t1 * p1);
  const cypyp = n * n - (p0 * p0 + p1 * p1);
  const cytyt = n * n - (t0 * t0 + t1 * t1);
  if (cypyp * cytyt === 0) return 0;
  return cytyp / Math.sqrt(cytyt * cypyp);
}

// The label metrics as functions of (yTrue, yPred), 0/1 arrays of equal length (scikit-learn's
// signatures, positive label 1). Each equals the scikit-learn function named, with zero_division=0.

/**
 * Accuracy: (tp + tn) / n (`accuracy_score`). Empty input: 0.
 * @example accuracy([0, 1, 1, 0], [0, 1, 0, 0]); // 0.75
 */
export const accuracy = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => accuracyFrom(confusion(yTrue, yPred));
/** Precision: tp / (tp + fp) (`precision_score`); 0 when nothing is predicted positive. */
export const precision = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => precisionFrom(confusion(yTrue, yPred));
/** Recall, the true-positive rate: tp / (tp + fn) (`recall_score`); 0 when yTrue has no positive. */
export const recall = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => recallFrom(confusion(yTrue, yPred));
/** F1: 2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall (`f1_score`); 0 when tp = 0. */
export const f1 = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => f1From(confusion(yTrue, yPred));
/** Balanced accuracy: (recall + specificity) / 2 (`balanced_accuracy_score`). */
export const balancedAccuracy = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => balancedAccuracyFrom(confusion(yTrue, yPred));
/**
 * Matthews correlation: (tp·tn − fp·fn) / √((tp + fp)(tp + fn)(tn + fp)(tn + fn)) (`matthews_corrcoef`);
 * 0 when a factor is 0 (a constant prediction or a one-class yTrue).
 */
export const matthewsCorrcoef = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => mccFrom(confusion(yTrue, yPred));
/** Specificity, the true-negative rate: tn / (tn + fp) (`recall_score(pos_label=0)`); 0 when yTrue has no negative. */
export const specificity = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => specificityFrom(confusion(yTrue, yPred));
