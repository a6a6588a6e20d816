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
