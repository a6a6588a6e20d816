import { createRoute } from "@hono/zod-openapi";
import type { ExplainOptions, Prediction } from "@pipe/model";
import type { ApiRoute, RouteContext } from "./context.js";
import { explainOptions, explainQuery } from "./explain.js";
import { registerJsonRoute } from "./json-body.js";
import { BODY_PROBLEMS, problems } from "./responses.js";
import { fieldWarnings } from "./schemas.js";

/** One prediction for one validated record, warnings first for the fields it held but the model does not use. */
export async function predictOne(ctx: RouteContext, record: Record<string, unknown>, explain?: ExplainOptions) {
  return answerOf(ctx, record, explain ? await ctx.explainQueue.explain(record, explain) : ctx.model.predict(record));
}

/** The response entry of a record's prediction (counted in the metrics). */
export function answerOf(ctx: RouteContext, record: Record<string, unknown>, p: Prediction & { explanation?: unknown }) {
  ctx.metrics.countPrediction(p.label);
  ctx.drift.add(record, p.probability);
  const answer = {
    prediction: p.prediction,
    label: p.label,
    probability: p.probability,
    model_version: ctx.model.version,
    warnings: withFieldWarnings(fieldWarnings(record, ctx.schemas), p.warnings),
  };
  return p.explanation === undefined ? answer : { ...answer, explanation: p.explanation };
}

/** The record's field warnings, then the prediction's (no new array for the usual none). */
function withFieldWarnings(fields: string[], prediction: string[]): string[] {
  return fields.length === 0 ? prediction : [...fields, ...prediction];
}

function route(ctx: RouteContext, path: string, summary: string) {
  return createRoute({
    method: "post",
    path,
    summary,
    request: { query: explainQuery, body: { required: true, content: { "application/json": { schema: ctx.schemas.record } } } },
    responses: {
      200: { description: "The prediction", content: { "application/json": { schema: ctx.schemas.prediction } } },
      ...problems(ctx.schemas, ...BODY_PROBLEMS),
    },
  });
}

/** POST /predict: score one raw record (and /predict/, the path of the original design). */
export const predict: ApiRoute = {
  register(app, ctx) {
    for (const [path, summary] of [
      ["/predict", "Score one record"],
      ["/predict/", "Score one record (the original design's path)"],
    ] as const) {
      registerJsonRoute(app, ctx, {
        route: route(ctx, path, summary),
        schema: ctx.schemas.record,
        accepts: ctx.schemas.acceptsRecord,
        invalid: () => "the record does not fit the model's feature schema (GET /model lists it)",
        handler: async (c, record) => {
          const explain = explainOptions(c, ctx);
          if ("refused" in explain) return explain.refused;
          return c.json(await predictOne(ctx, record as Record<string, unknown>, explain.options), 200);
        },
      });
    }
  },
};
