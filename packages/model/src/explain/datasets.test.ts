import type { EtlOptions } from "@pipe/etl";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ADULT_COLUMNS, DATASETS, PIMA_COLUMNS, tempDir } from "../../../../test-support/index.js";
import type { RawRecord } from "../frame.js";
import { processed, recordsOf, trainOn } from "../train.test-util.js";
import { explainTestRows } from "./summary.js";
import { BLOCK } from "./tree-shap.js";

// Additivity on every row of every shared dataset's test split: base value + Σ contributions is the
// forest's score to 1e-12, and each contribution is as the single-row path computes it. The forests
// have the default depth and features per split; three trees each (additivity holds tree by tree, and
// explaining Adult's 9,762 test rows with 100 trees would take minutes).
const tmp = tempDir("pipe-explain-");
afterAll(tmp.cleanup);

const cases: [string, string, EtlOptions][] = [
  ["titanic", DATASETS.titanic, { target: "Survived" }],
  ["telco-churn", DATASETS.telco, { target: "Churn", positive: "Yes" }],
  ["adult", DATASETS.adult, { target: "income", columns: ADULT_COLUMNS }],
  ["pima", DATASETS.pima, { target: "outcome", columns: PIMA_COLUMNS }],
  ["heart", DATASETS.heart, { target: "target" }],
  [
    "kddcup99 (first 20,000 rows)",
    DATASETS.kddSample,
    { target: "column_42", header: false, positive: "normal", rules: { column_42: { recode: { "normal.": "normal" }, otherwise: "attack" } } },
  ],
];

describe.each(cases)("%s: explanations of every test row", (name, input, options) => {
  it("add up to the forest's score, the same in a batch on workers as row by row", async () => {
    const data = await processed(tmp.dir, name, input, options);
    const { table } = data;
    const { model, split } = await trainOn(data, { forest: { nEstimators: 3 } });
    const records = recordsOf(table, split.test);
    const explained = await model.explainEachAsync(records);
    const scores = model.state.forest.predictProba(model.preprocessor.transform(table, split.test));
    let worst = 0;
    explained.forEach((p, i) => {
      if (!("explanation" in p)) throw new Error(`row ${i} was not explained: ${p.message}`);
      const e = p.explanation;
      expect(e.score).toBe(scores[i]);
      worst = Math.max(worst, Math.abs(e.base_value + e.contributions.reduce((s, c) => s + c.contribution, 0) - e.score));
    });
    console.log(`compass: ${name}: ${records.length} test rows explained, largest additivity error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-12);
    for (const i of [0, Math.floor(records.length / 2), records.length - 1]) expect(model.explain(records[i] as RawRecord)).toEqual(explained[i]);
    // Options per record (a service's requests for different top k, walked together): each record's own.
    const few = records.slice(0, 6);
    const tops = few.map((_, i) => (i % 3 === 0 ? {} : { top: i % 3 }));
    const mixed = await model.explainEachAsync(few, tops);
    expect(mixed).toEqual(few.map((r, i) => model.explain(r, tops[i])));

    // The service's warm-up: one block of rows through the explainer the requests use, on the threads asked for.
    const walk = vi.spyOn(model.explainer, "explainMatrix");
    await model.warmUpExplanations(2);
    expect(walk).toHaveBeenCalledTimes(1);
    expect(walk.mock.calls[0]?.[0][0]).toHaveLength(BLOCK);
    expect(walk.mock.calls[0]?.[1]).toBe(2);
    walk.mockRestore();

    // The report's summary: importance largest first, three rows explained in full that add up too.
    const summary = await explainTestRows(model, table, split.test, 42);
    if (!summary) throw new Error("no summary");
    const means = summary.importance.map((c) => c.mean_abs);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    expect(summary.sample.every((c) => c.values.length === summary.rows && c.contributions.length === summary.rows)).toBe(true);
    expect(summary.examples).toHaveLength(3);
    for (const x of summary.examples) {
      expect(Math.abs(summary.base_value + x.contributions.reduce((s, c) => s + c.contribution, x.rest) - x.score)).toBeLessThan(1e-12);
    }
  });
});
