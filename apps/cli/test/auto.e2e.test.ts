import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "@pipe/etl";
import { PipeModel } from "@pipe/model";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe, serve } from "./cli.js";

const tmp = tempDir("pipe-auto-e2e-");
afterAll(tmp.cleanup);

interface Candidate {
  kind: string;
  name: string;
  cv_roc_auc_mean: number;
  cv_roc_auc_std: number;
  test_roc_auc: number;
  saved: boolean;
}

/** The rule the selection must follow: the best CV ROC AUC, the simplest savable model within the tie. */
function expectedChoice(candidates: readonly Candidate[], tie: number): string {
  const savable = candidates.filter((c) => c.kind !== "majority");
  const best = Math.max(...savable.map((c) => c.cv_roc_auc_mean));
  return (savable.find((c) => c.cv_roc_auc_mean >= best - tie) as Candidate).kind;
}

function runAuto(name: string, args: string[]) {
  const out = join(tmp.dir, name);
  const run = pipe(["run", ...args, "--out", out, "--model", "auto", "--no-png"], tmp.dir);
  return { out, run, readJson: (file: string) => JSON.parse(readFileSync(join(out, file), "utf8")) };
}

describe("pipe run --model auto", () => {
  const heart = runAuto("heart", ["--input", DATASETS.heart, "--target", "target", "--trees", "30"]);

  it("compares four models by cross-validation on the training rows and saves the best, the simplest on a tie", () => {
    expect(heart.run.code).toBe(0);
    const m = heart.readJson("metrics.json");
    const s = m.model_selection;
    expect(s.folds).toBe(5);
    expect(s.candidates.map((c: Candidate) => c.kind)).toEqual(["majority", "logistic", "forest", "gbt"]);
    const saved = s.candidates.filter((c: Candidate) => c.saved);
    expect(saved).toHaveLength(1);
    expect(saved[0].kind).toBe(expectedChoice(s.candidates, s.tie));
    expect(m.model.kind).toBe(saved[0].kind);
    // The saved model's test figures are the ones the evaluation measured.
    expect(saved[0].test_roc_auc).toBeCloseTo(m.roc_auc, 12);
    for (const c of s.candidates) expect(c.cv_roc_auc_std).toBeGreaterThanOrEqual(0);
    expect(heart.run.stderr).toContain(`train: ${s.note}`);
    expect(readFileSync(join(heart.out, "metrics.txt"), "utf8")).toMatch(/^Model choice \(--model auto, 5-fold cross-validation on the training rows\)/m);
    expect(readFileSync(join(heart.out, "report.html"), "utf8")).toContain("<h3>Model choice</h3>");
  });

  // The bundled Telco data is close to linear: the logistic regression wins the cross-validation.
  const telco = runAuto("telco", ["--input", DATASETS.telco, "--target", "Churn", "--positive", "Yes"]);
  const modelPath = join(telco.out, "model.json");

  it("saves the logistic regression when it cross-validates best, and reports it as what it is", () => {
    expect(telco.run.code).toBe(0);
    const m = telco.readJson("metrics.json");
    const s = m.model_selection;
    const logistic = s.candidates.find((c: Candidate) => c.kind === "logistic") as Candidate;
    expect(expectedChoice(s.candidates, s.tie)).toBe("logistic");
    expect(logistic.saved).toBe(true);
    expect(m.model.kind).toBe("logistic");
    expect(m.model.trees).toBe(0);
    expect(m.model.hyperparameters).toMatchObject({ C: 1, penalty: "l2", class_weight: null });
    expect(logistic.test_roc_auc).toBeCloseTo(m.roc_auc, 12);
    // The model is its own logistic baseline: only the majority class is left to compare with.
    expect(m.baselines.map((b: { name: string }) => b.name)).toEqual(["majority class (training positive rate)"]);
    expect(telco.run.stderr).toMatch(/train: a logistic regression of \d+ weights \(newton, \d+ iterations\)/);
    const text = readFileSync(join(telco.out, "metrics.txt"), "utf8");
    expect(text).toMatch(/^Logistic regression \(L2, C = 1\) with \d+ weights/m);
    expect(text).toMatch(/^logistic regression\s+0\.\d{4}/m);
    expect(text).not.toMatch(/TreeSHAP|Random forest|0 trees/);
    expect(readFileSync(join(telco.out, "model_card.md"), "utf8")).toMatch(/Logistic regression \(L2, C = 1\) with \d+ weights/);
    // Explanations in log-odds over the test rows, in the report too.
    expect(m.explanations.rows).toBeGreaterThan(0);
    expect(readFileSync(join(telco.out, "report.html"), "utf8")).toContain("the logistic regression's log-odds of Yes");
  });

  it("predicts and explains with the saved logistic regression from the command line", () => {
    const model = PipeModel.parse(readFileSync(modelPath));
    const scored = join(tmp.dir, "telco-scored.csv");
    expect(pipe(["predict", "--model", modelPath, "--input", DATASETS.telco, "--output", scored, "--explain", "--quiet"], tmp.dir).code).toBe(0);
    const [header, ...rows] = parseCsv(readFileSync(scored, "utf8"), { delimiter: "," }).map((r) => r.fields) as [string[], ...string[][]];
    const at = (n: string) => header.indexOf(n);
    const contributions = header.filter((h) => h.startsWith("contribution_"));
    expect(contributions.length).toBe(model.state.preprocessing.specs.length);
    for (const row of rows.slice(0, 200)) {
      const score = Number(row[at("score")]);
      // base + Σ contributions = log-odds; the probability is their sigmoid, and the library's own.
      expect(Math.abs(contributions.reduce((sum, c) => sum + Number(row[at(c)]), Number(row[at("base_value")])) - score)).toBeLessThan(1e-12);
      expect(Math.abs(1 / (1 + Math.exp(-score)) - Number(row[at("probability")]))).toBeLessThan(1e-12);
      const record = Object.fromEntries(header.slice(0, at("probability")).map((h, j) => [h, row[j]]));
      expect(Number(row[at("probability")])).toBe(model.predict(record).probability);
    }
  });

  it("is served with its kind, explanations and importances", async () => {
    const { url, stop } = await serve(modelPath, tmp.dir);
    try {
      const info = (await (await fetch(`${url}/model`)).json()) as { kind: string; trees: number; weights: number };
      expect(info.kind).toBe("logistic");
      expect(info.trees).toBe(0);
      expect(info.weights).toBeGreaterThan(19);
      const res = await fetch(`${url}/predict?explain=3`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ tenure: 2, Contract: "Month-to-month", MonthlyCharges: 70.7, InternetService: "Fiber optic" }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        probability: number;
        explanation: { score: number; base_value: number; contributions: { contribution: number }[]; rest: number };
      };
      expect(body.explanation.contributions).toHaveLength(3);
      const e = body.explanation;
      expect(Math.abs(e.base_value + e.contributions.reduce((s, c) => s + c.contribution, 0) + e.rest - e.score)).toBeLessThan(1e-12);
      expect(Math.abs(1 / (1 + Math.exp(-e.score)) - body.probability)).toBeLessThan(1e-12);
      const importance = (await (await fetch(`${url}/model/importance`)).json()) as { method: string; importance: { impurity: number }[] };
      expect(importance.method).toBe("weight");
      expect(importance.importance.reduce((s, i) => s + i.impurity, 0)).toBeCloseTo(1, 12);
      const batch = await fetch(`${url}/predict/batch?explain=true`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ records: [{ tenure: 70 }, { tenure: 1, Contract: "Month-to-month" }] }),
      });
      expect(batch.status).toBe(200);
    } finally {
      expect(await stop()).toBe(0);
    }
  });
});
