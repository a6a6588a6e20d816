import { createRoute, z } from "@hono/zod-openapi";
import type { ApiRoute } from "./context.js";
import { problems } from "./responses.js";

/**
 * GET /model/importance: each input field's importance, normalised to sum to 1 (a missing-value
 * indicator counts with its field), highest first: a tree model's impurity importance (mean decrease
 * in Gini), a logistic regression's weight (its share of the mean |term − training mean| of the log-odds).
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
    const method = model.linear ? ("weight" as const) : ("impurity" as const);
    const importance = [...totals]
      .map(([feature, impurity]) => ({ feature, impurity }))
      .sort((a, b) => b.impurity - a.impurity || (a.feature < b.feature ? -1 : 1));
    const body = z
      .object({
        model_version: z.string(),
        method: z
          .enum(["impurity", "weight"])
          .openapi({ description: "impurity: mean decrease in Gini (trees); weight: share of the log-odds' mean |term| (logistic regression)" }),
        importance: z.array(z.object({ feature: z.string(), impurity: z.number().min(0).max(1) })),
      })
      .openapi("Importance");
    app.openapi(
      createRoute({
        method: "get",
        path: "/model/importance",
        summary: "Importance of each input field, highest first",
        responses: { 200: { description: "Importances summing to 1", content: { "application/json": { schema: body } } }, ...problems(ctx.schemas, 401) },
      }),
      (c) => c.json({ model_version: model.version, method, importance }, 200),
    );
  },
};
