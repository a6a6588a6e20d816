import { createRoute, z } from "@hono/zod-openapi";
import { swaggerAssets } from "../docs/swagger.js";
import type { ApiRoute } from "./context.js";

const PATHS = ["/docs", "/docs/", "/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/init.js", "/openapi.json"] as const;

/** GET /docs: Swagger UI served from local files (no CDN), and GET /openapi.json, the document itself. */
export const docs: ApiRoute = {
  open: PATHS,
  register(app) {
    let assets: ReturnType<typeof swaggerAssets> | undefined;
    const files = () => {
      assets ??= swaggerAssets();
      return assets;
    };
    const get = (path: string, summary: string, type: string, body: () => string, cache?: string) =>
      app.openapi(
        createRoute({ method: "get", path, summary, security: [], responses: { 200: { description: summary, content: { [type]: { schema: z.string() } } } } }),
        (c) => c.body(body(), 200, { "content-type": type, ...(cache ? { "cache-control": cache } : {}) }),
      );
    get("/docs", "Swagger UI", "text/html; charset=UTF-8", () => files().html);
    get("/docs/", "Swagger UI", "text/html; charset=UTF-8", () => files().html);
    get("/docs/swagger-ui.css", "Swagger UI's style sheet", "text/css", () => files().css, "max-age=86400");
    get("/docs/swagger-ui-bundle.js", "Swagger UI's script", "text/javascript", () => files().js, "max-age=86400");
    get("/docs/init.js", "Swagger UI's start-up script", "text/javascript", () => files().init);
  },
};
