import { createRoute, z } from "@hono/zod-openapi";
import type { ApiRoute } from "./context.js";
import { problems } from "./responses.js";

/**
 * GET /model/importance: the forest's impurity importance of each input field (mean decrease in Gini,
 * normalised to sum to 1; a missing-value indicator counts with its field), highest first.
 */
export const modelImportance: ApiRoute = {
  register(app, ctx) {
    const { model } = ctx;
    const names = model.featureNames;
    const totals = new Map<string, number>();
    model.state.forest.featureImportances.forEach((v, j) => {
      const field = (names[j] as string).replace(/__missing$/, "");
      totals.set(field, (totals.get(field) ?? 0) + v);
    });
    const importance = [...totals]
      .map(([feature, impurity]) => ({ feature, impurity }))
      .sort((a, b) => b.impurity - a.impurity || (a.feature < b.feature ? -1 : 1));
    const body = z
      .object({
        model_version: z.string(),
        method: z.literal("impurity"),
        importance: z.array(z.object({ feature: z.string(), impurity: z.number().min(0).max(1) })),
      })
      .openapi("Importance");
    app.openapi(
      createRoute({
        method: "get",
        path: "/model/importance",
        summary: "Impurity importance of each input field, highest first",
        responses: { 200: { description: "Importances summing to 1", content: { "application/json": { schema: body } } }, ...problems(ctx.schemas, 401) },
      }),
      (c) => c.json({ model_version: model.version, method: "impurity" as const, importance }, 200),
    );
  },
};
