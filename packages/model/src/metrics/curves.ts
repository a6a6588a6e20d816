import { ModelError } from "../errors.js";

interface ClfCurve {
  fps: number[];
  tps: number[];
  thresholds: number[];
}

/**
 * Cumulative false and true positives at each distinct score, highest first (scikit-learn's
 * `_binary_clf_curve`): at threshold `thresholds[k]`, `tps[k]` rows labelled 1 and `fps[k]` others
 * score at or above it. Labels are 0 or 1; a score that is NaN cannot be ordered and is refused.
 */
export function binaryClfCurve(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): ClfCurve {
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  walkDown(scoresByClass(yTrue, yScore), (fp, tp, score) => {
    fps.push(fp);
    tps.push(tp);
    thresholds.push(score);
  });
  return { fps, tps, thresholds };
}

/** Each class's scores, sorted ascending (see {@link scoresByClass}). */
export interface ScoresByClass {
  pos: Float64Array;
  neg: Float64Array;
}

/**
 * Each class's scores, sorted ascending: all the curve and its areas need (the order of the rows within a
 * score does not matter, only the counts), sorted by the typed arrays' numeric sort (a comparator-driven
 * sort of row indices took 1.7 s of a million-row `pipe predict`).
 */
export function scoresByClass(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): ScoresByClass {
  const n = yTrue.length;
  if (n !== yScore.length) throw new ModelError(`yTrue has ${n} values and yScore ${yScore.length}`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i] as number;
    if (y !== 0 && y !== 1) throw new ModelError(`yTrue holds ${y} at index ${i}: labels are 0 or 1`);
    if (Number.isNaN(yScore[i] as number)) throw new ModelError(`yScore is NaN at index ${i}: every row needs a score`);
    positives += y;
  }
  const pos = new Float64Array(positives);
  const neg = new Float64Array(n - positives);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (yTrue[i] === 1) pos[a++] = yScore[i] as number;
    else neg[b++] = yScore[i] as number;
  }
  return { pos: pos.sort(), neg: neg.sort() };
}

/** Each distinct score, highest first, with the negatives and positives scoring at or above it. */
function walkDown({ pos, neg }: ScoresByClass, visit: (fp: number, tp: number, score: number) => void): void {
  let a = pos.length - 1;
  let b = neg.length - 1;
  while (a >= 0 || b >= 0) {
    const score = a < 0 ? (neg[b] as number) : b < 0 ? (pos[a] as number) : Math.max(pos[a] as number, neg[b] as number);
    while (a >= 0 && pos[a] === score) a--;
    while (b >= 0 && neg[b] === score) b--;
    visit(neg.length - 1 - b, pos.length - 1 - a, score);
  }
}

/** `walkDown` lowest score first. */
function walkUp({ pos, neg }: ScoresByClass, visit: (fp: number, tp: number) => void): void {
  let a = 0;
  let b = 0;
  while (a < pos.length || b < neg.length) {
    const score = a >= pos.length ? (neg[b] as number) : b >= neg.length ? (pos[a] as number) : Math.min(pos[a] as number, neg[b] as number);
    visit(neg.length - b, pos.length - a);
    while (a < pos.length && pos[a] === score) a++;
    while (b < neg.length && neg[b] === score) b++;
  }
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

/**
 * Area under the ROC curve: trapezoids over scikit-learn's curve (`rocCurve`'s points, ties handled as
 * it does), summed in its order, so the same number to the last bit; walked without building the curve
 * (a point's fate under drop_intermediate waits for the next one), in memory for the scores alone.
 */
export function rocAuc(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): number {
  return rocAucOf(scoresByClass(yTrue, yScore));
}

/** `rocAuc` of each class's sorted scores (see {@link scoresByClass}). */
export function rocAucOf(classes: ScoresByClass): number {
  const negatives = classes.neg.length;
  const positives = classes.pos.length;
  if (negatives === 0 || positives === 0) throw new ModelError("ROC needs both classes in yTrue");
  // From the curve's first point (0, 0) through the points drop_intermediate keeps.
  let area = 0;
  let fprBefore = 0;
  let tprBefore = 0;
  const add = (fp: number, tp: number) => {
    const fpr = fp / negatives;
    const tpr = tp / positives;
    area += ((fpr - fprBefore) * (tpr + tprBefore)) / 2;
    fprBefore = fpr;
    tprBefore = tpr;
  };
  let seen = 0;
  let fp0 = 0;
  let tp0 = 0;
  let fp1 = 0;
  let tp1 = 0;
  walkDown(classes, (fp, tp) => {
    if (seen === 0) add(fp, tp);
    else if (seen >= 2 && (fp - 2 * fp1 + fp0 !== 0 || tp - 2 * tp1 + tp0 !== 0)) add(fp1, tp1);
    fp0 = fp1;
    tp0 = tp1;
    fp1 = fp;
    tp1 = tp;
    seen++;
  });
  if (seen > 1) add(fp1, tp1);
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

/**
 * Average precision: Σ (R_n − R_{n−1}) P_n, without interpolation, over `precisionRecallCurve`'s points
 * summed in its order (the same number to the last bit), walked lowest score first without building the curve.
 */
export function averagePrecision(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): number {
  return averagePrecisionOf(scoresByClass(yTrue, yScore));
}

/** `averagePrecision` of each class's sorted scores (see {@link scoresByClass}). */
export function averagePrecisionOf(classes: ScoresByClass): number {
  const last = classes.pos.length;
  if (last === 0) throw new ModelError("precision-recall needs at least one positive in yTrue");
  // Each point's term waits for the next (higher) point's recall; past the highest, the curve's closing recall 0.
  let s = 0;
  let seen = false;
  let recall = 0;
  let precision = 0;
  walkUp(classes, (fp, tp) => {
    if (seen) s += (tp / last - recall) * precision;
    const ps = tp + fp;
    precision = ps === 0 ? 0 : tp / ps;
    recall = tp / last;
    seen = true;
  });
  s += (0 - recall) * precision;
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
