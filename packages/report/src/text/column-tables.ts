import { type Analysis, type CategoricalSummary, dayText, type NumericSummary } from "@pipe/stats";
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
        // A date's figures are dates (its spread in days); its skew and kurtosis say little. A date without
        // times shows its means as days too: a mean of days is no time of day.
        const at = c.date ? (x: number) => dayText(c.time ? x : Math.round(x)) : (x: number) => num(x);
        return [
          c.date ? `${c.name} (date)` : c.name,
          String(s.count),
          String(s.missing),
          at(s.mean),
          c.date ? `${num(s.std)} days` : num(s.std),
          at(s.min),
          at(s.quantiles["0.5"] as number),
          at(s.max),
          c.date ? "—" : num(s.skewness, 3),
          c.date ? "—" : num(s.kurtosis, 3),
          at((c.by_class[neg] as NumericSummary).mean),
          at((c.by_class[pos] as NumericSummary).mean),
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
