import { pointBiserial } from "../inference/correlation.js";
import { ksTwoSample } from "../inference/kolmogorov-smirnov.js";
import { leveneTest } from "../inference/levene.js";
import { mannWhitneyU } from "../inference/two-sample.js";

/** A test run beside a numeric feature's Welch t-test: its statistic, p-value and any extra figure. */
export interface AlongsideResult {
  statistic: number;
  pvalue: number;
  [extra: string]: number;
}

/** A second opinion on a numeric feature: positive-class values against the negative class's. */
export interface AlongsideTest {
  /** The key in analysis.json's `alongside`. */
  key: string;
  /** The name people read. */
  label: string;
  /** What it asks, in a few words. */
  question: string;
  /** The SciPy function it equals. */
  reference: string;
  run(positive: readonly number[], negative: readonly number[]): AlongsideResult;
}

/**
 * The tests every numeric feature gets beside Welch's t. Adding one is a file in `inference/` and an
 * entry here: analysis.json, analysis.txt and the report list what this table lists.
 */
export const ALONGSIDE_TESTS = [
  {
    key: "mann_whitney",
    label: "Mann-Whitney U",
    question: "do the values of one class tend to be larger (ranks)",
    reference: "mannwhitneyu(alternative='two-sided')",
    run: (p, n) => {
      const r = mannWhitneyU(p, n);
      return { statistic: r.statistic, pvalue: r.pvalue, rank_biserial: r.rankBiserial };
    },
  },
  {
    key: "ks",
    label: "Kolmogorov-Smirnov",
    question: "do the two distributions differ anywhere",
    reference: "ks_2samp(method='auto')",
    run: (p, n) => {
      const r = ksTwoSample(p, n);
      return { statistic: r.statistic, pvalue: r.pvalue };
    },
  },
  {
    key: "point_biserial",
    label: "point-biserial r",
    question: "how linearly the value goes with the class",
    reference: "pointbiserialr",
    run: (p, n) => {
      const group = new Float64Array(p.length + n.length);
      group.fill(1, n.length);
      const r = pointBiserial(group, [...n, ...p]);
      return { statistic: r.r, pvalue: r.pvalue, r: r.r };
    },
  },
  {
    key: "levene",
    label: "Levene (median)",
    question: "do the classes differ in spread",
    reference: "levene(center='median')",
    run: (p, n) => leveneTest(p, n) as AlongsideResult,
  },
] as const satisfies readonly AlongsideTest[];

export type AlongsideKey = (typeof ALONGSIDE_TESTS)[number]["key"];
