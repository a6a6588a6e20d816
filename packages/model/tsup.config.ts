import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: false,
    target: "node20",
    sourcemap: true,
    // import.meta.url in the CommonJS build, to find the worker script.
    shims: true,
  },
  {
    // The forest's worker thread, one ESM file that the built library starts.
    entry: { "forest-worker": "src/forest/worker.ts" },
    format: ["esm"],
    target: "node20",
    sourcemap: true,
  },
]);
