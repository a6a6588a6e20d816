import { DEFAULT_FRAME, esc, type Frame, fmtTick, PALETTE, scale, svgDocument, ticks, xAxis, yAxis } from "./svg.js";

export interface Series {
  name: string;
  values: number[];
}

/** Grouped vertical bars: one group per category, one bar per series. */
export function barChart(opts: { title: string; xLabel: string; yLabel: string; categories: string[]; series: Series[] }): string {
  const f: Frame = { ...DEFAULT_FRAME, bottom: 96 };
  const max = Math.max(1e-12, ...opts.series.flatMap((s) => s.values));
  const y = scale(0, max * 1.05, f.height - f.bottom, f.top);
  const plotW = f.width - f.left - f.right;
  const groupW = plotW / Math.max(1, opts.categories.length);
  const barW = (groupW * 0.8) / Math.max(1, opts.series.length);
  let body = yAxis(f, y, ticks(0, max * 1.05));
  opts.categories.forEach((cat, i) => {
    const gx = f.left + i * groupW + groupW * 0.1;
    opts.series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      const top = y(v);
      body += `<rect x="${(gx + k * barW).toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${(f.height - f.bottom - top).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"><title>${esc(`${cat} · ${s.name}: ${fmtTick(v)}`)}</title></rect>`;
    });
    const label = cat.length > 14 ? `${cat.slice(0, 13)}…` : cat;
    const cx = (gx + groupW * 0.4).toFixed(1);
    body += `<text transform="translate(${cx} ${f.height - f.bottom + 12}) rotate(35)" font-size="11" fill="#444">${esc(label)}<title>${esc(cat)}</title></text>`;
  });
  body += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="#888"/>`;
  return svgDocument(f, opts.title, opts.xLabel, opts.yLabel, body, opts.series.length > 1 ? opts.series.map((s) => s.name) : []);
}

/** Overlaid histograms over shared bin edges (one translucent layer per series); `format` writes the values (a date's day count as its date). */
export function histogramChart(opts: {
  title: string;
  xLabel: string;
  yLabel: string;
  edges: number[];
  series: Series[];
  format?: (v: number) => string;
}): string {
  const fmt = opts.format ?? fmtTick;
  const f = DEFAULT_FRAME;
  const lo = opts.edges[0] ?? 0;
  const hi = opts.edges[opts.edges.length - 1] ?? 1;
  const x = scale(lo, hi > lo ? hi : lo + 1, f.left, f.width - f.right);
  const max = Math.max(1e-12, ...opts.series.flatMap((s) => s.values));
  const y = scale(0, max * 1.05, f.height - f.bottom, f.top);
  let body = yAxis(f, y, ticks(0, max * 1.05)) + xAxis(f, x, ticks(lo, hi, opts.format ? 4 : 5), fmt);
  opts.series.forEach((s, k) => {
    s.values.forEach((v, i) => {
      const x0 = x(opts.edges[i] as number);
      const x1 = x(opts.edges[i + 1] ?? hi + 1);
      const top = y(v);
      body += `<rect x="${x0.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, x1 - x0 - 1).toFixed(1)}" height="${(f.height - f.bottom - top).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}" fill-opacity="0.55"><title>${esc(`${s.name}: ${v} in [${fmt(opts.edges[i] as number)}, ${fmt(opts.edges[i + 1] ?? hi)}]`)}</title></rect>`;
    });
  });
  return svgDocument(
    f,
    opts.title,
    opts.xLabel,
    opts.yLabel,
    body,
    opts.series.map((s) => s.name),
  );
}

export interface BoxGroup {
  name: string;
  q1: number;
  median: number;
  q3: number;
  lower: number;
  upper: number;
}

/** Box plots side by side (whiskers at 1.5 IQR); `format` writes the values (a date's day count as its date). */
export function boxPlot(opts: { title: string; xLabel: string; yLabel: string; groups: BoxGroup[]; format?: (v: number) => string }): string {
  const f = DEFAULT_FRAME;
  const fmt = opts.format ?? fmtTick;
  const lo = Math.min(...opts.groups.map((g) => g.lower));
  const hi = Math.max(...opts.groups.map((g) => g.upper));
  const pad = (hi - lo) * 0.05 || 1;
  const y = scale(lo - pad, hi + pad, f.height - f.bottom, f.top);
  const plotW = f.width - f.left - f.right;
  const slot = plotW / Math.max(1, opts.groups.length);
  let body = yAxis(f, y, ticks(lo - pad, hi + pad), fmt);
  opts.groups.forEach((g, i) => {
    const cx = f.left + slot * (i + 0.5);
    const w = Math.min(80, slot * 0.5);
    const color = PALETTE[i % PALETTE.length];
    const tip = `<title>${esc(`${g.name}: median ${fmt(g.median)}, IQR [${fmt(g.q1)}, ${fmt(g.q3)}], whiskers [${fmt(g.lower)}, ${fmt(g.upper)}]`)}</title>`;
    body += `<line x1="${cx}" x2="${cx}" y1="${y(g.lower).toFixed(1)}" y2="${y(g.upper).toFixed(1)}" stroke="#333"/>`;
    body += `<rect x="${(cx - w / 2).toFixed(1)}" y="${y(g.q3).toFixed(1)}" width="${w.toFixed(1)}" height="${Math.max(1, y(g.q1) - y(g.q3)).toFixed(1)}" fill="${color}" fill-opacity="0.6" stroke="#333">${tip}</rect>`;
    body += `<line x1="${(cx - w / 2).toFixed(1)}" x2="${(cx + w / 2).toFixed(1)}" y1="${y(g.median).toFixed(1)}" y2="${y(g.median).toFixed(1)}" stroke="#111" stroke-width="2"/>`;
    body += `<text x="${cx}" y="${f.height - f.bottom + 16}" text-anchor="middle" font-size="12">${esc(g.name)}</text>`;
  });
  return svgDocument(f, opts.title, opts.xLabel, opts.yLabel, body);
}

export interface Line {
  name: string;
  x: number[];
  y: number[];
}

/** Lines on [0, 1] × [0, 1] (ROC, precision-recall, calibration), with an optional reference diagonal. */
export function lineChart(opts: { title: string; xLabel: string; yLabel: string; lines: Line[]; diagonal?: boolean; markers?: boolean }): string {
  const f = DEFAULT_FRAME;
  const x = scale(0, 1, f.left, f.width - f.right);
  const y = scale(0, 1, f.height - f.bottom, f.top);
  let body = yAxis(f, y, ticks(0, 1)) + xAxis(f, x, ticks(0, 1));
  if (opts.diagonal) body += `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 4"/>`;
  opts.lines.forEach((l, k) => {
    const color = PALETTE[k % PALETTE.length];
    const pts = l.x.map((v, i) => `${x(v).toFixed(1)},${y(l.y[i] as number).toFixed(1)}`).join(" ");
    body += `<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"/>`;
    if (opts.markers) {
      body += l.x
        .map(
          (v, i) =>
            `<circle cx="${x(v).toFixed(1)}" cy="${y(l.y[i] as number).toFixed(1)}" r="3.5" fill="${color}"><title>${esc(`${l.name}: (${fmtTick(v)}, ${fmtTick(l.y[i] as number)})`)}</title></circle>`,
        )
        .join("");
    }
  });
  return svgDocument(
    f,
    opts.title,
    opts.xLabel,
    opts.yLabel,
    body,
    opts.lines.map((l) => l.name),
  );
}

/** A correlation heatmap on [-1, 1] with values written in the cells. */
export function heatmap(opts: { title: string; labels: string[]; matrix: number[][] }): string {
  const n = opts.labels.length;
  const size = Math.max(360, Math.min(720, 48 * n + 200));
  const f: Frame = { width: size, height: size, left: 130, right: 20, top: 40, bottom: 130 };
  const cw = (f.width - f.left - f.right) / Math.max(1, n);
  const ch = (f.height - f.top - f.bottom) / Math.max(1, n);
  const color = (v: number) => {
    if (Number.isNaN(v)) return "#eee";
    const t = Math.max(-1, Math.min(1, v));
    const c = (a: number, b: number) => Math.round(a + (b - a) * Math.abs(t));
    return t >= 0 ? `rgb(${c(255, 178)},${c(255, 24)},${c(255, 43)})` : `rgb(${c(255, 33)},${c(255, 102)},${c(255, 172)})`;
  };
  let body = "";
  opts.matrix.forEach((row, i) => {
    row.forEach((v, j) => {
      const px = f.left + j * cw;
      const py = f.top + i * ch;
      body += `<rect x="${px.toFixed(1)}" y="${py.toFixed(1)}" width="${cw.toFixed(1)}" height="${ch.toFixed(1)}" fill="${color(v)}" stroke="#fff"><title>${esc(`${opts.labels[i]} ~ ${opts.labels[j]}: ${Number.isNaN(v) ? "n/a" : v.toFixed(3)}`)}</title></rect>`;
      if (n <= 14)
        body += `<text x="${(px + cw / 2).toFixed(1)}" y="${(py + ch / 2 + 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="${Math.abs(v) > 0.6 ? "#fff" : "#222"}">${Number.isNaN(v) ? "" : v.toFixed(2)}</text>`;
    });
    const label = (opts.labels[i] as string).slice(0, 18);
    body += `<text x="${f.left - 6}" y="${(f.top + i * ch + ch / 2 + 4).toFixed(1)}" text-anchor="end" font-size="11">${esc(label)}</text>`;
    body += `<text transform="translate(${(f.left + i * cw + cw / 2).toFixed(1)} ${f.height - f.bottom + 8}) rotate(45)" font-size="11">${esc(label)}</text>`;
  });
  return svgDocument(f, opts.title, "", "", body);
}

/** Horizontal bars, largest first, with optional ± error bars. */
export function horizontalBars(opts: { title: string; xLabel: string; labels: string[]; values: number[]; errors?: number[] }): string {
  const rows = opts.labels.length;
  const f: Frame = { width: 640, height: Math.max(220, 26 * rows + 110), left: 170, right: 30, top: 40, bottom: 56 };
  const lo = Math.min(0, ...opts.values.map((v, i) => v - (opts.errors?.[i] ?? 0)));
  const hi = Math.max(1e-12, ...opts.values.map((v, i) => v + (opts.errors?.[i] ?? 0)));
  const x = scale(lo, hi * 1.05, f.left, f.width - f.right);
  const rh = (f.height - f.top - f.bottom) / Math.max(1, rows);
  let body = xAxis(f, x, ticks(lo, hi * 1.05));
  opts.labels.forEach((label, i) => {
    const v = opts.values[i] as number;
    const py = f.top + i * rh;
    const x0 = x(Math.min(0, v));
    const x1 = x(Math.max(0, v));
    body += `<rect x="${x0.toFixed(1)}" y="${(py + rh * 0.15).toFixed(1)}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${(rh * 0.7).toFixed(1)}" fill="${PALETTE[0]}"><title>${esc(`${label}: ${fmtTick(v)}`)}</title></rect>`;
    const e = opts.errors?.[i];
    if (e)
      body += `<line x1="${x(v - e).toFixed(1)}" x2="${x(v + e).toFixed(1)}" y1="${(py + rh / 2).toFixed(1)}" y2="${(py + rh / 2).toFixed(1)}" stroke="#222"/>`;
    body += `<text x="${f.left - 6}" y="${(py + rh / 2 + 4).toFixed(1)}" text-anchor="end" font-size="11">${esc(label.length > 24 ? `${label.slice(0, 23)}…` : label)}</text>`;
  });
  return svgDocument(f, opts.title, opts.xLabel, "", body);
}
