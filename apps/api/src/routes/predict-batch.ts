import { createRoute, z } from "@hono/zod-openapi";
import type { ExplainedPrediction } from "@pipe/model";
import { problem } from "../problem.js";
import type { ApiRoute, RouteContext } from "./context.js";
import { explainOptions, explainQuery, maxExplainedRecords } from "./explain.js";
import { registerJsonRoute } from "./json-body.js";
import { answerOf } from "./predict.js";
import { BODY_PROBLEMS, problems } from "./responses.js";

function route(ctx: RouteContext) {
  const { record, prediction } = ctx.schemas;
  const request = z
    .object({ records: z.array(record).min(1, { error: "must hold at least one record" }).openapi({ maxItems: ctx.maxBatch }) })
    .openapi("BatchRequest", { description: `Up to ${ctx.maxBatch} records; scored in order` });
  const response = z.object({ model_version: z.string(), predictions: z.array(prediction) }).openapi("BatchResponse");
  const spec = createRoute({
    method: "post",
    path: "/predict/batch",
    summary: "Score several records",
    request: { query: explainQuery, body: { required: true, content: { "application/json": { schema: request } } } },
    responses: {
      200: { description: "One prediction per record, in order", content: { "application/json": { schema: response } } },
      ...problems(ctx.schemas, ...BODY_PROBLEMS),
    },
  });
  return { spec, request };
}

/** POST /predict/batch: score up to maxBatch records at once (one pass of the forest over them). */
export const predictBatch: ApiRoute = {
  register(app, ctx) {
    const { spec, request } = route(ctx);
    registerJsonRoute(app, ctx, {
      route: spec,
      schema: request,
      body: 'a JSON object {"records": [...]}',
      // Over the limit is refused before a single record is validated.
      refuse: (value, c) => {
        const records = (value as { records?: unknown } | null)?.records;
        return Array.isArray(records) && records.length > ctx.maxBatch
          ? problem(c, 413, `the batch holds ${records.length} records; the limit is ${ctx.maxBatch}`)
          : undefined;
      },
      accepts: (value) => {
        if (typeof value !== "object" || value === null) return false;
        const records = (value as { records?: unknown }).records;
        if (!Array.isArray(records) || records.length === 0 || Object.keys(value).length !== 1) return false;
        for (const r of records) if (!ctx.schemas.acceptsRecord(r)) return false;
        return true;
      },
      invalid: (error) => `${error.issues.length} field error(s) in the batch`,
      handler: async (c, body) => {
        const explain = explainOptions(c, ctx);
        if ("refused" in explain) return explain.refused;
        const records = body.records as Record<string, unknown>[];
        const options = explain.options;
        const most = options ? maxExplainedRecords(ctx) : records.length;
        if (records.length > most) {
          return problem(
            c,
            413,
            `explaining walks every tree node for each record: this model explains at most ${most} records per request (got ${records.length}); send smaller batches`,
          );
        }
        // A large batch (and explaining, a walk of every tree node per record) is shared with the scoring workers.
        const threads = { threads: ctx.scoreThreads };
        const scored = options
          ? ((await ctx.model.explainEachAsync(records, options, threads)) as ExplainedPrediction[])
          : await ctx.model.predictBatchAsync(records, threads);
        const predictions = scored.map((p, i) => answerOf(ctx, records[i] as Record<string, unknown>, p));
        return c.json({ model_version: ctx.model.version, predictions }, 200);
      },
    });
  },
};
