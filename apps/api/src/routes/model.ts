import { createRoute, z } from "@hono/zod-openapi";
import type { ApiRoute } from "./context.js";
import { problems } from "./responses.js";

/** GET /model: what the model is, what it was trained on, and which fields it uses, ignores and requires. */
export const modelInfo: ApiRoute = {
  register(app, ctx) {
    const { model } = ctx;
    const schema = model.featureSchema;
    const body = z
      .object({
        model_version: z.string(),
        target: z.string(),
        classes: z.array(z.string()),
        positive_class: z.string(),
        threshold: z.number(),
        features: z
          .array(z.record(z.string(), z.unknown()))
          .openapi({ description: "The used fields: type, training range or categories, and the ETL rules that clean their values (cleaning)" }),
        fields: z.object({
          used: z.array(z.string()),
          ignored: z.array(z.object({ name: z.string(), reason: z.string() })),
          unknown: z.string(),
          required: z.string(),
        }),
        training: z.record(z.string(), z.unknown()),
        kind: z.enum(["forest", "gbt", "logistic"]).openapi({ description: "random forest, gradient-boosted trees, or logistic regression" }),
        trees: z.number().int().openapi({ description: "Trees (0 for a logistic regression)" }),
        weights: z.number().int().optional().openapi({ description: "A logistic regression's weights (one per number, one per level of a category)" }),
        calibration: z.object({ method: z.string(), a: z.number(), b: z.number() }).nullable(),
      })
      .openapi("ModelInfo");
    const answer = {
      model_version: model.version,
      target: model.state.target,
      classes: model.state.classes,
      positive_class: model.state.positiveClass,
      threshold: model.state.threshold,
      features: schema,
      fields: {
        used: schema.map((f) => f.name),
        ignored: model.inputFields.ignored,
        unknown: ctx.unknownFields === "ignore" ? "ignored with a warning" : "rejected (422)",
        required: "none one by one (a missing value is imputed, with a warning), but a record needs at least one used field",
      },
      training: model.state.training,
      kind: model.kind,
      trees: model.state.forest.treeCount,
      ...(model.linear ? { weights: model.linear.state.coef.length } : {}),
      calibration: model.state.calibration,
    };
    app.openapi(
      createRoute({
        method: "get",
        path: "/model",
        summary: "Model metadata and its input fields",
        responses: { 200: { description: "Model card data", content: { "application/json": { schema: body } } }, ...problems(ctx.schemas, 401) },
      }),
      (c) => c.json(answer as never, 200),
    );
  },
};
