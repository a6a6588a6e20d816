import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "@pipe/etl";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe, serve } from "./cli.js";

const tmp = tempDir("pipe-gbt-e2e-");
afterAll(tmp.cleanup);
const out = join(tmp.dir, "out");
const run = pipe(["run", "--input", DATASETS.titanic, "--target", "Survived", "--out", out, "--model", "gbt", "--no-png"], tmp.dir);
const readJson = (name: string) => JSON.parse(readFileSync(join(out, name), "utf8"));

describe("pipe run --model gbt", () => {
  it("trains gradient-boosted trees and reports them as such", () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/train: 100 boosted trees \(no early stopping\)/);
    const m = readJson("metrics.json");
    expect(m.model.kind).toBe("gbt");
    expect(m.model.hyperparameters).toMatchObject({ learningRate: 0.1, maxLeafNodes: 31, minSamplesLeaf: 20, iterations: 100 });
    expect(m.roc_auc).toBeGreaterThan(0.8);
    expect(readFileSync(join(out, "metrics.txt"), "utf8")).toMatch(/^gradient-boosted trees\s+0\.\d{4}/m);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("Gradient-boosted trees: 100 boosting iterations");
    expect(readFileSync(join(out, "model_card.md"), "utf8")).toMatch(
      /^Gradient-boosted trees: 100 boosting iterations \(log loss, histogram splits\); hyper-parameters: learningRate 0\.1/m,
    );
  });

  it("predicts and explains rows in log-odds from the command line", () => {
    const scored = join(tmp.dir, "scored.csv");
    expect(pipe(["predict", "--model", join(out, "model.json"), "--input", DATASETS.titanic, "--output", scored, "--explain", "--quiet"], tmp.dir).code).toBe(
      0,
    );
    const [header, ...rows] = parseCsv(readFileSync(scored, "utf8"), { delimiter: "," }).map((r) => r.fields) as [string[], ...string[][]];
    const at = (n: string) => header.indexOf(n);
    const columns = header.filter((h) => h.startsWith("contribution_"));
    for (const row of rows.slice(0, 100)) {
      const score = Number(row[at("score")]);
      expect(Math.abs(columns.reduce((s, c) => s + Number(row[at(c)]), Number(row[at("base_value")])) - score)).toBeLessThan(1e-12);
      expect(Math.abs(1 / (1 + Math.exp(-score)) - Number(row[at("probability")]))).toBeLessThan(1e-12);
    }
  });

  it("a bad kind is a usage error naming the flag", () => {
    const r = pipe(["train", "--out", out, "--model", "svm"], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model svm/);
  });

  it("is served like a forest, with explanations", async () => {
    const { url, stop } = await serve(join(out, "model.json"), tmp.dir);
    try {
      const res = await fetch(`${url}/predict?explain=2`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ Pclass: 1, Sex: "female", Age: 30 }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { probability: number; explanation: { score: number; contributions: unknown[] } };
      expect(body.explanation.contributions).toHaveLength(2);
      expect(Math.abs(1 / (1 + Math.exp(-body.explanation.score)) - body.probability)).toBeLessThan(1e-12);
      const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { info: { description: string } };
      expect(doc.info.description).toMatch(/^Gradient-boosted trees \(100 trees\)/);
    } finally {
      await stop();
    }
  }, 60_000);
});
