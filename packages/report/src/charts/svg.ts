/** Escapes text for SVG and HTML. */
export function esc(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

export const PALETTE = ["#3b6ea8", "#e07b39", "#4c9a5b", "#b04a5a", "#7a5ea8", "#8c8c8c"] as const;

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const DEFAULT_FRAME: Frame = { width: 640, height: 400, left: 64, right: 20, top: 48, bottom: 64 };

/** Round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(1);
  return Number(v.toPrecision(4)).toString();
}

/** The outer SVG with a title and axis labels; `body` draws inside the plotting area. */
export function svgDocument(f: Frame, title: string, xLabel: string, yLabel: string, body: string, legend: string[] = []): string {
  const legendSvg = legend
    .map((name, i) => {
      const x = f.left + i * 140;
      return `<rect x="${x}" y="${f.top - 20}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/><text x="${x + 16}" y="${f.top - 10}" font-size="12">${esc(name)}</text>`;
    })
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${esc(title)}" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="${f.width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>` +
    legendSvg +
    body +
    `<text x="${f.left + (f.width - f.left - f.right) / 2}" y="${f.height - 12}" text-anchor="middle" font-size="13">${esc(xLabel)}</text>` +
    `<text transform="translate(16 ${f.top + (f.height - f.top - f.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(yLabel)}</text>` +
    "</svg>"
  );
}

/** A linear scale from a domain to a pixel range. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Y axis with grid lines and tick labels. */
export function yAxis(f: Frame, y: (v: number) => number, values: number[], label: (v: number) => string = fmtTick): string {
  return values
    .map((v) => {
      const py = y(v).toFixed(1);
      return `<line x1="${f.left}" x2="${f.width - f.right}" y1="${py}" y2="${py}" stroke="#e5e5e5"/><text x="${f.left - 6}" y="${py}" dy="4" text-anchor="end" font-size="11" fill="#444">${label(v)}</text>`;
    })
    .join("");
}

/** X axis with tick labels (numbers, or what `label` writes of them: a day count as its date). */
export function xAxis(f: Frame, x: (v: number) => number, values: number[], label: (v: number) => string = fmtTick): string {
  const base = f.height - f.bottom;
  return (
    `<line x1="${f.left}" x2="${f.width - f.right}" y1="${base}" y2="${base}" stroke="#888"/>` +
    values.map((v) => `<text x="${x(v).toFixed(1)}" y="${base + 16}" text-anchor="middle" font-size="11" fill="#444">${label(v)}</text>`).join("")
  );
}
