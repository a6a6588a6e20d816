import { type Analysis, dayText } from "@pipe/stats";
import { explanationMethod, modelKindName } from "../text/model-kind.js";
import type { MetricsDoc } from "../types.js";
import { barChart, boxPlot, heatmap, histogramChart, horizontalBars, lineChart } from "./charts.js";
import { dependenceChart, dependenceFigure, summaryChart, summaryFigure, waterfallChart, waterfallFigure } from "./explain-charts.js";
import { barFigure, boxFigure, type Figure, heatmapFigure, histogramFigure, horizontalBarsFigure, lineFigure } from "./plotly.js";

export interface Chart {
  /** File stem, safe for a file name. */
  name: string;
  title: string;
  section: "analysis" | "model" | "explanations";
  svg: string;
  /** The interactive twin for report.html. */
  figure: Figure;
}

/** The SVG and the Plotly figure of one chart from the same options. */
function both<O>(svg: (o: O) => string, figure: (o: O) => Figure, o: O): { svg: string; figure: Figure } {
  return { svg: svg(o), figure: figure(o) };
}

/** A file-name-safe form of a column name, for a chart's file (plots/<name>.svg). */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "") || "column";
}

/**
 * Past this many features the analysis charts show those that matter most: each feature's own charts for
 * the ones most associated with the target, the missing-values chart for the most missing. A survey of a
 * thousand questions made 2,000 charts and a 190 MB report no browser opens; analysis.json keeps them all.
 */
export const CHARTED_FEATURES = 40;
/** Numeric features in the correlation heatmap at most: past about thirty its cells cannot be read. */
export const HEATMAP_FEATURES = 30;

/**
 * The features charted one by one: every feature up to CHARTED_FEATURES, else the CHARTED_FEATURES most
 * associated with the target (the tests' order: adjusted p-value, then effect size).
 */
export function chartedFeatures(a: Analysis): { charted: ReadonlySet<string>; total: number } {
  const all = [...new Set([...a.tests.map((t) => t.feature), ...a.plots.missing.map((m) => m.feature)])];
  return { charted: new Set(all.slice(0, CHARTED_FEATURES)), total: all.length };
}

/** The correlation matrix cut to the HEATMAP_FEATURES numeric features most associated with the target (in the matrix's order). */
function heatmapSubset(a: Analysis): { labels: string[]; matrix: number[][] } {
  const { features, pearson } = a.correlations;
  if (features.length <= HEATMAP_FEATURES) return { labels: features, matrix: pearson };
  const rank = new Map(a.tests.map((t, k) => [t.feature, k]));
  const keep = features
    .map((f, j) => ({ f, j, r: rank.get(f) ?? Number.MAX_SAFE_INTEGER }))
    .sort((x, y) => x.r - y.r || x.j - y.j)
    .slice(0, HEATMAP_FEATURES)
    .map((x) => x.j)
    .sort((x, y) => x - y);
  return { labels: keep.map((j) => features[j] as string), matrix: keep.map((i) => keep.map((j) => pearson[i]?.[j] as number)) };
}

/** The charts of the analysis: class balance, missing values, correlations, and each feature by class. */
export function analysisCharts(a: Analysis): Chart[] {
  const [neg, pos] = a.overview.classes;
  const target = a.overview.target;
  const charts: Chart[] = [];
  const { charted, total } = chartedFeatures(a);
  const missing =
    a.plots.missing.length <= CHARTED_FEATURES ? a.plots.missing : [...a.plots.missing].sort((x, y) => y.share - x.share).slice(0, CHARTED_FEATURES);
  const heat = heatmapSubset(a);
  const heatTitle =
    heat.labels.length < a.correlations.features.length
      ? `Pearson correlation of the ${heat.labels.length} numeric features most associated with ${target} (of ${a.correlations.features.length})`
      : "Pearson correlation of numeric features";
  charts.push({
    name: "class_balance",
    title: `Class balance of ${target}`,
    section: "analysis",
    ...both(barChart, barFigure, {
      title: `Class balance of ${target}`,
      xLabel: target,
      yLabel: "rows",
      categories: [neg, pos],
      series: [{ name: "rows", values: [a.plots.class_balance[neg] ?? 0, a.plots.class_balance[pos] ?? 0] }],
    }),
  });
  charts.push({
    name: "missing_values",
    title: "Missing values per feature",
    section: "analysis",
    ...both(horizontalBars, horizontalBarsFigure, {
      title:
        missing.length < a.plots.missing.length
          ? `Missing values of the ${missing.length} most missing features of ${total} (share of rows)`
          : "Missing values per feature (share of rows)",
      xLabel: "share of rows missing",
      labels: missing.map((m) => m.feature),
      values: missing.map((m) => m.share),
    }),
  });
  if (heat.labels.length >= 2) {
    charts.push({
      name: "correlation_heatmap",
      title: heatTitle,
      section: "analysis",
      ...both(heatmap, heatmapFigure, { title: heatTitle, labels: heat.labels, matrix: heat.matrix }),
    });
  }
  for (const h of a.plots.histograms) {
    if (!charted.has(h.feature)) continue;
    // A date's day counts are written as dates, and drawn on a date axis.
    const dated = h.date ? { format: dayText, dates: true } : {};
    charts.push({
      name: `hist_${safeName(h.feature)}`,
      title: `${h.feature} by ${target}`,
      section: "analysis",
      ...both(histogramChart, histogramFigure, {
        title: `Distribution of ${h.feature} by ${target}`,
        xLabel: h.feature,
        yLabel: "rows",
        edges: h.edges,
        series: [neg, pos].map((c) => ({ name: `${target} = ${c}`, values: h.counts[c] ?? [] })),
        ...dated,
      }),
    });
    charts.push({
      name: `box_${safeName(h.feature)}`,
      title: `${h.feature} box plot by ${target}`,
      section: "analysis",
      ...both(boxPlot, boxFigure, {
        title: `${h.feature} by ${target} (box plot)`,
        xLabel: target,
        yLabel: h.feature,
        groups: [neg, pos].map((c) => ({ name: c, ...(h.box[c] as { q1: number; median: number; q3: number; lower: number; upper: number }) })),
        ...dated,
      }),
    });
  }
  for (const b of a.plots.bars) {
    if (!charted.has(b.feature)) continue;
    charts.push({
      name: `bar_${safeName(b.feature)}`,
      title: `${b.feature} by ${target}`,
      section: "analysis",
      ...both(barChart, barFigure, {
        title: `${b.feature} by ${target}`,
        xLabel: b.feature,
        yLabel: "rows",
        categories: b.categories,
        series: [neg, pos].map((c) => ({ name: `${target} = ${c}`, values: b.counts[c] ?? [] })),
      }),
    });
  }
  return charts;
}

/** The charts of the evaluation: ROC, precision-recall, calibration, feature importance, then the explanations'. */
export function modelCharts(m: MetricsDoc): Chart[] {
  return [...evaluationCharts(m), ...explanationCharts(m)];
}

/**
 * The explanations' charts: mean |contribution| per column, the summary plot, dependence plots of
 * the three most important columns, and waterfalls of three chosen test rows.
 */
function explanationCharts(m: MetricsDoc): Chart[] {
  const e = m.explanations;
  if (!e || e.rows === 0) return [];
  const top = e.importance.slice(0, 20);
  const charts: Chart[] = [
    {
      name: "shap_importance",
      title: "Mean |contribution| per column",
      section: "explanations",
      ...both(horizontalBars, horizontalBarsFigure, {
        title: `Mean |contribution| to the score over ${e.rows} test rows (${explanationMethod(m)})`,
        xLabel: "mean absolute contribution to the score",
        labels: top.map((i) => i.column),
        values: top.map((i) => i.mean_abs),
      }),
    },
    { name: "shap_summary", title: "Summary of contributions", section: "explanations", svg: summaryChart(e), figure: summaryFigure(e) },
  ];
  for (const r of e.sample.slice(0, 3)) {
    charts.push({
      name: `dependence_${safeName(r.column)}`,
      title: `Dependence on ${r.column}`,
      section: "explanations",
      svg: dependenceChart(r),
      figure: dependenceFigure(r),
    });
  }
  e.examples.forEach((x, k) => {
    charts.push({
      name: `waterfall_${k + 1}`,
      title: `Explained row: ${x.title}`,
      section: "explanations",
      svg: waterfallChart(x, e.base_value),
      figure: waterfallFigure(x, e.base_value),
    });
  });
  return charts;
}

function evaluationCharts(m: MetricsDoc): Chart[] {
  const imp = m.importance.slice(0, 20);
  return [
    {
      name: "roc_curve",
      title: "ROC curve",
      section: "model",
      ...both(lineChart, lineFigure, {
        title: `ROC curve (test AUC ${m.roc_auc.toFixed(3)})`,
        xLabel: "false positive rate",
        yLabel: "true positive rate",
        lines: [{ name: modelKindName(m), x: m.curves.roc.fpr, y: m.curves.roc.tpr }],
        diagonal: true,
      }),
    },
    {
      name: "precision_recall_curve",
      title: "Precision-recall curve",
      section: "model",
      ...both(lineChart, lineFigure, {
        title: `Precision-recall curve (AP ${m.average_precision.toFixed(3)})`,
        xLabel: "recall",
        yLabel: "precision",
        lines: [{ name: modelKindName(m), x: m.curves.pr.recall, y: m.curves.pr.precision }],
      }),
    },
    {
      name: "calibration_curve",
      title: "Calibration curve",
      section: "model",
      ...both(lineChart, lineFigure, {
        title: "Calibration (reliability) curve",
        xLabel: "mean predicted probability",
        yLabel: "observed share of positives",
        lines: [{ name: modelKindName(m), x: m.curves.calibration.probPred, y: m.curves.calibration.probTrue }],
        diagonal: true,
        markers: true,
      }),
    },
    {
      name: "feature_importance",
      title: "Feature importance",
      section: "model",
      ...both(horizontalBars, horizontalBarsFigure, {
        title: "Permutation importance (drop in test ROC AUC)",
        xLabel: "mean drop in ROC AUC (± std)",
        labels: imp.map((i) => i.feature),
        values: imp.map((i) => i.permutation_mean),
        errors: imp.map((i) => i.permutation_std),
      }),
    },
  ];
}
