import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where Swagger UI's files are: the swagger-ui-dist package, or a `swagger-ui` folder beside this
 * module, which is how the one-file bundles (`pnpm bundle:lambda`) ship them.
 */
function assetsDir(): string {
  const beside = join(dirname(fileURLToPath(import.meta.url)), "swagger-ui");
  if (existsSync(join(beside, "swagger-ui-bundle.js"))) return beside;
  return dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
}

/** Swagger UI served from local files: /docs works with no network. */
export function swaggerAssets() {
  const dir = assetsDir();
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
