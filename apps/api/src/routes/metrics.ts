import { createRoute, z } from "@hono/zod-openapi";
import type { ApiRoute } from "./context.js";
import { problems } from "./responses.js";

/** GET /metrics: requests, latencies and predictions in Prometheus' text format. */
export const metrics: ApiRoute = {
  register(app, ctx) {
    app.openapi(
      createRoute({
        method: "get",
        path: "/metrics",
        summary: "Prometheus metrics",
        responses: {
          200: { description: "Text exposition format", content: { "text/plain": { schema: z.string() } } },
          ...problems(ctx.schemas, 401),
        },
      }),
      (c) => c.text(ctx.metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }),
    );
  },
};
