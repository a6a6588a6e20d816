import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const tmp = tempDir("pipe-auto-e2e-");
afterAll(tmp.cleanup);
const out = join(tmp.dir, "out");
const run = pipe(["run", "--input", DATASETS.heart, "--target", "target", "--out", out, "--model", "auto", "--trees", "30", "--no-png"], tmp.dir);
const readJson = (name: string) => JSON.parse(readFileSync(join(out, name), "utf8"));

describe("pipe run --model auto", () => {
  it("compares four models by cross-validation on the training rows and saves the better tree model", () => {
    expect(run.code).toBe(0);
    const m = readJson("metrics.json");
    const s = m.model_selection;
    expect(s.folds).toBe(5);
    expect(s.candidates.map((c: { kind: string }) => c.kind)).toEqual(["majority", "logistic", "forest", "gbt"]);
    const trees = s.candidates.filter((c: { kind: string }) => c.kind === "forest" || c.kind === "gbt");
    const saved = s.candidates.filter((c: { saved: boolean }) => c.saved);
    expect(saved).toHaveLength(1);
    const [forest, gbt] = trees;
    expect(saved[0].kind).toBe(gbt.cv_roc_auc_mean > forest.cv_roc_auc_mean + s.tie ? "gbt" : "forest");
    expect(m.model.kind).toBe(saved[0].kind);
    // The saved model's test figures are the ones the evaluation measured.
    expect(saved[0].test_roc_auc).toBeCloseTo(m.roc_auc, 12);
    for (const c of s.candidates) expect(c.cv_roc_auc_std).toBeGreaterThanOrEqual(0);
    expect(run.stderr).toContain(`train: ${s.note}`);
    expect(readFileSync(join(out, "metrics.txt"), "utf8")).toMatch(/^Model choice \(--model auto, 5-fold cross-validation on the training rows\)/m);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<h3>Model choice</h3>");
  });
});
