import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** Swagger UI served from the swagger-ui-dist package: /docs works with no network. */
export function swaggerAssets() {
  const dir = dirname(require.resolve("swagger-ui-dist/package.json"));
  return {
    css: readFileSync(join(dir, "swagger-ui.css"), "utf8"),
    js: readFileSync(join(dir, "swagger-ui-bundle.js"), "utf8"),
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>pipe API docs</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`,
    init: `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });`,
  };
}
