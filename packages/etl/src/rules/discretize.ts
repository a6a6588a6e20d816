import { z } from "zod";
import { parseNumber } from "../internal/values.js";
import { rule } from "./rule.js";

/** Discretisation of a numeric column into bins, labelled `(a, b]` (the first `[a, b]`) or by bin number. */
export const discretizeSchema = z
  .object({
    method: z
      .enum(["width", "quantile", "cuts"])
      .describe("width: equal-width bins from min to max; quantile: bins with about as many rows each; cuts: bins split at the numbers in cuts"),
    bins: z.number().int().min(2).max(1000).optional().describe("How many bins (width, quantile)"),
    cuts: z
      .array(z.number())
      .min(1)
      .max(999)
      .optional()
      .describe("Where bins split (cuts), ascending: a value v is in the bin (a, b] with a < v ≤ b; 200 alone makes [min, 200] and (200, max]"),
    labels: z.enum(["interval", "index"]).optional().describe("interval (default): '(a, b]' as a category; index: 0, 1, ... as an integer"),
  })
  .strict()
  .refine((r) => (r.method === "cuts" ? r.cuts !== undefined && r.bins === undefined : r.bins !== undefined && r.cuts === undefined), {
    message: 'give "bins" with method width or quantile, "cuts" with method cuts',
  })
  .refine((r) => (r.cuts ?? []).every((c, i, all) => i === 0 || c > (all[i - 1] as number)), { message: '"cuts" must ascend' });
export type DiscretizeRule = z.infer<typeof discretizeSchema>;

/**
 * `discretize`: replaces a number by its bin — equal-width (`width`), about equally filled
 * (`quantile`, numpy's linear quantiles as `pandas.qcut`), both fitted on the profile pass, or split
 * at given numbers (`cuts`, as `pandas.cut(x, bins=[...])`); the edges go in the schema. On the
 * target, two bins make a numeric target two classes (see chooseClasses).
 */
export const discretize = rule({
  key: "discretize",
  kind: "shapes the column",
  description: "Replace this number by its bin",
  schema: discretizeSchema,
  needs: "number",
  // The output is the bin, not the number.
  plainNumbers: "decides",
});

/** Fitted bins: `edges` ascending, bin i is (edges[i], edges[i+1]], the first one closed on the left too. */
export interface Binning {
  edges: number[];
  labels: string[];
}

/**
 * Edges from min to max split at `cuts`, those from min up to below max: a cut at min keeps the values
 * equal to it apart (the first bin is closed: a precipitation column cut at 0 is dry days `[0, 0]` against
 * wet ones); a cut below min or at max and above would make an empty bin.
 */
export function cutEdges(min: number, max: number, cuts: readonly number[]): number[] {
  if (!(max > min)) return [min, max];
  return [min, ...cuts.filter((c) => c >= min && c < max), max];
}

/** Equal-width edges from min to max (one bin when the column is constant). */
export function equalWidthEdges(min: number, max: number, bins: number): number[] {
  if (!(max > min)) return [min, max];
  const edges = [min];
  for (let i = 1; i < bins; i++) edges.push(min + ((max - min) * i) / bins);
  edges.push(max);
  return edges;
}

/**
 * Quantile edges of weighted values (each `values[i]` standing for `weights[i]` cells), with the
 * linear interpolation of numpy's default `quantile`, so `pandas.qcut` draws the same edges.
 * Repeated edges are merged, as `qcut(duplicates="drop")` does.
 */
export function quantileEdges(values: Float64Array, weights: Float64Array, bins: number): number[] {
  const order = Array.from(values.keys()).sort((a, b) => (values[a] as number) - (values[b] as number));
  const total = weights.reduce((s, w) => s + w, 0);
  if (order.length === 0 || total <= 0) return [];
  const sorted = order.map((i) => values[i] as number);
  const cumulative = new Float64Array(order.length);
  let running = 0;
  for (let k = 0; k < order.length; k++) {
    running += weights[order[k] as number] as number;
    cumulative[k] = running;
  }
  // The value at 0-based rank r of the expanded data.
  const at = (r: number): number => {
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return sorted[lo] as number;
  };
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const position = ((total - 1) * i) / bins;
    const below = Math.floor(position);
    const fraction = position - below;
    const low = at(below);
    const q = fraction === 0 ? low : low + fraction * (at(Math.min(below + 1, total - 1)) - low);
    if (edges.length === 0 || q > (edges[edges.length - 1] as number)) edges.push(q);
  }
  if (edges.length === 1) edges.push(edges[0] as number);
  return edges;
}

/** The bin of `x`: right-closed, the lowest edge included; values beyond the edges go to the end bins. */
export function binOf(edges: readonly number[], x: number): number {
  const last = edges.length - 2;
  if (last <= 0) return 0;
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= (edges[mid + 1] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Labels of the bins the rule asks for. */
export function binLabels(edges: readonly number[], rule: Pick<DiscretizeRule, "labels">): string[] {
  const count = Math.max(1, edges.length - 1);
  if (rule.labels === "index") return Array.from({ length: count }, (_, i) => String(i));
  return Array.from({ length: count }, (_, i) => {
    const a = formatEdge(edges[i] as number);
    const b = formatEdge(edges[Math.min(i + 1, edges.length - 1)] as number);
    return `${i === 0 ? "[" : "("}${a}, ${b}]`;
  });
}

function formatEdge(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/**
 * The labels the ETL wrote for a discretised column, bin by bin (as `binLabels` drew them: an integer
 * column's bins are numbered), from its schema; undefined for a column it did not discretise.
 */
export function binLabelsOf(column: { type: string; bins?: readonly number[] | undefined }): string[] | undefined {
  return column.bins ? binLabels(column.bins, { labels: column.type === "integer" ? "index" : "interval" }) : undefined;
}

/**
 * The label of the bin a value written as `text` falls in, read as the ETL reads numbers (undefined
 * when it is not one): a labelled file's raw target binned as the training rows were.
 */
export function binLabelOf(bins: { edges: readonly number[]; labels: readonly string[] }, text: string): string | undefined {
  const n = parseNumber(text.trim());
  return n === undefined ? undefined : bins.labels[binOf(bins.edges, n)];
}
