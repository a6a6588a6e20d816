import type { Frame } from "../frame.js";
import type { PipeModel } from "../model.js";
import type { ColumnSpec } from "../preprocess/spec.js";
import { Random } from "../random.js";
import type { Contribution } from "./explanation.js";

/** One chosen test row's explanation, for a waterfall: the largest contributions, the rest summed. */
export interface ExplainedExample {
  /** Why this row was chosen ("highest score", …). */
  title: string;
  score: number;
  probability: number;
  label: string;
  contributions: Contribution[];
  rest: number;
}

/**
 * TreeSHAP over a seeded sample of the test rows, for the report: global importance as mean |contribution|
 * per input column, the sample itself (each column's values and contributions: the summary and
 * dependence plots), and three rows explained in full.
 */
export interface ExplanationSummary {
  /** Test rows explained (a seeded sample when the forest is large) and test rows in all. */
  rows: number;
  of: number;
  base_value: number;
  /** Per input column, largest first: mean |contribution| over the sample. */
  importance: { column: string; mean_abs: number }[];
  /** Per input column (in `importance` order): the sample's values (null: missing) and contributions. */
  sample: { column: string; kind: "numeric" | "categorical" | "date"; values: (number | string | null)[]; contributions: number[] }[];
  examples: ExplainedExample[];
}

/** How many tree nodes the sample may visit in all: about a second and a half on one core, whatever the forest's size. */
const NODE_BUDGET = 25_000_000;
const MIN_ROWS = 50;
const MAX_ROWS = 1000;
const EXAMPLE_COLUMNS = 8;

/** How many test rows the summary explains for a forest of `nodes` nodes (deterministic: the same model, the same sample). */
export function summaryRows(nodes: number, testRows: number): number {
  return Math.min(testRows, Math.max(MIN_ROWS, Math.min(MAX_ROWS, Math.floor(NODE_BUDGET / Math.max(1, nodes)))));
}

/** The summary of `rows` (test rows of `frame`), or null when the model cannot explain (a file without node covers). */
export async function explainTestRows(model: PipeModel, frame: Frame, rows: Int32Array, seed: number, threads?: number): Promise<ExplanationSummary | null> {
  let explainer: PipeModel["explainer"];
  try {
    explainer = model.explainer;
  } catch {
    return null;
  }
  const specs = model.state.preprocessing.specs;
  // A logistic regression explains a row in a few operations a column: every test row, up to MAX_ROWS.
  const n = summaryRows(model.linear ? 1 : model.state.forest.packedTrees().nodes.length, rows.length);
  const picked = n < rows.length ? new Random(seed).shuffle(Int32Array.from(rows)).slice(0, n).sort() : Int32Array.from(rows);
  const X = model.preprocessor.transform(frame, picked);
  const out = await explainer.explainMatrix(X, threads);
  const width = specs.length + 1;
  // In the model's score units (boosted trees: log-odds).
  const { scale, offset } = explainer;
  const contributions = specs.map((_, c) => Array.from({ length: n }, (_, i) => scale * (out[i * width + c] as number)));
  const scores = Array.from({ length: n }, (_, i) => offset + scale * (out[i * width + specs.length] as number));
  const values = specs.map((s) =>
    Array.from(picked, (r): number | string | null => {
      if (s.kind === "numeric") {
        const v = frame.numeric.get(s.name)?.[r] as number;
        return Number.isNaN(v) ? null : v;
      }
      const v = frame.categorical.get(s.name)?.[r] ?? "";
      return v === "" ? null : v;
    }),
  );
  const meanAbs = contributions.map((c) => c.reduce((a, v) => a + Math.abs(v), 0) / Math.max(1, n));
  const order = specs.map((_, i) => i).sort((a, b) => (meanAbs[b] as number) - (meanAbs[a] as number) || a - b);

  const example = (title: string, i: number): ExplainedExample => {
    const byMagnitude = specs
      .map((_, c) => c)
      .sort((a, b) => Math.abs((contributions[b] as number[])[i] as number) - Math.abs((contributions[a] as number[])[i] as number) || a - b);
    const kept = byMagnitude.slice(0, EXAMPLE_COLUMNS);
    const score = scores[i] as number;
    const probability = model.probabilityOf((score - offset) / scale);
    return {
      title,
      score,
      probability,
      label: probability >= model.state.threshold ? model.state.positiveClass : (model.state.classes.find((c) => c !== model.state.positiveClass) as string),
      contributions: kept.map((c) => ({
        column: (specs[c] as { name: string }).name,
        value: (values[c] as (number | string | null)[])[i] ?? null,
        contribution: (contributions[c] as number[])[i] as number,
      })),
      rest: byMagnitude.slice(EXAMPLE_COLUMNS).reduce((s, c) => s + ((contributions[c] as number[])[i] as number), 0),
    };
  };
  const byScore = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number) || a - b);
  const threshold = model.state.threshold;
  let border = 0;
  for (let i = 1; i < n; i++)
    if (
      Math.abs(model.probabilityOf(((scores[i] as number) - offset) / scale) - threshold) <
      Math.abs(model.probabilityOf(((scores[border] as number) - offset) / scale) - threshold)
    )
      border = i;
  const examples =
    n === 0
      ? []
      : [
          example("the highest score", byScore[n - 1] as number),
          example("the probability closest to the threshold", border),
          example("the lowest score", byScore[0] as number),
        ];

  return {
    rows: n,
    of: rows.length,
    base_value: explainer.baseValue,
    importance: order.map((c) => ({ column: (specs[c] as { name: string }).name, mean_abs: meanAbs[c] as number })),
    sample: order.map((c) => ({
      column: (specs[c] as { name: string }).name,
      // A date keeps its ISO text: the report draws it on a time axis.
      kind: (specs[c] as ColumnSpec).kind,
      values: values[c] as (number | string | null)[],
      contributions: contributions[c] as number[],
    })),
    examples,
  };
}
