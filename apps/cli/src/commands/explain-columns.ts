import type { ExplainedPrediction, ExplainOptions, PipeModel } from "@pipe/model";
import { UsageError } from "../errors.js";

/** `--explain all` or `--explain K` as the model's explain options. */
export function explainFlag(v: unknown): ExplainOptions | undefined {
  if (v === undefined) return undefined;
  if (v === "all" || v === "true") return {};
  const k = Number(v);
  if (typeof v === "string" && /^\d+$/.test(v) && k >= 1) return { top: k };
  throw new UsageError(`--explain expects all or a whole number of columns ≥ 1 (got "${String(v)}")`);
}

/**
 * The columns explanations add to a scored row: the base value and the score, then one contribution
 * per model column (all), or the k largest as column name and contribution pairs and the rest's sum.
 */
export function explanationHeader(model: PipeModel, options: ExplainOptions): string[] {
  const head = ["base_value", "score"];
  if (options.top === undefined) return [...head, ...model.state.preprocessing.specs.map((s) => `contribution_${s.name}`)];
  const pairs = Array.from({ length: options.top }, (_, i) => [`reason_${i + 1}`, `reason_${i + 1}_contribution`]).flat();
  return [...head, ...pairs, "reasons_rest"];
}

/** A row's explanation cells, in `explanationHeader`'s order (blank when the row could not be scored). */
export function explanationCells(model: PipeModel, options: ExplainOptions, p: ExplainedPrediction | undefined): string[] {
  const width = explanationHeader(model, options).length;
  if (!p) return Array.from({ length: width }, () => "");
  const e = p.explanation;
  const cells = [String(e.base_value), String(e.score)];
  if (options.top === undefined) {
    const byColumn = new Map(e.contributions.map((c) => [c.column, c.contribution]));
    for (const s of model.state.preprocessing.specs) cells.push(String(byColumn.get(s.name) ?? 0));
    return cells;
  }
  for (let i = 0; i < options.top; i++) {
    const c = e.contributions[i];
    cells.push(c ? c.column : "", c ? String(c.contribution) : "");
  }
  cells.push(String(e.rest));
  return cells;
}
