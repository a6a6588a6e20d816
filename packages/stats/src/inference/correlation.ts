import { tTwoSided } from "../dists.js";
import { rankWithTies } from "./ranks.js";

/** Pearson's r with its two-sided p-value (t with n − 2 degrees of freedom, as SciPy). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): { r: number; pvalue: number } {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  if (n < 3) return { r, pvalue: Number.NaN };
  if (Math.abs(r) === 1) return { r, pvalue: 0 };
  const t = r * Math.sqrt((n - 2) / (1 - r * r));
  return { r, pvalue: tTwoSided(t, n - 2) };
}

/** Spearman's rho (Pearson on mid-ranks) with SciPy's t-based p-value. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): { rho: number; pvalue: number } {
  const { r, pvalue } = pearson(rankWithTies(x).ranks, rankWithTies(y).ranks);
  return { rho: r, pvalue };
}

/** Point-biserial correlation of a 0/1 group with values: Pearson's r on (group, value). */
export function pointBiserial(group: ArrayLike<number>, values: ArrayLike<number>): { r: number; pvalue: number } {
  return pearson(group, values);
}
