import { describeCategorical, describeNumeric } from "../descriptive/describe.js";
import { quantileSorted, sortedPresent } from "../descriptive/quantile.js";
import { chiSquareIndependence } from "../inference/contingency.js";
import { pearson, spearman } from "../inference/correlation.js";
import { benjaminiHochberg, bonferroni } from "../inference/multiple.js";
import { rankWithTies } from "../inference/ranks.js";
import { shapiroWilk } from "../inference/shapiro.js";
import { cohensD, welchTTest } from "../inference/two-sample.js";
import { alertsOf } from "./alerts.js";
import { ALONGSIDE_TESTS } from "./alongside.js";
import { readCategorical, readNumeric } from "./readings.js";
import type { Analysis, AnalysisInput, CategoryBars, ColumnAnalysis, FeatureTest, Histogram } from "./types.js";

const HIST_BINS = 20;
const MAX_BARS = 15;

function splitByClass(values: Float64Array, y: Uint8Array): [number[], number[]] {
  const out: [number[], number[]] = [[], []];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) out[y[i] as 0 | 1].push(v);
  }
  return out;
}

/**
 * Describes every column, tests each feature against the target, and prepares the plot data.
 *
 * @example
 * const a = analyze({
 *   target: "churn",
 *   classes: ["no", "yes"],
 *   rows: 4,
 *   features: [{ name: "tenure", kind: "numeric" }],
 *   numeric: new Map([["tenure", Float64Array.from([30, 2, 45, 5])]]),
 *   categorical: new Map(),
 *   y: Uint8Array.from([0, 1, 0, 1]),
 * });
 * a.tests[0]?.reading; // "churn = yes goes with lower tenure (median 3.5 vs 37.5): …"
 */
export function analyze(input: AnalysisInput): Analysis {
  const [neg, pos] = input.classes;
  const nPos = input.y.reduce((a, b) => a + b, 0);
  const columns: ColumnAnalysis[] = [];
  const tests: Omit<FeatureTest, "p_bh" | "p_bonferroni">[] = [];
  const histograms: Histogram[] = [];
  const bars: CategoryBars[] = [];
  const missing: Analysis["plots"]["missing"] = [];

  for (const f of input.features) {
    if (f.kind === "numeric") {
      const values = input.numeric.get(f.name) as Float64Array;
      const [a, b] = splitByClass(values, input.y);
      const summary = describeNumeric(values);
      const date = input.dates?.includes(f.name) ? ({ date: true } as const) : {};
      // A date with a time of day somewhere (a fractional day count); without, its means are shown as days.
      const time = "date" in date && values.some((v) => v !== Math.floor(v) && !Number.isNaN(v)) ? ({ time: true } as const) : {};
      columns.push({ name: f.name, kind: "numeric", ...date, ...time, summary, by_class: { [neg]: describeNumeric(a), [pos]: describeNumeric(b) } });
      missing.push({ feature: f.name, missing: summary.missing, share: summary.missing / input.rows });
      histograms.push({ ...histogram(f.name, a, b, neg, pos, summary.min, summary.max), ...date });
      if (a.length < 2 || b.length < 2 || summary.unique < 2) continue;
      // Positive class first, so a positive statistic reads "higher in the positive class".
      const t = welchTTest(b, a);
      const d = cohensD(b, a);
      tests.push({
        feature: f.name,
        kind: "numeric",
        test: "welch_t",
        statistic: t.statistic,
        pvalue: t.pvalue,
        effect: { name: "cohens_d", value: d },
        alongside: Object.fromEntries(ALONGSIDE_TESTS.map((test) => [test.key, test.run(b, a)])) as FeatureTest["alongside"],
        normality: { [neg]: normality(a), [pos]: normality(b) },
        reading: "",
      });
    } else {
      const values = input.categorical.get(f.name) as readonly string[];
      const a = values.filter((_, i) => input.y[i] === 0);
      const b = values.filter((_, i) => input.y[i] === 1);
      const summary = describeCategorical(values);
      columns.push({ name: f.name, kind: "categorical", summary, by_class: { [neg]: describeCategorical(a), [pos]: describeCategorical(b) } });
      missing.push({ feature: f.name, missing: summary.missing, share: summary.missing / input.rows });
      const levels = new Map<string, [number, number]>();
      values.forEach((v, i) => {
        const key = v === "" ? "(missing)" : v;
        const c = levels.get(key) ?? [0, 0];
        c[input.y[i] as 0 | 1]++;
        levels.set(key, c);
      });
      const ordered = [...levels.entries()].sort((p, q) => q[1][0] + q[1][1] - (p[1][0] + p[1][1]));
      const shown = ordered.slice(0, MAX_BARS);
      bars.push({ feature: f.name, categories: shown.map(([k]) => k), counts: { [neg]: shown.map(([, c]) => c[0]), [pos]: shown.map(([, c]) => c[1]) } });
      // The test's table holds observed values: rows missing the feature are left out unless asked.
      const tested = input.missingAsCategory ? ordered : ordered.filter(([k]) => k !== "(missing)");
      const excluded = input.missingAsCategory ? 0 : (levels.get("(missing)")?.reduce((x, y) => x + y, 0) ?? 0);
      const table = [tested.map(([, c]) => c[0]), tested.map(([, c]) => c[1])];
      // Two levels and both classes among the rows tested, or there is nothing to test.
      if (tested.length < 2 || table.some((row) => row.every((c) => c === 0))) continue;
      const chi = chiSquareIndependence(table);
      const plain = chiSquareIndependence(table, { yates: false });
      tests.push({
        feature: f.name,
        kind: "categorical",
        test: "chi_square",
        statistic: chi.statistic,
        pvalue: chi.pvalue,
        effect: { name: "cramers_v", value: chi.cramersV },
        chi_square: {
          dof: chi.dof,
          yates: chi.dof === 1,
          uncorrected_statistic: plain.statistic,
          uncorrected_pvalue: plain.pvalue,
          rows_missing_excluded: excluded,
        },
        reading: "",
      });
    }
  }

  const bh = benjaminiHochberg(tests.map((t) => t.pvalue));
  const bonf = bonferroni(tests.map((t) => t.pvalue));
  const ranked: FeatureTest[] = tests.map((t, i) => ({ ...t, p_bh: bh[i] as number, p_bonferroni: bonf[i] as number }));
  for (const t of ranked) {
    t.reading = t.kind === "numeric" ? readNumeric(t, columns, input) : readCategorical(t, input);
  }
  ranked.sort((a, b) => a.p_bh - b.p_bh || Math.abs(b.effect.value) - Math.abs(a.effect.value));

  const analysis: Omit<Analysis, "alerts"> = {
    schema_version: 2,
    overview: {
      target: input.target,
      classes: [neg, pos],
      positive_class: pos,
      rows: input.rows,
      features: input.features.length,
      numeric_features: input.features.filter((f) => f.kind === "numeric").length,
      categorical_features: input.features.filter((f) => f.kind === "categorical").length,
      class_counts: { [neg]: input.rows - nPos, [pos]: nPos },
      positive_rate: nPos / input.rows,
    },
    columns,
    tests: ranked,
    correlations: correlations(input),
    plots: { class_balance: { [neg]: input.rows - nPos, [pos]: nPos }, missing, histograms, bars },
  };
  return { ...analysis, alerts: alertsOf(input, analysis) };
}

/** Shapiro-Wilk on at most 5,000 values (the test's range), taken evenly from the sorted sample. */
function normality(values: number[]): { statistic: number; pvalue: number; n: number } {
  const sorted = sortedPresent(values);
  const n = Math.min(5000, sorted.length);
  if (n < 3) return { statistic: Number.NaN, pvalue: Number.NaN, n };
  const pick = n === sorted.length ? sorted : Float64Array.from({ length: n }, (_, k) => sorted[Math.floor((k * (sorted.length - 1)) / (n - 1))] as number);
  return { ...shapiroWilk(pick), n };
}

function histogram(feature: string, a: number[], b: number[], neg: string, pos: string, min: number, max: number): Histogram {
  const width = max > min ? (max - min) / HIST_BINS : 1;
  const bins = max > min ? HIST_BINS : 1;
  const edges = Array.from({ length: bins + 1 }, (_, k) => min + k * width);
  const count = (xs: number[]) => {
    const c = new Array<number>(bins).fill(0);
    for (const x of xs) {
      const bin = Math.min(bins - 1, Math.floor((x - min) / width));
      c[bin] = (c[bin] as number) + 1;
    }
    return c;
  };
  const box = (xs: number[]) => {
    const s = sortedPresent(xs);
    const q1 = quantileSorted(s, 0.25);
    const q3 = quantileSorted(s, 0.75);
    const iqr = q3 - q1;
    // Whiskers at the most extreme values within 1.5 IQR, as Tukey drew them.
    let lower = q1;
    let upper = q3;
    for (const x of s)
      if (x >= q1 - 1.5 * iqr) {
        lower = x;
        break;
      }
    for (let i = s.length - 1; i >= 0; i--)
      if ((s[i] as number) <= q3 + 1.5 * iqr) {
        upper = s[i] as number;
        break;
      }
    return { q1, median: quantileSorted(s, 0.5), q3, lower, upper };
  };
  return { feature, edges, counts: { [neg]: count(a), [pos]: count(b) }, box: { [neg]: box(a), [pos]: box(b) } };
}

function correlations(input: AnalysisInput): Analysis["correlations"] {
  const names = input.features.filter((f) => f.kind === "numeric").map((f) => f.name);
  const cols = names.map((n) => input.numeric.get(n) as Float64Array);
  const complete = cols.map((c) => !c.some((v) => Number.isNaN(v)));
  // Ranks of complete columns are computed once and shared by every pair.
  const ranks = cols.map((c, i) => (complete[i] ? rankWithTies(c).ranks : undefined));
  const p: number[][] = names.map(() => new Array<number>(names.length).fill(1));
  const s: number[][] = names.map(() => new Array<number>(names.length).fill(1));
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      let r: number;
      let rho: number;
      const ri = ranks[i];
      const rj = ranks[j];
      if (ri && rj) {
        r = (cols[i] as Float64Array).length > 2 ? pearson(cols[i] as Float64Array, cols[j] as Float64Array).r : Number.NaN;
        rho = ri.length > 2 ? pearson(ri, rj).r : Number.NaN;
      } else {
        // Pairwise-complete rows.
        const x: number[] = [];
        const y: number[] = [];
        const ci = cols[i] as Float64Array;
        const cj = cols[j] as Float64Array;
        for (let k = 0; k < ci.length; k++) {
          if (!Number.isNaN(ci[k] as number) && !Number.isNaN(cj[k] as number)) {
            x.push(ci[k] as number);
            y.push(cj[k] as number);
          }
        }
        r = x.length > 2 ? pearson(x, y).r : Number.NaN;
        rho = x.length > 2 ? spearman(x, y).rho : Number.NaN;
      }
      (p[i] as number[])[j] = r;
      (p[j] as number[])[i] = r;
      (s[i] as number[])[j] = rho;
      (s[j] as number[])[i] = rho;
    }
  }
  return { features: names, pearson: p, spearman: s };
}
