import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "node20",
  sourcemap: true,
  // import.meta.url in the CommonJS build (plotly.js-dist-min is found from it).
  shims: true,
});
