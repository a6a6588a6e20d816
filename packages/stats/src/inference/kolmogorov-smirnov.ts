import { lnGamma } from "../special/gamma.js";
import type { TestResult } from "./two-sample.js";

/** Up to this many values in the larger sample the p-value is exact, as SciPy's `method="auto"`. */
const EXACT_MAX = 10_000;

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided (SciPy's `ks_2samp(a, b)`, `method="auto"`):
 * D = maxₓ |F_a(x) − F_b(x)| over the pooled values (ties handled). The p-value P(D ≥ d) is exact
 * when both samples have at most 10,000 values — the share of lattice paths that leave the band
 * |i/m − j/n| < d, computed as an exit probability so it is exact far into the tail rather than
 * one minus a share near 1 — and otherwise SciPy's asymptotic choice, the one-sample distribution
 * of D_N with N = round(mn / (m + n)) (`kstwo.sf(d, N)`).
 *
 * Edge cases: an empty sample gives NaN; D = 0 gives p = 1.
 *
 * @example
 * const r = ksTwoSample([0.1, 0.4, 0.35, 0.8], [0.9, 1.2, 0.7, 1.5, 1.1]);
 * r.method; // "exact"
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): TestResult & { method: "exact" | "asymptotic" } {
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();
  const n1 = sa.length;
  const n2 = sb.length;
  if (n1 === 0 || n2 === 0) return { statistic: Number.NaN, pvalue: Number.NaN, method: "exact" };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const x = Math.min(sa[i] as number, sb[j] as number);
    while (i < n1 && sa[i] === x) i++;
    while (j < n2 && sb[j] === x) j++;
    d = Math.max(d, Math.abs(i / n1 - j / n2));
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  if (m <= EXACT_MAX) {
    // On the lattice: D is a multiple of 1 / lcm(m, n); rounding removes the float noise in d.
    const g = gcd(m, n);
    const lcm = (m / g) * n;
    const h = Math.round(d * lcm);
    return { statistic: d, pvalue: h === 0 ? 1 : exitProbability(m, n, g, h), method: "exact" };
  }
  return { statistic: d, pvalue: kolmogorovSf(Math.round((m * n) / (m + n)), d), method: "asymptotic" };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The share of monotone lattice paths from (0, 0) to (m, n), m ≥ n, that touch or cross the lines
 * |i·(n/g) − j·(m/g)| = h. f(i, j) is the probability that a uniformly random path through (i, j)
 * has already left the band: 1 outside it, and inside f(i, j) = (i·f(i−1, j) + j·f(i, j−1)) / (i + j),
 * a mean of non-negative terms, so the result is exact to rounding however small it is.
 */
function exitProbability(m: number, n: number, g: number, h: number): number {
  const mg = m / g;
  const ng = n / g;
  const inside = (i: number, j: number) => Math.abs(i * ng - j * mg) < h;
  let prev = new Float64Array(n + 1);
  let cur = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = inside(0, j) ? (j === 0 ? 0 : (prev[j - 1] as number)) : 1;
  for (let i = 1; i <= m; i++) {
    // Only a band of j is inside: below it and above it a path has left already.
    const low = Math.max(0, Math.floor((i * ng - h) / mg) + 1);
    const high = Math.min(n, Math.ceil((i * ng + h) / mg) - 1);
    if (low > high) return 1;
    for (let j = 0; j < low; j++) cur[j] = 1;
    for (let j = low; j <= high; j++) {
      if (!inside(i, j)) {
        cur[j] = 1;
        continue;
      }
      cur[j] = j === 0 ? (prev[0] as number) : ((prev[j] as number) * i + (cur[j - 1] as number) * j) / (i + j);
    }
    for (let j = high + 1; j <= n; j++) cur[j] = 1;
    [prev, cur] = [cur, prev];
  }
  return Math.min(1, Math.max(0, prev[n] as number));
}

/**
 * P(D_N ≥ x) for the one-sample two-sided Kolmogorov-Smirnov statistic (SciPy's `kstwo.sf`), with
 * the method Simard & L'Ecuyer (2011) choose for each region: the Ruben-Gambino closed forms at the
 * ends, twice the one-sided Smirnov probability in the upper tail (exact, every term positive), and
 * one minus the cdf elsewhere (the p-value is then above 0.01, so nothing is lost): the Durbin matrix
 * (Marsaglia, Tsang & Wang) where it is cheap, the Pelz-Good series otherwise.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (Number.isNaN(x) || !(n >= 1)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // P(D_N ≤ x) = N!/N^N · (2t − 1)^N.
    return clip(1 - Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1)));
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) return nx2 <= 4 ? clip(1 - durbinCdf(n, x)) : clip(2 * smirnovSf(n, x));
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** ln(N! / N^N). */
function logFactorialOverPower(n: number): number {
  return lnGamma(n + 1) - n * Math.log(n);
}

function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

/**
 * The one-sided Smirnov upper tail P(D_N⁺ ≥ x), exactly (Birnbaum & Tingey 1951):
 * x · Σ_{j=0}^{⌊N(1−x)⌋} C(N, j) (1 − x − j/N)^{N−j} (x + j/N)^{j−1}, summed in logs (positive terms).
 */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.floor(n * (1 - x) + 1e-12);
  const logs: number[] = [];
  let top = Number.NEGATIVE_INFINITY;
  for (let j = 0; j <= last; j++) {
    const base = 1 - x - j / n;
    const power = n - j;
    let log = lnChoose(n, j) + (j - 1) * Math.log(x + j / n);
    if (power > 0) {
      if (base <= 0) continue;
      log += power * Math.log(base);
    }
    logs.push(log);
    if (log > top) top = log;
  }
  if (top === Number.NEGATIVE_INFINITY) return 0;
  let sum = 0;
  for (const l of logs) sum += Math.exp(l - top);
  return Math.exp(Math.log(x) + top + Math.log(sum));
}

/**
 * P(D_N ≤ x) by Durbin's matrix formula as Marsaglia, Tsang & Wang (2003) compute it: with
 * k = ⌈Nx⌉, h = k − Nx, the (k, k) entry of H^N times N!/N^N, H a (2k−1)² matrix of 1/i! terms.
 * Powers are kept as a mantissa matrix and a binary exponent, so nothing overflows.
 */
function durbinCdf(n: number, x: number): number {
  const nd = n * x;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const factorial = [1];
  for (let i = 1; i <= m; i++) factorial.push((factorial[i - 1] as number) * i);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i - j + 1 >= 0) H[i * m + j] = 1 / (factorial[i - j + 1] as number);
  for (let i = 0; i < m; i++) {
    H[i * m] = (H[i * m] as number) - h ** (i + 1) / (factorial[i + 1] as number);
    H[(m - 1) * m + i] = (H[(m - 1) * m + i] as number) - h ** (m - i) / (factorial[m - i] as number);
  }
  if (2 * h - 1 > 0) H[(m - 1) * m] = (H[(m - 1) * m] as number) + (2 * h - 1) ** m / (factorial[m] as number);
  const { matrix, exponent } = matrixPower(H, m, n);
  // Σ log(i/N) for i ≤ N is ln(N!/N^N); joined with the matrix's binary exponent in logs.
  const value = matrix[(k - 1) * m + (k - 1)] as number;
  if (!(value > 0)) return 0;
  return Math.exp(Math.log(value) + exponent * Math.LN2 + logFactorialOverPower(n));
}

function matrixPower(A: Float64Array, m: number, power: number): { matrix: Float64Array; exponent: number } {
  let result: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) result[i * m + i] = 1;
  let resultExp = 0;
  let base: Float64Array = Float64Array.from(A);
  let baseExp = 0;
  let p = power;
  while (p > 0) {
    if (p & 1) {
      result = multiply(result, base, m);
      resultExp += baseExp;
      resultExp += rescale(result);
    }
    p = Math.floor(p / 2);
    if (p > 0) {
      base = multiply(base, base, m);
      baseExp *= 2;
      baseExp += rescale(base);
    }
  }
  return { matrix: result, exponent: resultExp };
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j] = (c[i * m + j] as number) + aik * (b[k * m + j] as number);
    }
  }
  return c;
}

/** Divides the matrix by a power of two that brings its largest entry near 1; returns that power. */
function rescale(a: Float64Array): number {
  let max = 0;
  for (const v of a) max = Math.max(max, Math.abs(v));
  if (max === 0 || (max > 2 ** -64 && max < 2 ** 64)) return 0;
  const e = Math.floor(Math.log2(max));
  const f = 2 ** -e;
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) * f;
  return e;
}

/**
 * P(D_N ≤ x) by the Pelz-Good (1976) asymptotic series K₀ + K₁/√N + K₂/N + K₃/N^{3/2} in z = x√N,
 * written with Jacobi theta transforms that converge fast for small z.
 */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const pi2 = Math.PI ** 2;
  if (-pi2 / 8 / z2 < -708) return 0;
  const root2pi = Math.sqrt(2 * Math.PI);
  const terms = Math.ceil((16 * z) / Math.PI);
  let k0 = 0;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  // Odd terms: u = (2k − 1)²π²/4 is π²(k − ½)², weighted by exp(−u / (2z²)).
  for (let k = 1; k <= terms; k++) {
    const o = 2 * k - 1;
    const u = (o * o * pi2) / 4;
    const w = Math.exp(-u / (2 * z2));
    k0 += w;
    k1 += (u - z2) * w;
    k2 += (6 * z2 ** 3 + 2 * z2 * z2 + (2 * z2 * z2 - 5 * z2) * u + (1 - 2 * z2) * u * u) * w;
    k3 += ((5 - 30 * z2) * u ** 3 + (-60 * z2 + 212 * z2 * z2) * u * u + (135 * z2 * z2 - 96 * z2 ** 3) * u - 30 * z2 ** 3 - 90 * z2 ** 4) * w;
  }
  k0 *= root2pi / z;
  k1 *= root2pi / (6 * z2 * z2);
  k2 *= root2pi / (72 * z ** 7);
  k3 *= root2pi / (6480 * z ** 10);
  // Even terms: v = π²k², weighted by exp(−v / (2z²)).
  let e2 = 0;
  let e3 = 0;
  for (let k = 1; k <= terms; k++) {
    const v = pi2 * k * k;
    const w = Math.exp(-v / (2 * z2));
    e2 += k * k * w;
    e3 += (3 * z2 - v) * k * k * w;
  }
  k2 -= (pi2 * root2pi * e2) / (36 * z ** 3);
  k3 += (pi2 * root2pi * e3) / (216 * z2 ** 3);
  return k0 + k1 / Math.sqrt(n) + k2 / n + k3 / n ** 1.5;
}
