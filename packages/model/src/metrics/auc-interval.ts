import { type ScoresByClass, scoresByClass } from "./curves.js";

/** A 95% confidence interval of a ROC AUC (see rocAucInterval). */
export interface AucInterval {
  level: 0.95;
  low: number;
  high: number;
  /** The AUC's standard error. */
  se: number;
  method: "DeLong";
}

/** The standard normal's 97.5th percentile: a two-sided 95% interval is ± this many standard errors. */
const Z_975 = 1.959963984540054;

/**
 * A 95% confidence interval of the ROC AUC of `yScore` for the labels `yTrue` (0/1), by DeLong, DeLong &
 * Clarke-Pearson (1988): the AUC is the Mann–Whitney statistic, the mean over positives i and negatives j
 * of ψ(xᵢ, yⱼ) (1 when the positive scores higher, ½ on a tie, 0 else); its variance is S₁₀/m + S₀₁/n, where
 * S₁₀ is the sample variance over the m positives of V₁₀(xᵢ) = mean over j of ψ(xᵢ, yⱼ) and S₀₁ that over
 * the n negatives of V₀₁(yⱼ) = mean over i of ψ(xᵢ, yⱼ); the interval is AUC ± 1.96 · SE, cut to [0, 1]
 * (pROC's `ci.auc(method = "delong")`). Each V is counted on the classes' sorted scores, O((m + n) log(m + n)).
 *
 * Null when a class has fewer than two rows (no variance to estimate). A perfect separation has a standard
 * error of 0 and the interval [1, 1] however few the rows: DeLong's is an asymptotic interval, and says
 * nothing of luck in a test split of a handful of rows (see smallTestSplit).
 */
export function rocAucInterval(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): AucInterval | null {
  return rocAucIntervalOf(scoresByClass(yTrue, yScore));
}

/** `rocAucInterval` of each class's sorted scores. */
export function rocAucIntervalOf({ pos, neg }: ScoresByClass): AucInterval | null {
  const m = pos.length;
  const n = neg.length;
  if (m < 2 || n < 2) return null;
  // V10 of a positive: the share of negatives below it (a tie counts half); V01 of a negative: that of
  // positives above it, 1 − the share below it.
  const v10 = shareBelow(pos, neg);
  const v01 = shareBelow(neg, pos).map((share) => 1 - share);
  const auc = mean(v10);
  const se = Math.sqrt(sampleVariance(v10, auc) / m + sampleVariance(v01, mean(v01)) / n);
  return { level: 0.95, low: Math.max(0, auc - Z_975 * se), high: Math.min(1, auc + Z_975 * se), se, method: "DeLong" };
}

/** For each of the sorted values `a`, the share of the sorted values `b` below it, one tied counting half. */
function shareBelow(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  let below = 0;
  let upTo = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    while (below < b.length && (b[below] as number) < x) below++;
    if (upTo < below) upTo = below;
    while (upTo < b.length && (b[upTo] as number) <= x) upTo++;
    out[i] = (below + (upTo - below) / 2) / b.length;
  }
  return out;
}

function mean(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

function sampleVariance(v: Float64Array, mu: number): number {
  let s = 0;
  for (const x of v) s += (x - mu) ** 2;
  return s / (v.length - 1);
}
