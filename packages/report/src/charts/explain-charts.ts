import type { ExplainedExample, ExplanationSummary } from "@pipe/model";
import { dayText } from "@pipe/stats";
import { daysOfIso, isoOfDays } from "./days.js";
import type { Figure } from "./plotly.js";
import { esc, type Frame, fmtTick, PALETTE, scale, svgDocument, ticks, xAxis, yAxis } from "./svg.js";

/** Blue for a column's low values to red for its high ones; grey for a category or a missing value. */
function valueColor(t: number | null): string {
  if (t === null) return "#9a9a9a";
  const c = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${c(40, 214)},${c(110, 60)},${c(200, 50)})`;
}

/** Each value's rank in its column scaled to [0, 1] (null for text and missing values; a date ranks by its time). */
function ranks(values: readonly (number | string | null)[], kind: ExplanationSummary["sample"][number]["kind"]): (number | null)[] {
  const at = (v: number | string | null) => (typeof v === "number" ? v : kind === "date" && typeof v === "string" ? daysOfIso(v) : Number.NaN);
  const numeric = values.map((v, i) => [at(v), i] as const).filter((e): e is readonly [number, number] => !Number.isNaN(e[0]));
  numeric.sort((a, b) => a[0] - b[0]);
  const out: (number | null)[] = values.map(() => null);
  numeric.forEach(([, i], k) => {
    out[i] = numeric.length > 1 ? k / (numeric.length - 1) : 0.5;
  });
  return out;
}

/** A deterministic spread in [-1, 1] for dot i of a row: dots of equal contributions do not hide each other. */
const jitter = (i: number) => ((((i * 2654435761) >>> 0) % 1000) / 1000) * 2 - 1;

const SUMMARY_TITLE = "Each column's contribution, one dot per test row";
const SUMMARY_X = "← lowers the score · contribution · raises the score →";
const SUMMARY_NOTE = "colour: the column's value, blue = low (early), red = high (late); grey = a category or missing";

/** A line of small print under a chart's title (what the colours mean). */
function note(f: Frame, text: string): string {
  return `<text x="${f.width / 2}" y="38" text-anchor="middle" font-size="11" fill="#555">${esc(text)}</text>`;
}

/** The summary ("beeswarm") plot: per column, each sampled row's contribution, coloured by the column's value. */
export function summaryChart(s: ExplanationSummary, columns = 12): string {
  const rows = s.sample.slice(0, columns);
  const f: Frame = { width: 680, height: Math.max(240, 34 * rows.length + 130), left: 150, right: 24, top: 52, bottom: 70 };
  const all = rows.flatMap((r) => r.contributions);
  const lo = Math.min(0, ...all);
  const hi = Math.max(0, ...all, lo + 1e-9);
  const x = scale(lo, hi, f.left, f.width - f.right);
  const rh = (f.height - f.top - f.bottom) / Math.max(1, rows.length);
  let body = note(f, SUMMARY_NOTE) + xAxis(f, x, ticks(lo, hi));
  body += `<line x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#888"/>`;
  rows.forEach((r, k) => {
    const cy = f.top + k * rh + rh / 2;
    const shade = ranks(r.values, r.kind);
    r.contributions.forEach((c, i) => {
      const v = r.values[i];
      body += `<circle cx="${x(c).toFixed(1)}" cy="${(cy + jitter(i) * rh * 0.32).toFixed(1)}" r="2.6" fill="${valueColor(shade[i] ?? null)}" fill-opacity="0.8"><title>${esc(`${r.column} = ${v === null ? "missing" : String(v)}: ${fmtTick(c)}`)}</title></circle>`;
    });
    body += `<text x="${f.left - 6}" y="${(cy + 4).toFixed(1)}" text-anchor="end" font-size="11">${esc(r.column.length > 22 ? `${r.column.slice(0, 21)}…` : r.column)}</text>`;
  });
  return svgDocument(f, SUMMARY_TITLE, SUMMARY_X, "", body);
}

export function summaryFigure(s: ExplanationSummary, columns = 12): Figure {
  const rows = s.sample.slice(0, columns);
  return {
    data: rows.map((r, k) => {
      const shade = ranks(r.values, r.kind);
      return {
        type: "scatter",
        mode: "markers",
        name: r.column,
        x: r.contributions,
        y: r.contributions.map((_, i) => k + jitter(i) * 0.32),
        text: r.values.map((v) => `${r.column} = ${v === null ? "missing" : String(v)}`),
        hovertemplate: "%{text}<br>contribution %{x:.4f}<extra></extra>",
        marker: { size: 5, opacity: 0.8, color: shade.map((t) => valueColor(t)) },
        showlegend: false,
      };
    }),
    layout: {
      title: { text: `${SUMMARY_TITLE}<br><sub>${SUMMARY_NOTE}</sub>`, font: { size: 15 } },
      xaxis: { title: { text: SUMMARY_X }, zeroline: true, automargin: true },
      yaxis: { tickvals: rows.map((_, k) => k), ticktext: rows.map((r) => r.column), autorange: "reversed", automargin: true },
      height: Math.max(260, 34 * rows.length + 140),
      margin: { l: 140, r: 20, t: 50, b: 90 },
      font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif" },
      autosize: true,
    },
  };
}

/**
 * A dependence plot's points: x is the value (a category's position for text columns, a date's day count
 * since 1970 for dates), y the contribution; a missing number or date has no point.
 */
function dependencePoints(r: ExplanationSummary["sample"][number]): { x: number[]; y: number[]; labels: string[] | null } {
  if (r.kind === "numeric" || r.kind === "date") {
    const x: number[] = [];
    const y: number[] = [];
    r.values.forEach((v, i) => {
      const at = r.kind === "date" ? (typeof v === "string" ? daysOfIso(v) : Number.NaN) : typeof v === "number" ? v : Number.NaN;
      if (!Number.isNaN(at)) {
        x.push(at);
        y.push(r.contributions[i] as number);
      }
    });
    return { x, y, labels: null };
  }
  const labels = [...new Set(r.values.map((v) => (v === null ? "(missing)" : String(v))))].sort();
  const at = new Map(labels.map((l, k) => [l, k]));
  return {
    x: r.values.map((v, i) => (at.get(v === null ? "(missing)" : String(v)) as number) + jitter(i) * 0.25),
    y: r.contributions,
    labels,
  };
}

const dependenceTitle = (column: string) => `Contribution of ${column} by its value`;
const DEPENDENCE_Y = "contribution to the score";

export function dependenceChart(r: ExplanationSummary["sample"][number]): string {
  const f: Frame = { width: 640, height: 400, left: 72, right: 20, top: 48, bottom: 90 };
  const { x: xs, y: ys, labels } = dependencePoints(r);
  const xmin = Math.min(...xs, labels ? -0.5 : Number.POSITIVE_INFINITY);
  const xmax = Math.max(...xs, labels ? labels.length - 0.5 : Number.NEGATIVE_INFINITY, xmin + 1e-9);
  const ymin = Math.min(0, ...ys);
  const ymax = Math.max(0, ...ys, ymin + 1e-9);
  // A margin, so the extreme points are not drawn on the axes.
  const xlo = xmin - (xmax - xmin) * 0.03;
  const xhi = xmax + (xmax - xmin) * 0.03;
  const ylo = ymin - (ymax - ymin) * 0.05;
  const yhi = ymax + (ymax - ymin) * 0.05;
  const x = scale(xlo, xhi, f.left, f.width - f.right);
  const y = scale(ylo, yhi, f.height - f.bottom, f.top);
  let body = yAxis(f, y, ticks(ylo, yhi));
  if (labels) {
    body += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="#888"/>`;
    labels.forEach((l, k) => {
      body += `<text transform="translate(${x(k).toFixed(1)} ${f.height - f.bottom + 12}) rotate(30)" font-size="11" fill="#444">${esc(l.length > 16 ? `${l.slice(0, 15)}…` : l)}</text>`;
    });
  } else body += xAxis(f, x, ticks(xlo, xhi), r.kind === "date" ? dayText : undefined);
  body += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#888"/>`;
  xs.forEach((v, i) => {
    body += `<circle cx="${x(v).toFixed(1)}" cy="${y(ys[i] as number).toFixed(1)}" r="2.6" fill="${PALETTE[0]}" fill-opacity="0.6"/>`;
  });
  return svgDocument(f, dependenceTitle(r.column), r.column, DEPENDENCE_Y, body);
}

export function dependenceFigure(r: ExplanationSummary["sample"][number]): Figure {
  const { x, y, labels } = dependencePoints(r);
  const dated = r.kind === "date";
  return {
    data: [
      {
        type: "scatter",
        mode: "markers",
        // Plotly reads ISO dates on a date axis.
        x: dated ? x.map(isoOfDays) : x,
        y,
        marker: { size: 5, opacity: 0.6, color: PALETTE[0] },
        hovertemplate: "%{x}<br>contribution %{y:.4f}<extra></extra>",
      },
    ],
    layout: {
      title: { text: dependenceTitle(r.column), font: { size: 15 } },
      xaxis: {
        title: { text: r.column },
        automargin: true,
        ...(labels ? { tickvals: labels.map((_, k) => k), ticktext: labels } : {}),
        ...(dated ? { type: "date" } : {}),
      },
      yaxis: { title: { text: DEPENDENCE_Y }, zeroline: true, automargin: true },
      margin: { l: 60, r: 20, t: 50, b: 90 },
      font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif" },
      autosize: true,
    },
  };
}

/** A waterfall's steps: from the base value, each listed column, then the rest, to the score. */
function steps(e: ExplainedExample, base: number): { label: string; from: number; to: number; delta: number }[] {
  const out: { label: string; from: number; to: number; delta: number }[] = [];
  let at = base;
  for (const c of e.contributions) {
    out.push({ label: `${c.column} = ${c.value === null ? "missing" : String(c.value)}`, from: at, to: at + c.contribution, delta: c.contribution });
    at += c.contribution;
  }
  if (e.rest !== 0) out.push({ label: "other columns", from: at, to: at + e.rest, delta: e.rest });
  return out;
}

const waterfallTitle = (e: ExplainedExample) => `The test row with ${e.title}: score ${e.score.toFixed(3)}`;
const waterfallNote = (e: ExplainedExample) =>
  `predicted ${e.label} (probability ${e.probability.toFixed(3)}); red raises the score, blue lowers it; dashed: expected score, solid: this row's`;
const WATERFALL_X = "score";

export function waterfallChart(e: ExplainedExample, base: number): string {
  const s = steps(e, base);
  const f: Frame = { width: 680, height: Math.max(240, 30 * s.length + 130), left: 210, right: 70, top: 52, bottom: 70 };
  const values = s.flatMap((p) => [p.from, p.to]);
  const lo = Math.min(base, ...values);
  const hi = Math.max(base, ...values, lo + 1e-9);
  const pad = (hi - lo) * 0.05;
  const x = scale(lo - pad, hi + pad, f.left, f.width - f.right);
  const rh = (f.height - f.top - f.bottom) / Math.max(1, s.length);
  let body = note(f, waterfallNote(e)) + xAxis(f, x, ticks(lo - pad, hi + pad));
  body += `<line x1="${x(base).toFixed(1)}" x2="${x(base).toFixed(1)}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#888" stroke-dasharray="3 3"/>`;
  body += `<line x1="${x(e.score).toFixed(1)}" x2="${x(e.score).toFixed(1)}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#222"/>`;
  s.forEach((p, k) => {
    const py = f.top + k * rh;
    const x0 = x(Math.min(p.from, p.to));
    const x1 = x(Math.max(p.from, p.to));
    const up = p.to >= p.from;
    body += `<rect x="${x0.toFixed(1)}" y="${(py + rh * 0.15).toFixed(1)}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${(rh * 0.7).toFixed(1)}" fill="${up ? "#c8453c" : "#3b6ea8"}"><title>${esc(`${p.label}: ${up ? "+" : ""}${fmtTick(p.delta)}`)}</title></rect>`;
    body += `<text x="${f.left - 6}" y="${(py + rh / 2 + 4).toFixed(1)}" text-anchor="end" font-size="11">${esc(p.label.length > 32 ? `${p.label.slice(0, 31)}…` : p.label)}</text>`;
    body += `<text x="${(up ? x1 + 4 : x0 - 4).toFixed(1)}" y="${(py + rh / 2 + 4).toFixed(1)}" text-anchor="${up ? "start" : "end"}" font-size="10" fill="#444">${up ? "+" : ""}${fmtTick(p.delta)}</text>`;
  });
  return svgDocument(f, waterfallTitle(e), WATERFALL_X, "", body);
}

export function waterfallFigure(e: ExplainedExample, base: number): Figure {
  const s = steps(e, base);
  return {
    data: [
      {
        type: "waterfall",
        orientation: "h",
        base,
        y: s.map((p) => p.label),
        x: s.map((p) => p.delta),
        measure: s.map(() => "relative"),
        increasing: { marker: { color: "#c8453c" } },
        decreasing: { marker: { color: "#3b6ea8" } },
        hovertemplate: "%{y}: %{x:+.4f}<extra></extra>",
      },
    ],
    layout: {
      title: { text: `${waterfallTitle(e)}<br><sub>${waterfallNote(e)}</sub>`, font: { size: 14 } },
      xaxis: { title: { text: WATERFALL_X }, automargin: true },
      // Names, not numbers, whatever they look like (see namesAxis in plotly.ts).
      yaxis: { type: "category", autorange: "reversed", automargin: true },
      shapes: [{ type: "line", x0: base, x1: base, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: "#888" } }],
      height: Math.max(260, 30 * s.length + 140),
      margin: { l: 200, r: 20, t: 60, b: 90 },
      font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif" },
      autosize: true,
    },
  };
}
