import { chiSquareSf, normalSf } from "../dists.js";
import { ksTwoSample } from "./kolmogorov-smirnov.js";

/**
 * Whether a column's current values still look like its reference (training) values, with the test
 * Evidently's DataDriftPreset picks by default:
 * - reference of at most 1,000 rows: a numeric column (more than 5 distinct values) by the two-sample
 *   Kolmogorov–Smirnov test; a binary one by the two-proportion z-test; any other by the chi-square
 *   goodness-of-fit test of the current counts against the reference shares; drift when p < 0.05;
 * - larger references: a numeric column by the Wasserstein distance divided by the reference's
 *   standard deviation; any other by the Jensen–Shannon distance (natural log, as
 *   `scipy.spatial.distance.jensenshannon`); drift when the distance ≥ 0.1.
 */
export type DriftMethod = "ks" | "z_proportion" | "chi_square" | "wasserstein_normed" | "jensen_shannon";

export interface ColumnDrift {
  method: DriftMethod;
  /** A p-value (tests: smaller is more drift) or a distance (larger is more drift). */
  score: number;
  threshold: number;
  drifted: boolean;
}

/** Reference rows above which distances replace tests (Evidently's default). */
export const SMALL_REFERENCE = 1000;
/** Numeric columns with at most this many distinct values are compared as categories. */
export const FEW_VALUES = 5;
const P_THRESHOLD = 0.05;
const DISTANCE_THRESHOLD = 0.1;

/**
 * Drift of a numeric column. `reference` is its training values (or a sample of them: `referenceRows`
 * is the training count, which decides the method); NaN values are ignored on both sides.
 */
export function numericDrift(reference: ArrayLike<number>, current: ArrayLike<number>, referenceRows = reference.length): ColumnDrift {
  const ref = present(reference);
  const cur = present(current);
  const distinct = new Set(ref).size;
  if (distinct <= FEW_VALUES) return categoricalDrift(countsOf(ref), countsOf(cur), referenceRows);
  if (referenceRows <= SMALL_REFERENCE) return test("ks", ksTwoSample(ref, cur).pvalue);
  return distance("wasserstein_normed", wassersteinDistance(ref, cur) / standardDeviation(ref));
}

/** Drift of a categorical column from its counts per category (reference: training counts). */
export function categoricalDrift(reference: ReadonlyMap<string, number>, current: ReadonlyMap<string, number>, referenceRows = total(reference)): ColumnDrift {
  // A category neither side has (a pooled level nothing fell into) is not a category of this comparison.
  const keys = [...new Set([...reference.keys(), ...current.keys()])].filter((k) => (reference.get(k) ?? 0) + (current.get(k) ?? 0) > 0).sort();
  const ref = keys.map((k) => reference.get(k) ?? 0);
  const cur = keys.map((k) => current.get(k) ?? 0);
  if (referenceRows > SMALL_REFERENCE) return distance("jensen_shannon", jensenShannonDistance(ref, cur));
  if (keys.length <= 2) return test("z_proportion", twoProportionZ(ref, cur));
  return test("chi_square", chiSquareGoodnessOfFit(cur, ref));
}

/**
 * The 1-Wasserstein (earth mover's) distance between two samples' empirical distributions:
 * ∫ |F_a(x) − F_b(x)| dx, as `scipy.stats.wasserstein_distance(a, b)`.
 */
export function wassersteinDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();
  if (sa.length === 0 || sb.length === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let x = Math.min(sa[0] as number, sb[0] as number);
  let sum = 0;
  while (i < sa.length || j < sb.length) {
    const next = Math.min(i < sa.length ? (sa[i] as number) : Number.POSITIVE_INFINITY, j < sb.length ? (sb[j] as number) : Number.POSITIVE_INFINITY);
    sum += Math.abs(i / sa.length - j / sb.length) * (next - x);
    while (i < sa.length && sa[i] === next) i++;
    while (j < sb.length && sb[j] === next) j++;
    x = next;
  }
  return sum;
}

/**
 * The Jensen–Shannon distance between two distributions given as counts over the same categories:
 * √(½ KL(p‖m) + ½ KL(q‖m)) with m = (p + q)/2 and natural logs, as `scipy.spatial.distance.jensenshannon(p, q)`
 * (which normalises the counts first). Between 0 and √ln 2.
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  const tp = p.reduce((s, v) => s + v, 0);
  const tq = q.reduce((s, v) => s + v, 0);
  if (tp === 0 || tq === 0) return Number.NaN;
  let js = 0;
  for (let k = 0; k < p.length; k++) {
    const a = (p[k] as number) / tp;
    const b = (q[k] as number) / tq;
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log(a / m);
    if (b > 0) js += 0.5 * b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, js));
}

/**
 * Chi-square goodness of fit of observed counts to the expected shares of `reference` (scaled to the
 * observed total), as `scipy.stats.chisquare(observed, f_exp)`; df = categories − 1. A category the
 * reference never had but the current data has makes the statistic infinite (p = 0).
 */
export function chiSquareGoodnessOfFit(observed: readonly number[], reference: readonly number[]): number {
  const n = observed.reduce((s, v) => s + v, 0);
  const r = reference.reduce((s, v) => s + v, 0);
  if (n === 0 || r === 0) return Number.NaN;
  let stat = 0;
  let categories = 0;
  for (let k = 0; k < observed.length; k++) {
    const expected = ((reference[k] as number) / r) * n;
    const o = observed[k] as number;
    if (expected === 0) {
      if (o > 0) return 0;
      continue;
    }
    categories++;
    stat += (o - expected) ** 2 / expected;
  }
  return categories < 2 ? 1 : chiSquareSf(stat, categories - 1);
}

/**
 * Two-sided p-value of the pooled two-proportion z-test on the first category's share in two samples
 * (counts of two categories each), as Evidently's `z_stat_test`; 1 when both samples hold one category only.
 */
export function twoProportionZ(reference: readonly number[], current: readonly number[]): number {
  const n1 = (reference[0] ?? 0) + (reference[1] ?? 0);
  const n2 = (current[0] ?? 0) + (current[1] ?? 0);
  if (n1 === 0 || n2 === 0) return Number.NaN;
  const p1 = (reference[0] ?? 0) / n1;
  const p2 = (current[0] ?? 0) / n2;
  const p = ((reference[0] ?? 0) + (current[0] ?? 0)) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return p1 === p2 ? 1 : 0;
  return 2 * normalSf(Math.abs(p1 - p2) / se);
}

function test(method: DriftMethod, p: number): ColumnDrift {
  return { method, score: p, threshold: P_THRESHOLD, drifted: p < P_THRESHOLD };
}

function distance(method: DriftMethod, d: number): ColumnDrift {
  // A constant reference (standard deviation 0) that moved is drift; one that did not is not.
  const score = Number.isNaN(d) ? 0 : d;
  return { method, score, threshold: DISTANCE_THRESHOLD, drifted: score >= DISTANCE_THRESHOLD };
}

function present(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i] as number)) out.push(values[i] as number);
  return Float64Array.from(out);
}

function countsOf(values: Float64Array): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(String(v), (m.get(String(v)) ?? 0) + 1);
  return m;
}

function total(m: ReadonlyMap<string, number>): number {
  let t = 0;
  for (const v of m.values()) t += v;
  return t;
}

/** Population standard deviation (numpy's default ddof=0, as Evidently divides by `np.std(reference)`). */
function standardDeviation(v: Float64Array): number {
  if (v.length === 0) return Number.NaN;
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return Math.sqrt(ss / v.length);
}
