import type { Analysis, CategoricalSummary, NumericSummary } from "@pipe/stats";
import { num, pct } from "./table.js";

export interface CellTable {
  header: string[];
  rows: string[][];
}

/** The column summaries as table cells, shared by analysis.txt and report.html. */
export function columnTables(a: Analysis): { numeric: CellTable; categorical: CellTable } {
  const [neg, pos] = a.overview.classes;
  const numeric = a.columns.filter((c) => c.kind === "numeric");
  const categorical = a.columns.filter((c) => c.kind === "categorical");
  return {
    numeric: {
      header: ["column", "count", "missing", "mean", "std", "min", "median", "max", "skew", "kurtosis", `mean | ${neg}`, `mean | ${pos}`],
      rows: numeric.map((c) => {
        const s = c.summary as NumericSummary;
        return [
          c.name,
          String(s.count),
          String(s.missing),
          num(s.mean),
          num(s.std),
          num(s.min),
          num(s.quantiles["0.5"]),
          num(s.max),
          num(s.skewness, 3),
          num(s.kurtosis, 3),
          num((c.by_class[neg] as NumericSummary).mean),
          num((c.by_class[pos] as NumericSummary).mean),
        ];
      }),
    },
    categorical: {
      header: ["column", "count", "missing", "unique", "most frequent"],
      rows: categorical.map((c) => {
        const s = c.summary as CategoricalSummary;
        const top = s.top
          .slice(0, 3)
          .map((t) => `${t.value} (${pct(t.share)})`)
          .join(", ");
        return [c.name, String(s.count), String(s.missing), String(s.unique), top];
      }),
    },
  };
}
