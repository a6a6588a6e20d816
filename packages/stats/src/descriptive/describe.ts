import { RunningMoments } from "./moments.js";
import { quantileSorted, sortedPresent } from "./quantile.js";

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

export interface NumericSummary {
  count: number;
  missing: number;
  unique: number;
  mean: number;
  std: number;
  min: number;
  quantiles: Record<string, number>;
  max: number;
  skewness: number;
  skewness_unbiased: number;
  kurtosis: number;
  kurtosis_unbiased: number;
}

/** Summary of a numeric column (NaN = missing). Moments in one pass; quantiles and unique need the sorted values. */
export function describeNumeric(values: ArrayLike<number>): NumericSummary {
  const m = new RunningMoments();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) missing++;
    else m.push(v);
  }
  const sorted = sortedPresent(values);
  let unique = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique++;
  return {
    count: m.n,
    missing,
    unique,
    mean: m.n ? m.mean : Number.NaN,
    std: m.std,
    min: m.n ? m.min : Number.NaN,
    quantiles: Object.fromEntries(QUANTILES.map((q) => [String(q), quantileSorted(sorted, q)])),
    max: m.n ? m.max : Number.NaN,
    skewness: m.skewness(true),
    skewness_unbiased: m.skewness(false),
    kurtosis: m.kurtosis(true),
    kurtosis_unbiased: m.kurtosis(false),
  };
}

export interface CategoricalSummary {
  count: number;
  missing: number;
  unique: number;
  top: { value: string; count: number; share: number }[];
}

/** Summary of a category column ("" = missing): counts and the most frequent values. */
export function describeCategorical(values: readonly string[], topN = 10): CategoricalSummary {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === "") missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const count = values.length - missing;
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, topN)
    .map(([value, c]) => ({ value, count: c, share: c / Math.max(1, count) }));
  return { count, missing, unique: counts.size, top };
}
