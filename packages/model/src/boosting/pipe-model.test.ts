import { join } from "node:path";
import { openSource, readProcessed, runEtl } from "@pipe/etl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../../test-support/index.js";
import { evaluateModel } from "../evaluate.js";
import { PipeModel } from "../model.js";
import { trainModel } from "../train.js";

const tmp = tempDir("pipe-gbt-");
afterAll(tmp.cleanup);
let model: PipeModel;
let records: Record<string, unknown>[];
let evaluation: Awaited<ReturnType<typeof evaluateModel>>;

beforeAll(async () => {
  const out = { processed: join(tmp.dir, "t.csv"), rejected: join(tmp.dir, "t.rej.csv") };
  const { schema } = await runEtl(openSource(DATASETS.telco), { target: "Churn", positive: "Yes" }, out);
  const table = await readProcessed(out.processed, schema);
  const trained = await trainModel(table, table.featureKinds, table.y, {
    target: "Churn",
    classes: [schema.negativeClass, schema.positiveClass],
    positiveClass: schema.positiveClass,
    testSize: 0.3,
    seed: 42,
    dataSha256: "test",
    model: "gbt",
  });
  model = PipeModel.parse(trained.model.serialize());
  records = Array.from(trained.split.test.subarray(0, 200), (row) =>
    Object.fromEntries(
      table.featureKinds.map((f) => {
        const v = f.kind === "numeric" ? (table.numeric.get(f.name) as Float64Array)[row] : (table.categorical.get(f.name) as string[])[row];
        return [f.name, typeof v === "number" && Number.isNaN(v) ? null : v];
      }),
    ),
  );
  evaluation = await evaluateModel(model, table, table.y, trained.split.test, 0.265, { permutationRepeats: 1 });
}, 120_000);

describe("a PipeModel of gradient-boosted trees", () => {
  it("round-trips through its file, predicts the same one by one and in batches, and says what it is", () => {
    expect(model.kindName).toBe("gradient-boosted trees");
    expect(model.state.calibration).toBeNull();
    expect(model.state.boosting?.params.maxLeafNodes).toBe(31);
    const one = records.map((r) => model.predict(r).probability);
    expect(model.predictBatch(records).map((p) => p.probability)).toEqual(one);
    expect(PipeModel.parse(model.serialize()).predictBatch(records)).toEqual(model.predictBatch(records));
    for (const p of one) expect(p > 0 && p < 1).toBe(true);
  });

  it("is as good as scikit-learn's HistGradientBoosting is on Telco (test ROC AUC ≥ 0.83)", () => {
    expect(evaluation.metrics.roc_auc).toBeGreaterThan(0.83);
  });

  it("explains in log-odds: base + Σ contributions = score, and the probability is its sigmoid", async () => {
    for (const r of records.slice(0, 20)) {
      const { explanation: e, probability } = model.explain(r);
      expect(Math.abs(e.base_value + e.contributions.reduce((s, c) => s + c.contribution, 0) - e.score)).toBeLessThan(1e-12);
      expect(Math.abs(1 / (1 + Math.exp(-e.score)) - probability)).toBeLessThan(1e-12);
      expect(probability).toBe(model.predict(r).probability);
    }
    const batch = await model.explainEachAsync(records.slice(0, 20));
    expect(batch).toEqual(records.slice(0, 20).map((r) => model.explain(r)));
    expect(evaluation.explanations?.rows).toBe(Math.min(1000, evaluation.scores.length));
  });
});
