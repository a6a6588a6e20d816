import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, ROOT, tempDir } from "../../test-support/index.js";
import { directorySize } from "./size.js";

// Packs every @pipe/* library, installs the tarballs into fresh projects outside the workspace, and
// uses each package from an ES module, from CommonJS, and from TypeScript under both module
// resolutions consumers pick (node16 and bundler). publint and attw check the published shape.
const LIBS = ["etl", "stats", "model", "report"] as const;
const tmp = tempDir("pipe-pack-");
const tarballs = join(tmp.dir, "tarballs");
const consumer = join(tmp.dir, "consumer");
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });
const tarball = (lib: string) => join(tarballs, readdirSync(tarballs).find((f) => f.startsWith(`pipe-${lib}-`)) as string);
const npmInstall = (cwd: string, args: string[]) => run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...args], cwd);

beforeAll(() => {
  mkdirSync(tarballs);
  for (const lib of LIBS) run("npx", ["-y", "pnpm@12.4.2", "pack", "--pack-destination", tarballs], join(ROOT, "packages", lib));
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  npmInstall(consumer, [...LIBS.map(tarball), "typescript@5.9.3", "@types/node@20"]);
}, 600_000);
afterAll(tmp.cleanup);

// One use of each package that goes through its real code paths (the report's plotly bundle is
// found through import.meta.url, which a CommonJS build must shim).
const USES = `
  const { report } = await etl.runEtl(etl.openSource(${JSON.stringify(DATASETS.heart)}), { target: "target" }, { processed: "p.csv", rejected: "r.csv" });
  const t = stats.welchTTest([1, 2, 3, 4], [2, 3, 5, 9]);
  const X = [Float64Array.from([1, 2, 3, 4, 5, 6])], y = Uint8Array.from([0, 0, 0, 1, 1, 1]);
  const rf = new model.RandomForestClassifier({ nEstimators: 5, seed: 1 }).fit(X, y);
  const lr = new model.LogisticRegression().fit(model.sparseFromDense([[1], [2], [3], [4], [5], [6]]), y);
  const frame = { rows: 6, numeric: new Map([["x", X[0]]]), categorical: new Map() };
  const trained = await model.trainModel(frame, [{ name: "x", kind: "numeric" }], y, { target: "y", classes: ["0", "1"], positiveClass: "1", testSize: 0.34, seed: 1, dataSha256: "-", model: "logistic" });
  const sql = model.modelSql(trained.model, { dialect: "duckdb", relation: "t" }).sql;
  const result = { rows: report.rows_out, p: t.pvalue > 0, auc: model.rocAuc(y, rf.predictProba(X)), lr: lr.coef[0] > 0,
    sql: sql.includes('TRY_CAST("x" AS DOUBLE)') && typeof model.trainForestInEngine === "function",
    table: reportLib.textTable(["a"], [["1"]]).length > 0, plotly: reportLib.plotlySource().length > 1e6 };
  console.log(JSON.stringify(result));`;
const EXPECTED = { rows: 211, p: true, auc: 1, lr: true, sql: true, table: true, plotly: true };

describe("the packed libraries in another project", () => {
  it("each tarball holds dist, README and package.json only, with a complete manifest", () => {
    for (const lib of LIBS) {
      const dir = join(consumer, "node_modules", "@pipe", lib);
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      expect(pkg).toMatchObject({ name: `@pipe/${lib}`, license: "MIT", sideEffects: false, files: ["dist", "README.md"], engines: { node: ">=20" } });
      expect(pkg.repository.directory).toBe(`packages/${lib}`);
      expect(pkg.exports["."]).toMatchObject({ import: { types: "./dist/index.d.ts" }, require: { types: "./dist/index.d.cts" } });
      expect(JSON.stringify(pkg.dependencies ?? {})).not.toContain("workspace:");
      expect(readdirSync(dir).sort()).toEqual(["README.md", "dist", "package.json"]);
    }
  });

  it("works from an ES module, every package", () => {
    writeFileSync(
      join(consumer, "esm.mjs"),
      `import * as etl from "@pipe/etl";
import * as stats from "@pipe/stats";
import * as model from "@pipe/model";
import * as reportLib from "@pipe/report";
${USES}
`,
    );
    expect(JSON.parse(run(process.execPath, ["esm.mjs"], consumer))).toEqual(EXPECTED);
  });

  it("works from CommonJS, every package", () => {
    writeFileSync(
      join(consumer, "cjs.cjs"),
      `const etl = require("@pipe/etl");
const stats = require("@pipe/stats");
const model = require("@pipe/model");
const reportLib = require("@pipe/report");
(async () => {${USES}
})();
`,
    );
    expect(JSON.parse(run(process.execPath, ["cjs.cjs"], consumer))).toEqual(EXPECTED);
  });

  it.each([
    ["node16", { module: "node16", moduleResolution: "node16" }],
    ["bundler", { module: "esnext", moduleResolution: "bundler" }],
  ])("type-checks strict TypeScript against the published declarations (moduleResolution %s)", (name, resolution) => {
    writeFileSync(
      join(consumer, "check.ts"),
      `import { type DatasetSchema, type EtlOptions, parseCsv } from "@pipe/etl";
import { type Analysis, chiSquareIndependence } from "@pipe/stats";
import { type BinaryMetrics, binaryMetrics, LogisticRegression, PipeModel } from "@pipe/model";
import { type MetricsDoc, formatMetricsText } from "@pipe/report";
const options: EtlOptions = { target: "y", maxMissingShare: 0.4 };
const m: BinaryMetrics = binaryMetrics([0, 1, 1], [0.2, 0.7, 0.4]);
const chi: number = chiSquareIndependence([[1, 2], [3, 4]]).pvalue;
const parse: (text: string) => PipeModel = (t) => PipeModel.parse(t);
const f: (doc: MetricsDoc) => string = formatMetricsText;
const lr: LogisticRegression = new LogisticRegression({ C: 1 });
let schema: DatasetSchema | undefined;
let analysis: Analysis | undefined;
export { options, m, chi, parse, f, lr, schema, analysis, parseCsv };
`,
    );
    // A CommonJS TypeScript file resolves the packages' "require" conditions (.d.cts).
    writeFileSync(
      join(consumer, "check-cjs.cts"),
      `import etl = require("@pipe/etl");
import model = require("@pipe/model");
import stats = require("@pipe/stats");
import report = require("@pipe/report");
export const used: [typeof etl.runEtl, typeof model.rocAuc, typeof stats.welchTTest, typeof report.textTable] = [etl.runEtl, model.rocAuc, stats.welchTTest, report.textTable];
`,
    );
    const files = name === "node16" ? ["check.ts", "check-cjs.cts"] : ["check.ts"];
    writeFileSync(
      join(consumer, `tsconfig.${name}.json`),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, ...resolution, target: "es2022", skipLibCheck: false, types: ["node"] },
        files,
      }),
    );
    const r = spawnSync(join(consumer, "node_modules/.bin/tsc"), ["-p", `tsconfig.${name}.json`], { cwd: consumer, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it.each(LIBS)("@pipe/%s passes publint and attw (are the types wrong?)", (lib) => {
    const dir = join(ROOT, "packages", lib);
    const publint = spawnSync(join(ROOT, "node_modules/.bin/publint"), ["--strict", "--pack", "pnpm"], { cwd: dir, encoding: "utf8" });
    expect(publint.stdout + publint.stderr).not.toMatch(/Warnings:|Errors:|Suggestions:/);
    expect(publint.status).toBe(0);
    const attw = spawnSync(join(ROOT, "node_modules/.bin/attw"), [tarball(lib), "--format", "json"], { cwd: dir, encoding: "utf8" });
    const problems = (JSON.parse(attw.stdout) as { analysis: { problems: unknown[] } }).analysis.problems;
    expect(problems).toEqual([]);
    expect(attw.status).toBe(0);
  });

  it("@pipe/model installs with its dependencies in 10 MB or less", () => {
    const alone = join(tmp.dir, "model-alone");
    mkdirSync(alone);
    writeFileSync(join(alone, "package.json"), JSON.stringify({ name: "model-alone", private: true }));
    npmInstall(alone, [tarball("model")]);
    const bytes = directorySize(join(alone, "node_modules"));
    console.log(`compass: @pipe/model installed: ${(bytes / 1e6).toFixed(2)} MB`);
    expect(bytes).toBeLessThanOrEqual(10e6);
  });
});
