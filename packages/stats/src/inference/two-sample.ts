import { RunningMoments } from "../descriptive/moments.js";
import { normalSf, tTwoSided } from "../dists.js";
import { rankWithTies } from "./ranks.js";

export interface TestResult {
  statistic: number;
  pvalue: number;
}

function moments(x: ArrayLike<number>): RunningMoments {
  const m = new RunningMoments();
  for (let i = 0; i < x.length; i++) m.push(x[i] as number);
  return m;
}

/**
 * Welch's unequal-variance t-test (SciPy's `ttest_ind(a, b, equal_var=False)`).
 *
 * @example
 * const { statistic, pvalue, df } = welchTTest([1.2, 2.3, 3.1], [2.2, 4.1, 5.0]);
 */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>): TestResult & { df: number } {
  const ma = moments(a);
  const mb = moments(b);
  const va = ma.variance / ma.n;
  const vb = mb.variance / mb.n;
  const t = (ma.mean - mb.mean) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (ma.n - 1) + vb ** 2 / (mb.n - 1));
  return { statistic: t, pvalue: tTwoSided(t, df), df };
}

/** Cohen's d with the pooled standard deviation. */
export function cohensD(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = moments(a);
  const mb = moments(b);
  const pooled = Math.sqrt(((ma.n - 1) * ma.variance + (mb.n - 1) * mb.variance) / (ma.n + mb.n - 2));
  return (ma.mean - mb.mean) / pooled;
}

/**
 * Mann-Whitney U, two-sided, with SciPy's default method choice: exact when both samples are at most
 * 8 long and there are no ties, otherwise the normal approximation with tie and continuity corrections.
 * The statistic is U of the first sample.
 */
export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>): TestResult & { method: "exact" | "asymptotic"; rankBiserial: number } {
  const n1 = a.length;
  const n2 = b.length;
  const all = new Float64Array(n1 + n2);
  for (let i = 0; i < n1; i++) all[i] = a[i] as number;
  for (let i = 0; i < n2; i++) all[n1 + i] = b[i] as number;
  const { ranks, tieSizes } = rankWithTies(all);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i] as number;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const hasTies = tieSizes.some((t) => t > 1);
  const rankBiserial = (2 * u1) / (n1 * n2) - 1;
  const big = Math.max(u1, u2);
  if (n1 <= 8 && n2 <= 8 && !hasTies) {
    // Exact: P(U >= big) from the count distribution of U, doubled.
    const dist = exactUDistribution(n1, n2);
    let tail = 0;
    for (let u = Math.round(big); u < dist.length; u++) tail += dist[u] as number;
    return { statistic: u1, pvalue: Math.min(1, 2 * tail), method: "exact", rankBiserial };
  }
  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((s, t) => s + (t ** 3 - t), 0);
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = (big - (n1 * n2) / 2 - 0.5) / sigma;
  return { statistic: u1, pvalue: Math.min(1, 2 * normalSf(z)), method: "asymptotic", rankBiserial };
}

/** Probability of each U value under H0 for samples of sizes m and n without ties. */
function exactUDistribution(m: number, n: number): Float64Array {
  // f(i, j, u): number of arrangements; built by the recurrence f(i,j,u) = f(i-1,j,u-j) + f(i,j-1,u).
  const max = m * n;
  let prev: Float64Array[] = Array.from({ length: n + 1 }, () => {
    const z = new Float64Array(max + 1);
    z[0] = 1;
    return z;
  });
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const z = new Float64Array(max + 1);
      for (let u = 0; u <= max; u++) {
        const fromPrev = u - j >= 0 ? ((prev[j] as Float64Array)[u - j] as number) : 0;
        const fromLeft = j > 0 ? ((cur[j - 1] as Float64Array)[u] as number) : 0;
        z[u] = fromPrev + fromLeft;
      }
      cur.push(z);
    }
    prev = cur;
  }
  const counts = prev[n] as Float64Array;
  let total = 0;
  for (const c of counts) total += c;
  return counts.map((c) => c / total);
}
