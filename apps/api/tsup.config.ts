import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", server: "src/server.ts", lambda: "src/lambda.ts" },
  format: ["esm"],
  target: "node20",
  dts: { entry: { index: "src/index.ts", lambda: "src/lambda.ts" } },
  clean: true,
  sourcemap: true,
});
