import { quantileSorted } from "../descriptive/quantile.js";
import { fSf } from "../dists.js";
import type { TestResult } from "./two-sample.js";

/**
 * Levene's test that groups have equal variances, with deviations from each group's median (the
 * Brown-Forsythe variant, SciPy's default: `levene(*groups)`, `center="median"`): the one-way ANOVA F
 * of zᵢⱼ = |xᵢⱼ − median(xᵢ)|, W = (N − k)/(k − 1) · Σ nᵢ(z̄ᵢ − z̄)² / ΣΣ (zᵢⱼ − z̄ᵢ)², and
 * p = P(F_{k−1, N−k} > W). Robust to non-normal data, unlike the F test of the variances.
 *
 * Edge cases: fewer than two groups, or a group of fewer than two values, gives NaN; every group
 * constant (all deviations 0) gives NaN, where SciPy divides by zero too.
 *
 * @example
 * leveneTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12]); // { statistic: ≈ 2.73, pvalue: ≈ 0.13 }
 */
export function leveneTest(...groups: ArrayLike<number>[]): TestResult {
  const k = groups.length;
  if (k < 2 || groups.some((g) => g.length < 2)) return { statistic: Number.NaN, pvalue: Number.NaN };
  const deviations = groups.map((g) => {
    const sorted = Float64Array.from(g).sort();
    const median = quantileSorted(sorted, 0.5);
    return Float64Array.from(g, (x) => Math.abs(x - median));
  });
  let total = 0;
  let n = 0;
  const means = deviations.map((z) => {
    let s = 0;
    for (const v of z) s += v;
    total += s;
    n += z.length;
    return s / z.length;
  });
  const grand = total / n;
  let between = 0;
  let within = 0;
  deviations.forEach((z, i) => {
    const mean = means[i] as number;
    between += z.length * (mean - grand) ** 2;
    for (const v of z) within += (v - mean) ** 2;
  });
  const statistic = ((n - k) / (k - 1)) * (between / within);
  return { statistic, pvalue: Number.isFinite(statistic) ? fSf(statistic, k - 1, n - k) : Number.NaN };
}
