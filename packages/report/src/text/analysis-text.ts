import type { Analysis } from "@pipe/stats";
import { ALONGSIDE_TESTS, formatPValue } from "@pipe/stats";
import type { EtlSummary } from "../types.js";
import { columnTables } from "./column-tables.js";
import { num, pct, textTable } from "./table.js";

/**
 * analysis.txt: overview, data cleaning counts, column table, class balance and the ranked tests.
 *
 * @example
 * const text = formatAnalysisText(JSON.parse(readFileSync("out/analysis.json", "utf8")), JSON.parse(readFileSync("out/etl_report.json", "utf8")));
 */
export function formatAnalysisText(a: Analysis, etl?: EtlSummary): string {
  const o = a.overview;
  const [neg, pos] = o.classes;
  const out: string[] = [];
  out.push(`Analysis of ${o.target}: ${o.rows} rows, ${o.features} features (${o.numeric_features} numeric, ${o.categorical_features} categorical)`);
  out.push("");
  if (etl) {
    out.push("Data cleaning");
    out.push(
      `  input: ${etl.input} (${etl.bytes === null ? "size unknown" : `${(etl.bytes / 1024).toFixed(0)} KiB`}, ${etl.encoding}, delimiter ${JSON.stringify(etl.delimiter)}, ${etl.has_header ? "header row" : "no header row"})`,
    );
    out.push(
      `  rows: ${etl.rows_in} read, ${etl.rows_out} kept, ${etl.rows_rejected} rejected${
        Object.keys(etl.rejected_by_rule).length
          ? ` (${Object.entries(etl.rejected_by_rule)
              .map(([r, n]) => `${r}: ${n}`)
              .join(", ")})`
          : ""
      }`,
    );
    const touched = Object.entries(etl.cells).filter(([, n]) => n > 0);
    if (touched.length) out.push(`  cells: ${touched.map(([k, n]) => `${k.replaceAll("_", " ")}: ${n}`).join(", ")}`);
    for (const d of etl.dropped_columns) out.push(`  dropped column ${d.name}: ${d.reason}`);
    if (etl.duplicates?.repeated_rows) {
      const d = etl.duplicates;
      out.push(`  alert: ${d.repeated_rows} rows repeat an earlier row exactly: ${d.drop ? "dropped" : "kept"} (${d.policy}: ${d.reason})`);
    }
    for (const w of etl.warnings) out.push(`  warning: ${w}`);
    out.push("");
  }
  out.push("Class balance");
  out.push(`  ${neg}: ${o.class_counts[neg]} (${pct(1 - o.positive_rate)}), ${pos}: ${o.class_counts[pos]} (${pct(o.positive_rate)})`);
  out.push("");
  const tables = columnTables(a);
  if (tables.numeric.rows.length) {
    out.push("Numeric columns");
    out.push(textTable(tables.numeric.header, tables.numeric.rows, [false, ...new Array(11).fill(true)]));
    out.push("");
  }
  if (tables.categorical.rows.length) {
    out.push("Categorical columns");
    out.push(textTable(tables.categorical.header, tables.categorical.rows, [false, true, true, true, false]));
    out.push("");
  }
  out.push(`Tests against ${o.target}, ranked by Benjamini-Hochberg adjusted p-value`);
  out.push(`  numeric: Welch's t (${ALONGSIDE_TESTS.map((t) => t.label).join(", ")} alongside), effect size Cohen's d;`);
  out.push("  categorical: chi-square test of independence, effect size Cramér's V.");
  out.push(
    textTable(
      ["feature", "test", "statistic", "p", "p (BH)", "p (Bonferroni)", "effect"],
      a.tests.map((t) => [
        t.feature,
        t.test === "welch_t" ? "Welch t" : "chi-square",
        num(t.statistic),
        formatPValue(t.pvalue),
        formatPValue(t.p_bh),
        formatPValue(t.p_bonferroni),
        `${t.effect.name === "cohens_d" ? "d" : "V"} = ${num(t.effect.value, 3)}`,
      ]),
      [false, false, true, true, true, true, true],
    ),
  );
  const numeric = a.tests.filter((t) => t.alongside);
  if (numeric.length) {
    out.push("");
    out.push("Beside Welch's t (p-values; positive class first)");
    out.push(
      textTable(
        ["feature", ...ALONGSIDE_TESTS.map((t) => t.label)],
        numeric.map((t) => [t.feature, ...ALONGSIDE_TESTS.map((test) => formatPValue(t.alongside?.[test.key]?.pvalue ?? Number.NaN))]),
        [false, ...ALONGSIDE_TESTS.map(() => true)],
      ),
    );
  }
  out.push("");
  out.push("In plain words");
  for (const t of a.tests) out.push(`  - ${t.reading}`);
  const strong: string[] = [];
  const { features, pearson } = a.correlations;
  for (let i = 0; i < features.length; i++) {
    for (let j = i + 1; j < features.length; j++) {
      const r = (pearson[i] as number[])[j] as number;
      if (Math.abs(r) >= 0.7) strong.push(`  ${features[i]} ~ ${features[j]}: r = ${num(r, 3)}`);
    }
  }
  out.push("");
  out.push("Strongly correlated numeric features (|Pearson r| ≥ 0.7)");
  out.push(strong.length ? strong.join("\n") : "  none");
  if (a.alerts) {
    out.push("");
    out.push("Alerts (ydata-profiling's defaults: missing or zeros > 1%, |skewness| > 20, > 50 categories, imbalance > 0.5, |r| > 0.9, any repeated row)");
    out.push(a.alerts.length ? a.alerts.map((x) => `  [${x.type}] ${x.message}`).join("\n") : "  none");
  }
  return `${out.join("\n")}\n`;
}
