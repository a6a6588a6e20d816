import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, ROOT, tempDir } from "../../test-support/index.js";

// Packs every @pipe/* library, installs the tarballs into a fresh project outside the workspace,
// and uses them from an ESM script, a CommonJS script and a strictly type-checked TypeScript file.
const LIBS = ["etl", "stats", "model", "report"];
const tmp = tempDir("pipe-pack-");
const consumer = join(tmp.dir, "consumer");
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });

beforeAll(() => {
  const tarballs = join(tmp.dir, "tarballs");
  mkdirSync(tarballs);
  for (const lib of LIBS) run("npx", ["-y", "pnpm@12.4.2", "pack", "--pack-destination", tarballs], join(ROOT, "packages", lib));
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files, "typescript@5.9.3", "@types/node@20"], consumer);
}, 600_000);
afterAll(tmp.cleanup);

describe("the packed libraries in another project", () => {
  it("each tarball holds dist, README and package.json only, with a complete manifest", () => {
    for (const lib of LIBS) {
      const dir = join(consumer, "node_modules", "@pipe", lib);
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      expect(pkg).toMatchObject({ name: `@pipe/${lib}`, license: "MIT", sideEffects: false, files: ["dist", "README.md"] });
      expect(pkg.repository.directory).toBe(`packages/${lib}`);
      expect(pkg.exports["."]).toMatchObject({ import: { types: "./dist/index.d.ts" }, require: { types: "./dist/index.d.cts" } });
      expect(JSON.stringify(pkg.dependencies ?? {})).not.toContain("workspace:");
      expect(readdirSync(dir).sort()).toEqual(["README.md", "dist", "package.json"]);
    }
  });

  it("works from an ES module", () => {
    writeFileSync(
      join(consumer, "esm.mjs"),
      `import { parseCsv } from "@pipe/etl";
import { welchTTest } from "@pipe/stats";
import { rocAuc, RandomForestClassifier } from "@pipe/model";
import { textTable } from "@pipe/report";
const rows = parseCsv("a,b\\n1,2\\n", { delimiter: "," });
const t = welchTTest([1, 2, 3, 4], [2, 3, 5, 9]);
const X = [Float64Array.from([1, 2, 3, 4, 5, 6])], y = Uint8Array.from([0, 0, 0, 1, 1, 1]);
const rf = new RandomForestClassifier({ nEstimators: 5, seed: 1 }).fit(X, y);
console.log(JSON.stringify({ rows: rows.length, p: t.pvalue > 0, auc: rocAuc(y, rf.predictProba(X)), table: textTable(["a"], [["1"]]).length > 0 }));
`,
    );
    expect(JSON.parse(run(process.execPath, ["esm.mjs"], consumer))).toEqual({ rows: 2, p: true, auc: 1, table: true });
  });

  it("works from CommonJS", () => {
    writeFileSync(
      join(consumer, "cjs.cjs"),
      `const { openSource, runEtl } = require("@pipe/etl");
const { describeNumeric } = require("@pipe/stats");
const { stratifiedSplit } = require("@pipe/model");
(async () => {
  const { report } = await runEtl(openSource(${JSON.stringify(DATASETS.heart)}), { target: "target" }, { processed: "p.csv", rejected: "r.csv" });
  const s = stratifiedSplit(Uint8Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]), 0.3, 42);
  console.log(JSON.stringify({ rows: report.rows_out, mean: describeNumeric([1, 2, 3]).mean, test: s.test.length }));
})();
`,
    );
    expect(JSON.parse(run(process.execPath, ["cjs.cjs"], consumer))).toEqual({ rows: 211, mean: 2, test: 3 });
  });

  it("type-checks a strict TypeScript file against the published declarations", () => {
    writeFileSync(
      join(consumer, "check.ts"),
      `import { type DatasetSchema, type EtlOptions, parseCsv } from "@pipe/etl";
import { type Analysis, chiSquareIndependence } from "@pipe/stats";
import { type BinaryMetrics, binaryMetrics, PipeModel } from "@pipe/model";
import { type MetricsDoc, formatMetricsText } from "@pipe/report";
const options: EtlOptions = { target: "y", maxMissingShare: 0.4 };
const m: BinaryMetrics = binaryMetrics([0, 1, 1], [0.2, 0.7, 0.4]);
const chi: number = chiSquareIndependence([[1, 2], [3, 4]]).pvalue;
const parse: (text: string) => PipeModel = (t) => PipeModel.parse(t);
const f: (doc: MetricsDoc) => string = formatMetricsText;
let schema: DatasetSchema | undefined;
let analysis: Analysis | undefined;
export { options, m, chi, parse, f, schema, analysis, parseCsv };
`,
    );
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          skipLibCheck: false,
          types: ["node"],
        },
        files: ["check.ts"],
      }),
    );
    const r = spawnSync(join(consumer, "node_modules/.bin/tsc"), ["-p", "."], { cwd: consumer, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
