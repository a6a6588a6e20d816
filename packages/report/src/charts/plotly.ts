import type { BoxGroup, Line, Series } from "./charts.js";
import { DAY_MS, isoOfDays } from "./days.js";
import { PALETTE } from "./svg.js";

/** A Plotly figure: the same chart as its SVG twin, interactive in report.html. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

function layout(title: string, xLabel: string, yLabel: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title, font: { size: 15 } },
    xaxis: { title: { text: xLabel }, automargin: true },
    yaxis: { title: { text: yLabel }, automargin: true },
    margin: { l: 60, r: 20, t: 50, b: 90 },
    font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif" },
    legend: { orientation: "h", x: 0, y: -0.25 },
    autosize: true,
    ...extra,
  };
}

/**
 * An axis of names (classes, categories, columns) read as names: Plotly guesses an axis's type from its
 * values, and names that look like numbers ("0", "2019") made a numeric axis on which the others
 * ("other") were not drawn at all.
 */
function namesAxis(axis: Record<string, unknown>): Record<string, unknown> {
  return { ...axis, type: "category" };
}

/** A Plotly figure of grouped bars, one trace per series (the category bars per class). */
export function barFigure(o: { title: string; xLabel: string; yLabel: string; categories: string[]; series: Series[] }): Figure {
  const base = layout(o.title, o.xLabel, o.yLabel, { barmode: "group", showlegend: o.series.length > 1 });
  return {
    data: o.series.map((s, k) => ({ type: "bar", name: s.name, x: o.categories, y: s.values, marker: { color: PALETTE[k % PALETTE.length] } })),
    layout: { ...base, xaxis: namesAxis(base.xaxis as Record<string, unknown>) },
  };
}

/**
 * A Plotly figure of overlaid histograms over shared bin edges, one translucent trace per series;
 * `dates`: the edges are day counts, drawn on a date axis (bar widths in milliseconds there).
 */
export function histogramFigure(o: { title: string; xLabel: string; yLabel: string; edges: number[]; series: Series[]; dates?: boolean }): Figure {
  const centers = o.edges.slice(0, -1).map((e, i) => (e + (o.edges[i + 1] as number)) / 2);
  const widths = o.edges.slice(0, -1).map((e, i) => (o.edges[i + 1] as number) - e);
  const base = layout(o.title, o.xLabel, o.yLabel, { barmode: "overlay", bargap: 0 });
  return {
    data: o.series.map((s, k) => ({
      type: "bar",
      name: s.name,
      x: o.dates ? centers.map(isoOfDays) : centers,
      y: s.values,
      width: o.dates ? widths.map((w) => w * DAY_MS) : widths,
      opacity: 0.55,
      marker: { color: PALETTE[k % PALETTE.length] },
    })),
    layout: o.dates ? { ...base, xaxis: { ...(base.xaxis as Record<string, unknown>), type: "date" } } : base,
  };
}

/** A Plotly figure of box plots from precomputed quartiles and whiskers, one box per group (`dates`: day counts on a date axis). */
export function boxFigure(o: { title: string; xLabel: string; yLabel: string; groups: BoxGroup[]; dates?: boolean }): Figure {
  const at = (v: number) => (o.dates ? isoOfDays(v) : v);
  const base = layout(o.title, o.xLabel, o.yLabel, { showlegend: false });
  return {
    data: o.groups.map((g, k) => ({
      type: "box",
      name: g.name,
      x: [g.name],
      q1: [at(g.q1)],
      median: [at(g.median)],
      q3: [at(g.q3)],
      lowerfence: [at(g.lower)],
      upperfence: [at(g.upper)],
      marker: { color: PALETTE[k % PALETTE.length] },
    })),
    layout: {
      ...base,
      xaxis: namesAxis(base.xaxis as Record<string, unknown>),
      ...(o.dates ? { yaxis: { ...(base.yaxis as Record<string, unknown>), type: "date" } } : {}),
    },
  };
}

/** A Plotly figure of lines (ROC, precision-recall, calibration curves), with an optional diagonal. */
export function lineFigure(o: { title: string; xLabel: string; yLabel: string; lines: Line[]; diagonal?: boolean; markers?: boolean }): Figure {
  const data: Record<string, unknown>[] = o.lines.map((l, k) => ({
    type: "scatter",
    mode: o.markers ? "lines+markers" : "lines",
    name: l.name,
    x: l.x,
    y: l.y,
    line: { color: PALETTE[k % PALETTE.length] },
  }));
  if (o.diagonal)
    data.push({ type: "scatter", mode: "lines", name: "reference", x: [0, 1], y: [0, 1], line: { dash: "dash", color: "#999" }, hoverinfo: "skip" });
  return {
    data,
    layout: layout(o.title, o.xLabel, o.yLabel, {
      xaxis: { title: { text: o.xLabel }, range: [0, 1] },
      yaxis: { title: { text: o.yLabel }, range: [0, 1.02] },
    }),
  };
}

/** A Plotly heatmap of a square matrix on a diverging −1…1 scale (the correlation matrix). */
export function heatmapFigure(o: { title: string; labels: string[]; matrix: number[][] }): Figure {
  return {
    data: [
      {
        type: "heatmap",
        x: o.labels,
        y: o.labels,
        z: o.matrix.map((r) => r.map((v) => (Number.isNaN(v) ? null : v))),
        zmin: -1,
        zmax: 1,
        colorscale: "RdBu",
        reversescale: true,
      },
    ],
    layout: layout(o.title, "", "", {
      xaxis: namesAxis({ automargin: true }),
      yaxis: namesAxis({ autorange: "reversed", automargin: true }),
      margin: { l: 120, r: 20, t: 50, b: 120 },
    }),
  };
}

/** A Plotly figure of horizontal bars with optional error bars (feature importance). */
export function horizontalBarsFigure(o: { title: string; xLabel: string; labels: string[]; values: number[]; errors?: number[] }): Figure {
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: o.labels,
        x: o.values,
        ...(o.errors ? { error_x: { type: "data", array: o.errors, visible: true } } : {}),
        marker: { color: PALETTE[0] },
      },
    ],
    layout: layout(o.title, o.xLabel, "", { yaxis: namesAxis({ autorange: "reversed", automargin: true }), height: Math.max(260, 26 * o.labels.length + 120) }),
  };
}
