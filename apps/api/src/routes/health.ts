import { createRoute, z } from "@hono/zod-openapi";
import type { ApiRoute } from "./context.js";

/** GET /health (liveness) and GET /ready (the model is loaded): probes, open without an API key. */
export const health: ApiRoute = {
  open: ["/health", "/ready"],
  register(app, ctx) {
    const status = z.object({ status: z.string(), model_version: z.string().optional() }).openapi("Health");
    const json = { "application/json": { schema: status } };
    app.openapi(
      createRoute({ method: "get", path: "/health", summary: "Liveness", security: [], responses: { 200: { description: "Alive", content: json } } }),
      (c) => c.json({ status: "ok" }, 200),
    );
    app.openapi(
      createRoute({
        method: "get",
        path: "/ready",
        summary: "Readiness: the model is loaded",
        security: [],
        responses: { 200: { description: "Ready", content: json } },
      }),
      (c) => c.json({ status: "ready", model_version: ctx.model.version }, 200),
    );
  },
};
