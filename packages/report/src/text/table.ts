/** A plain-text table with aligned columns; numbers right-aligned, text left-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], rightAlign: readonly boolean[] = []): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? "").length)));
  const fmt = (cells: readonly string[]) =>
    cells
      .map((c, j) => (rightAlign[j] ? c.padStart(widths[j] as number) : c.padEnd(widths[j] as number)))
      .join("  ")
      .trimEnd();
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}

/** Four significant digits, without trailing noise; exponent for tiny or huge values. */
export function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "n/a";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(2);
  if (Number.isInteger(x)) return String(x);
  return Number(x.toPrecision(digits)).toString();
}

/** A share as a percentage with one decimal: 0.2654 → "26.5%". */
export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
