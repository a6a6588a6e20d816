import { normalPpf, normalSf } from "../dists.js";

const poly = (c: readonly number[], x: number) => c.reduceRight((acc, k) => acc * x + k, 0);

// Royston (1992, 1995), algorithm AS R94: coefficients of the approximations.
const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3 = [0.544, -0.39978, 0.025054, -6.714e-4];
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6 = [-0.4803, -0.082676, 0.0030302];
const G = [-2.273, 0.459];

/**
 * Shapiro-Wilk test of normality (3 ≤ n ≤ 5000), Royston's algorithm as SciPy uses it:
 * W and its p-value (small p: the sample is unlikely to come from a normal distribution).
 */
export function shapiroWilk(values: ArrayLike<number>): { statistic: number; pvalue: number } {
  const x = Float64Array.from(values).sort();
  const n = x.length;
  if (n < 3) throw new RangeError("Shapiro-Wilk needs at least 3 values");
  const range = (x[n - 1] as number) - (x[0] as number);
  if (range === 0) return { statistic: 1, pvalue: 1 };
  const half = Math.floor(n / 2);
  const a = new Float64Array(half);
  if (n === 3) {
    a[0] = Math.SQRT1_2;
  } else {
    const m = new Float64Array(half);
    let summ2 = 0;
    for (let i = 0; i < half; i++) {
      // Expected normal order statistics of the lower half (negative), as in AS R94.
      m[i] = normalPpf((i + 1 - 0.375) / (n + 0.25));
      summ2 += (m[i] as number) ** 2;
    }
    summ2 *= 2;
    const ssumm2 = Math.sqrt(summ2);
    const rsn = 1 / Math.sqrt(n);
    const a1 = poly(C1, rsn) - (m[0] as number) / ssumm2;
    let first: number;
    let fac: number;
    if (n > 5) {
      first = 2;
      const a2 = -(m[1] as number) / ssumm2 + poly(C2, rsn);
      fac = Math.sqrt((summ2 - 2 * (m[0] as number) ** 2 - 2 * (m[1] as number) ** 2) / (1 - 2 * a1 ** 2 - 2 * a2 ** 2));
      a[1] = a2;
    } else {
      first = 1;
      fac = Math.sqrt((summ2 - 2 * (m[0] as number) ** 2) / (1 - 2 * a1 ** 2));
    }
    a[0] = a1;
    for (let i = first; i < half; i++) a[i] = -(m[i] as number) / fac;
  }
  // W = (Σ a_i (x_(n+1-i) − x_(i)))² / Σ (x − mean)²
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  let num = 0;
  for (let i = 0; i < half; i++) num += (a[i] as number) * ((x[n - 1 - i] as number) - (x[i] as number));
  const w = Math.min(1, (num * num) / ss);
  if (n === 3) {
    const pi6 = 6 / Math.PI;
    const stqr = Math.PI / 3;
    return { statistic: w, pvalue: Math.max(0, pi6 * (Math.asin(Math.sqrt(w)) - stqr)) };
  }
  const w1 = Math.log(1 - w);
  let z: number;
  if (n <= 11) {
    const gamma = poly(G, n);
    if (w1 >= gamma) return { statistic: w, pvalue: 1e-99 };
    const y = -Math.log(gamma - w1);
    z = (y - poly(C3, n)) / Math.exp(poly(C4, n));
  } else {
    const ln = Math.log(n);
    z = (w1 - poly(C5, ln)) / Math.exp(poly(C6, ln));
  }
  return { statistic: w, pvalue: normalSf(z) };
}
