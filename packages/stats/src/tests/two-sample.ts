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

/** Welch's unequal-variance t-test (SciPy's `ttest_ind(a, b, equal_var=False)`). */
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

/** Below this many values per sample the two-sided p-value is exact, as SciPy's method="auto". */
const KS_EXACT_MAX = 10_000;

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided: D = max |F_a − F_b| (ties handled), p-value exact
 * when both samples have at most 10,000 values (SciPy's "auto"), else the asymptotic distribution.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): TestResult & { method: "exact" | "asymptotic" } {
  const sa = Float64Array.from(a as ArrayLike<number>).sort();
  const sb = Float64Array.from(b as ArrayLike<number>).sort();
  const n1 = sa.length;
  const n2 = sb.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const x = Math.min(sa[i] as number, sb[j] as number);
    while (i < n1 && sa[i] === x) i++;
    while (j < n2 && sb[j] === x) j++;
    d = Math.max(d, Math.abs(i / n1 - j / n2));
  }
  if (Math.max(n1, n2) <= KS_EXACT_MAX) {
    const p = ksExactTwoSided(n1, n2, d);
    if (p !== undefined) return { statistic: d, pvalue: p, method: "exact" };
  }
  const en = Math.sqrt((n1 * n2) / (n1 + n2));
  return { statistic: d, pvalue: kolmogorovSf(d * en), method: "asymptotic" };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * P(D ≥ d) under H0: one minus the share of monotone lattice paths from (0, 0) to (m, n) that stay
 * strictly inside |i/m − j/n| < d. The share is built cell by cell as f(i, j) = f(i−1, j)·i/(i+j) +
 * f(i, j−1)·j/(i+j), a ratio to the binomial count that stays in [0, 1] (no overflow).
 */
function ksExactTwoSided(n1: number, n2: number, d: number): number | undefined {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const g = gcd(m, n);
  const mg = m / g;
  const ng = n / g;
  const lcm = mg * n;
  // Work on the integer lattice: inside ⇔ |i·ng − j·mg| < h.
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  let prev = new Float64Array(n + 1);
  let cur = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = Math.abs(-j * mg) < h ? (j === 0 ? 1 : (prev[j - 1] as number)) : 0;
  for (let i = 1; i <= m; i++) {
    for (let j = 0; j <= n; j++) {
      if (Math.abs(i * ng - j * mg) >= h) {
        cur[j] = 0;
        continue;
      }
      const fromLeft = prev[j] as number;
      if (j === 0) cur[j] = fromLeft;
      else cur[j] = (fromLeft * i + (cur[j - 1] as number) * j) / (i + j);
    }
    [prev, cur] = [cur, prev];
  }
  const inside = prev[n] as number;
  const p = 1 - inside;
  return p >= 0 && p <= 1 ? p : undefined;
}

/** Survival function of the Kolmogorov distribution: 2 Σ (−1)^(k−1) e^(−2k²x²). */
function kolmogorovSf(x: number): number {
  if (x <= 0) return 1;
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    s += (k % 2 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}
