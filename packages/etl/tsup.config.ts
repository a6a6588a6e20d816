import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: false,
    target: "node20",
    sourcemap: true,
  },
  {
    // The byte engines for this repository's benchmarks: in dist, not in the package's exports.
    entry: { internal: "src/internal/index.ts" },
    format: ["esm"],
    target: "node20",
    sourcemap: true,
  },
]);
