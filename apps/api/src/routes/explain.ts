import { z } from "@hono/zod-openapi";
import { type ExplainOptions, ModelError } from "@pipe/model";
import type { Context } from "hono";
import { problem } from "../problem.js";
import type { RouteContext } from "./context.js";

/** The `explain` query parameter of the prediction routes, as documented. */
export const explainQuery = z.object({
  explain: z
    .string()
    .optional()
    .openapi({
      param: { name: "explain", in: "query" },
      description:
        "Add each prediction's `explanation`: `true` (or `all`) for every input column, a whole number k for the k columns that moved the score most. Contributions are exact Shapley values (TreeSHAP) of the forest's score; base_value + Σ contributions = score.",
      example: "3",
    }),
});

/**
 * Tree nodes one request may walk to explain its records (each record walks every node of every
 * tree): about ten seconds of one core, so a large batch of a large forest cannot hold the service.
 */
export const EXPLAIN_NODE_BUDGET = 150_000_000;

/** The most records one request may ask to explain with this service's model. */
export function maxExplainedRecords(ctx: RouteContext): number {
  // A logistic regression explains a record in a few operations a column: the batch limit is the only bound.
  if (ctx.model.linear) return ctx.maxBatch;
  return Math.max(1, Math.floor(EXPLAIN_NODE_BUDGET / ctx.model.state.forest.packedTrees().nodes.length));
}

/** The explanation options a request asks for (undefined: none), or the 422 that says why the parameter is wrong. */
export function explainOptions(c: Context, ctx: RouteContext): { options: ExplainOptions | undefined } | { refused: Response } {
  const raw = c.req.query("explain");
  if (raw === undefined || raw === "false" || raw === "0") return { options: undefined };
  let options: ExplainOptions;
  if (raw === "" || raw === "true" || raw === "all") options = {};
  else if (/^\d+$/.test(raw)) options = { top: Number(raw) };
  else
    return {
      refused: problem(c, 422, "explain must be true, all, false or a whole number of columns", [
        { path: "explain", message: `must be true, all, false or a whole number ≥ 1, got ${JSON.stringify(raw.slice(0, 40))}` },
      ]),
    };
  try {
    void ctx.model.explainer;
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    return { refused: problem(c, 422, `this service's model cannot explain predictions: ${error.message}`, [{ path: "explain", message: error.message }]) };
  }
  return { options };
}
