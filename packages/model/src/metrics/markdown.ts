import { METRICS } from "./table.js";

/** The metric table as a Markdown table (the README's list of metrics is this, checked by a test). */
export function metricsMarkdown(): string {
  const rows = METRICS.map((m) => `| \`${m.name}\` | ${m.label} | ${m.direction} | ${m.needs} | ${m.formula.replaceAll("|", "\\|")} | \`${m.reference}\` |`);
  return ["| key | metric | better | from | formula | scikit-learn |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}
