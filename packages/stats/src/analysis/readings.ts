import type { NumericSummary } from "../descriptive/describe.js";
import type { AnalysisInput, ColumnAnalysis, FeatureTest } from "./types.js";

/** "< 0.001" or "0.042": a p-value as a reader expects to see it in a table. */
export function formatPValue(p: number): string {
  if (Number.isNaN(p)) return "n/a";
  if (p < 0.001) return "< 0.001";
  return p.toFixed(3);
}

/** "p < 0.001" or "p = 0.042". */
export function formatP(p: number): string {
  const v = formatPValue(p);
  return v.startsWith("<") ? `p ${v}` : `p = ${v}`;
}

function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 0.01 || a >= 1e6)) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}

/** A day count since 1970-01-01 as its date (with the hour and minute when it has a time of day). */
export function dayText(days: number): string {
  if (!Number.isFinite(days)) return String(days);
  const iso = new Date(Math.round(days * 86_400_000)).toISOString();
  return days === Math.floor(days) ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

function strength(effect: number, small: number, medium: number, large: number): string {
  const a = Math.abs(effect);
  return a >= large ? "a large" : a >= medium ? "a medium" : a >= small ? "a small" : "a negligible";
}

/** "rows with Churn = Yes have lower tenure (median 10 vs 38): t = −34.8, p < 0.001, d = −0.89 (a large effect)." */
export function readNumeric(t: FeatureTest, columns: ColumnAnalysis[], input: AnalysisInput): string {
  const [neg, pos] = input.classes;
  const col = columns.find((c) => c.name === t.feature) as ColumnAnalysis;
  const mp = (col.by_class[pos] as NumericSummary).quantiles["0.5"] as number;
  const mn = (col.by_class[neg] as NumericSummary).quantiles["0.5"] as number;
  const d = t.effect.value;
  const significant = t.p_bh < 0.05;
  // A date (its day count) is later or earlier, and shown as a date — without a time of day when the column
  // has none (a mean of whole days is no time).
  const show = col.date ? (x: number) => dayText(col.time ? x : Math.round(x)) : num;
  const direction = col.date ? (d > 0 ? "later" : "earlier") : d > 0 ? "higher" : "lower";
  // Equal medians show no difference: the means, which the test and d compare, show the one there is.
  const figures =
    mp === mn
      ? `mean ${show((col.by_class[pos] as NumericSummary).mean)} vs ${show((col.by_class[neg] as NumericSummary).mean)}; median ${show(mp)} in both`
      : `median ${show(mp)} vs ${show(mn)}`;
  const lead = significant
    ? `${input.target} = ${pos} goes with ${direction} ${t.feature} (${figures})`
    : `${t.feature} does not clearly differ between ${input.target} = ${pos} and ${neg} (${figures})`;
  // Small, non-normal samples: the t-test's p-value is less trustworthy than the rank test's.
  const small = Object.values(t.normality ?? {}).some((s) => s.n < 50);
  const nonNormal = Object.values(t.normality ?? {}).some((s) => s.pvalue < 0.05);
  const caveat =
    small && nonNormal && t.alongside?.mann_whitney
      ? ` The values are not normal in these small samples (Shapiro-Wilk), so Mann-Whitney U is the safer reading: ${formatP(t.alongside.mann_whitney.pvalue)}.`
      : "";
  return `${lead}: t = ${num(t.statistic)}, ${formatP(t.pvalue)} (BH-adjusted ${formatPValue(t.p_bh)}), d = ${d.toFixed(2)}, ${strength(d, 0.2, 0.5, 0.8)} effect.${caveat}`;
}

/** "Churn = Yes is most frequent where Contract = Month-to-month (42.7% vs 26.5% overall): χ² = 1184.6, p < 0.001, V = 0.41." */
export function readCategorical(t: FeatureTest, input: AnalysisInput): string {
  const [, pos] = input.classes;
  const values = input.categorical.get(t.feature) as readonly string[];
  const rates = new Map<string, [number, number]>();
  values.forEach((v, i) => {
    const r = rates.get(v) ?? [0, 0];
    r[0]++;
    r[1] += input.y[i] as number;
    rates.set(v, r);
  });
  const overall = input.y.reduce((a, b) => a + b, 0) / input.rows;
  let best = "";
  let bestRate = -1;
  for (const [v, [n, p]] of rates) {
    // Ignore tiny groups whose rate says little.
    if (n >= Math.max(5, 0.01 * input.rows) && p / n > bestRate) {
      bestRate = p / n;
      best = v === "" ? "(missing)" : v;
    }
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const v = t.effect.value;
  const lead =
    t.p_bh < 0.05
      ? `${input.target} = ${pos} is most frequent where ${t.feature} = ${best} (${pct(bestRate)} vs ${pct(overall)} overall)`
      : `${input.target} = ${pos} does not clearly depend on ${t.feature}`;
  return `${lead}: χ² = ${num(t.statistic)}, ${formatP(t.pvalue)} (BH-adjusted ${formatPValue(t.p_bh)}), V = ${v.toFixed(2)}, ${strength(v, 0.1, 0.3, 0.5)} association.`;
}
