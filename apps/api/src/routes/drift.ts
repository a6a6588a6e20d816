import { createRoute, z } from "@hono/zod-openapi";
import { MIN_DRIFT_ROWS } from "../drift/window.js";
import type { ApiRoute } from "./context.js";
import { problems } from "./responses.js";

/** GET /drift: the recent records against the training data, column by column and on the predictions. */
export const drift: ApiRoute = {
  register(app, ctx) {
    const column = z.object({
      column: z.string(),
      kind: z.enum(["numeric", "categorical"]),
      method: z.enum(["ks", "z_proportion", "chi_square", "wasserstein_normed", "jensen_shannon"]),
      score: z.number().openapi({ description: "A p-value (tests) or a distance" }),
      threshold: z.number(),
      drifted: z.boolean(),
    });
    const body = z
      .object({
        model_version: z.string(),
        status: z.enum(["ok", "collecting", "unavailable"]).openapi({
          description: `collecting: fewer than ${MIN_DRIFT_ROWS} records scored yet; unavailable: the model file keeps no training reference, or the window is off (DRIFT_WINDOW=0)`,
        }),
        window: z.object({ size: z.number().int(), rows: z.number().int() }),
        reference_rows: z.number().int().nullable(),
        columns: z.array(column).optional(),
        drifted_columns: z.number().int().optional(),
        share: z.number().optional(),
        drift_share: z.number().optional(),
        dataset_drift: z.boolean().optional(),
        prediction: column.nullable().optional(),
      })
      .openapi("Drift", {
        description:
          "The last records scored (a bounded window) against the model's training data, with Evidently's default tests: KS / chi-square / z-test on references of up to 1,000 rows (drift when p < 0.05), normed Wasserstein / Jensen-Shannon above (drift when ≥ 0.1)",
      });
    app.openapi(
      createRoute({
        method: "get",
        path: "/drift",
        summary: "Drift of the recent records from the training data",
        responses: {
          200: { description: "Per-column drift and the dataset's verdict", content: { "application/json": { schema: body } } },
          ...problems(ctx.schemas, 401),
        },
      }),
      (c) => {
        const w = ctx.drift;
        const base = {
          model_version: ctx.model.version,
          window: { size: w.size, rows: w.rows },
          reference_rows: ctx.model.state.driftReference?.rows ?? null,
        };
        if (!w.available) return c.json({ ...base, status: "unavailable" as const }, 200);
        const report = w.report();
        if (!report) return c.json({ ...base, status: "collecting" as const }, 200);
        return c.json({ ...base, status: "ok" as const, ...report }, 200);
      },
    );
  },
};
