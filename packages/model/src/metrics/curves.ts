import { ModelError } from "../errors.js";

interface ClfCurve {
  fps: number[];
  tps: number[];
  thresholds: number[];
}

/** Cumulative false and true positives at each distinct score, highest first (scikit-learn's `_binary_clf_curve`). */
export function binaryClfCurve(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): ClfCurve {
  const n = yTrue.length;
  if (n !== yScore.length) throw new ModelError(`yTrue has ${n} values and yScore ${yScore.length}`);
  const order = Array.from({ length: n }, (_, i) => i);
  // Stable ascending sort, then reversed: the same order as numpy's mergesort [::-1].
  order.sort((a, b) => (yScore[a] as number) - (yScore[b] as number) || a - b);
  order.reverse();
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    tp += yTrue[i] as number;
    const next = order[k + 1];
    if (next === undefined || yScore[next] !== yScore[i]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(yScore[i] as number);
    }
  }
  return { fps, tps, thresholds };
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** The first threshold is max score + 1, as in scikit-learn 1.2. */
  thresholds: number[];
}

/** ROC curve with scikit-learn's `drop_intermediate=True`: collinear points are dropped. */
export function rocCurve(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): RocCurve {
  let { fps, tps, thresholds } = binaryClfCurve(yTrue, yScore);
  if (fps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      const d2f = (fps[i + 1] as number) - 2 * (fps[i] as number) + (fps[i - 1] as number);
      const d2t = (tps[i + 1] as number) - 2 * (tps[i] as number) + (tps[i - 1] as number);
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = keep.map((i) => fps[i] as number);
    tps = keep.map((i) => tps[i] as number);
    thresholds = keep.map((i) => thresholds[i] as number);
  }
  fps.unshift(0);
  tps.unshift(0);
  thresholds.unshift((thresholds[0] as number) + 1);
  // At the lowest threshold every row is predicted positive: the totals of each class.
  const negatives = fps[fps.length - 1] as number;
  const positives = tps[tps.length - 1] as number;
  if (negatives === 0 || positives === 0) throw new ModelError("ROC needs both classes in yTrue");
  return { fpr: fps.map((v) => v / negatives), tpr: tps.map((v) => v / positives), thresholds };
}

/** Area under the ROC curve (trapezoids over scikit-learn's curve, ties handled as it does). */
export function rocAuc(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(yTrue, yScore);
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += (((fpr[i] as number) - (fpr[i - 1] as number)) * ((tpr[i] as number) + (tpr[i - 1] as number))) / 2;
  return area;
}

export interface PrCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/** Precision-recall curve, ordered by decreasing threshold's reverse (scikit-learn's layout: recall decreasing). */
export function precisionRecallCurve(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): PrCurve {
  const { fps, tps, thresholds } = binaryClfCurve(yTrue, yScore);
  const last = tps[tps.length - 1] as number;
  if (last === 0) throw new ModelError("precision-recall needs at least one positive in yTrue");
  const precision = tps.map((tp, i) => {
    const ps = tp + (fps[i] as number);
    return ps === 0 ? 0 : tp / ps;
  });
  const recall = tps.map((tp) => tp / last);
  precision.reverse();
  recall.reverse();
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: [...thresholds].reverse() };
}

/** Average precision: Σ (R_n − R_{n−1}) P_n, without interpolation. */
export function averagePrecision(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(yTrue, yScore);
  let s = 0;
  for (let i = 0; i < recall.length - 1; i++) s += ((recall[i + 1] as number) - (recall[i] as number)) * (precision[i] as number);
  return -s;
}

export interface CalibrationCurve {
  /** Observed share of positives per non-empty bin. */
  probTrue: number[];
  /** Mean predicted probability per non-empty bin. */
  probPred: number[];
  /** Rows per non-empty bin. */
  counts: number[];
}

/** Reliability curve with `nBins` equal-width bins (scikit-learn's `calibration_curve`, strategy "uniform"). */
export function calibrationCurve(yTrue: ArrayLike<number>, yProb: ArrayLike<number>, nBins = 10): CalibrationCurve {
  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < yTrue.length; i++) {
    const p = yProb[i] as number;
    // numpy searchsorted(edges[1:-1], p, side="left"): p on an edge goes to the lower bin; the edges
    // are k * (1 / nBins), as numpy's linspace computes them (6 * 0.1 is 0.6000000000000001).
    let b = 0;
    while (b < nBins - 1 && p > (b + 1) * (1 / nBins)) b++;
    sums[b] = (sums[b] as number) + p;
    trues[b] = (trues[b] as number) + (yTrue[i] as number);
    totals[b] = (totals[b] as number) + 1;
  }
  const out: CalibrationCurve = { probTrue: [], probPred: [], counts: [] };
  for (let b = 0; b < nBins; b++) {
    const t = totals[b] as number;
    if (t === 0) continue;
    out.probTrue.push((trues[b] as number) / t);
    out.probPred.push((sums[b] as number) / t);
    out.counts.push(t);
  }
  return out;
}
