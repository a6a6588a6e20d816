#!/usr/bin/env node
// `pnpm bundle:lambda [--model PATH] [--out DIR]`: the prediction service as an AWS Lambda deployment
// package. esbuild bundles the handler and everything it imports into one ES module (no
// node_modules), Swagger UI's two files and the model go beside it, and the folder is zipped:
//   DIR/package/index.mjs   handler "index.handler" (nodejs20.x or later)
//   DIR/package/model.json  the model the handler loads when MODEL_PATH is not set
//   DIR/pipe-lambda.zip     what `aws lambda create-function --zip-file` takes
// The workspace is left as it is: nothing is installed or removed.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { zip } from "./lib/zip.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { model: { type: "string" }, out: { type: "string" }, help: { type: "boolean" } },
  strict: true,
});
if (values.help) {
  process.stdout.write("Usage: pnpm bundle:lambda [--model data/output/model.json] [--out dist/lambda]\n");
  process.exit(0);
}
const model = resolve(values.model ?? join(root, "data/output/model.json"));
const out = resolve(values.out ?? join(root, "dist/lambda"));
if (!existsSync(model)) {
  process.stderr.write(`bundle:lambda: ${relative(process.cwd(), model) || model} not found; train a model first (pnpm pipe run), or pass --model PATH\n`);
  process.exit(2);
}

const pkg = join(out, "package");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(pkg, "swagger-ui"), { recursive: true });
await build({
  entryPoints: [join(root, "apps/api/src/lambda.ts")],
  outfile: join(pkg, "index.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  legalComments: "linked",
  // The libraries from their sources: no build of the workspace is needed first.
  alias: { "@pipe/model": join(root, "packages/model/src/index.ts") },
  // CommonJS dependencies inside an ES module still call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __pipeRequire } from "node:module"; const require = __pipeRequire(import.meta.url);' },
  logLevel: "warning",
});
const swagger = dirname(createRequire(join(root, "apps/api/package.json")).resolve("swagger-ui-dist/package.json"));
for (const f of ["swagger-ui.css", "swagger-ui-bundle.js"]) copyFileSync(join(swagger, f), join(pkg, "swagger-ui", f));
copyFileSync(model, join(pkg, "model.json"));
writeFileSync(join(pkg, "package.json"), `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`);

const files = ["index.mjs", "index.mjs.LEGAL.txt", "package.json", "model.json", "swagger-ui/swagger-ui.css", "swagger-ui/swagger-ui-bundle.js"].filter((f) =>
  existsSync(join(pkg, f)),
);
const archive = zip(files.map((name) => ({ name, data: readFileSync(join(pkg, name)) })));
writeFileSync(join(out, "pipe-lambda.zip"), archive);
const unpacked = files.reduce((s, f) => s + statSync(join(pkg, f)).size, 0);
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
process.stdout.write(
  `${JSON.stringify({ zip: join(out, "pipe-lambda.zip"), zip_bytes: archive.length, unpacked_bytes: unpacked, handler: "index.handler", files })}\n` +
    `bundle:lambda: ${relative(process.cwd(), join(out, "pipe-lambda.zip"))} ${mb(archive.length)} (unpacked ${mb(unpacked)}: handler ${mb(statSync(join(pkg, "index.mjs")).size)}, model ${mb(statSync(join(pkg, "model.json")).size)})\n`,
);
