import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../../test-support/index.js";
import { evaluateModel } from "../evaluate.js";
import type { RawRecord } from "../frame.js";
import { PipeModel } from "../model.js";
import { processed, recordsOf, trainOn } from "../train.test-util.js";

const tmp = tempDir("pipe-gbt-");
afterAll(tmp.cleanup);
let model: PipeModel;
let records: RawRecord[];
let evaluation: Awaited<ReturnType<typeof evaluateModel>>;

beforeAll(async () => {
  const data = await processed(tmp.dir, "telco", DATASETS.telco, { target: "Churn", positive: "Yes" });
  const trained = await trainOn(data, { model: "gbt" });
  model = PipeModel.parse(trained.model.serialize());
  records = recordsOf(data.table, trained.split.test.subarray(0, 200));
  evaluation = await evaluateModel(model, data.table, data.table.y, trained.split.test, 0.265, { permutationRepeats: 1 });
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

  it("explains in log-odds: base + Σ contributions = score, and the probability is its sigmoid", async () => {
    for (const r of records.slice(0, 20)) {
      const { explanation: e, probability } = model.explain(r);
      expect(Math.abs(e.base_value + e.contributions.reduce((s, c) => s + c.contribution, 0) - e.score)).toBeLessThan(1e-12);
      expect(Math.abs(1 / (1 + Math.exp(-e.score)) - probability)).toBeLessThan(1e-12);
      expect(probability).toBe(model.predict(r).probability);
    }
    const batch = await model.explainEachAsync(records.slice(0, 20));
    expect(batch).toEqual(records.slice(0, 20).map((r) => model.explain(r)));
    // Boosted trees are small: the report's sample is every test row up to its cap of 1,000.
    expect(evaluation.explanations?.rows).toBe(Math.min(1000, evaluation.scores.length));
  });

  it("picks as the report's borderline example the sampled row whose probability is nearest the threshold", () => {
    const e = evaluation.explanations as NonNullable<typeof evaluation.explanations>;
    const rows = e.sample[0]?.contributions.length ?? 0;
    // Each sampled row's log-odds: the base plus its contributions; its probability, their sigmoid.
    const distance = (i: number) =>
      Math.abs(1 / (1 + Math.exp(-e.sample.reduce((s, c) => s + (c.contributions[i] as number), e.base_value))) - model.state.threshold);
    const nearest = Math.min(...Array.from({ length: rows }, (_, i) => distance(i)));
    const border = e.examples.find((x) => x.title === "the probability closest to the threshold");
    expect(Math.abs((border?.probability as number) - model.state.threshold)).toBeCloseTo(nearest, 9);
  });
});
