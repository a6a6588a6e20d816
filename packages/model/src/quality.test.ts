import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type EtlOptions, openSource, readProcessed, runEtl } from "@pipe/etl";
import { afterAll, describe, expect, it } from "vitest";
import { credit, survey } from "../../../test-support/generate.mjs";
import { ADULT_COLUMNS, DATASETS, FIXTURES, PIMA_COLUMNS, tempDir } from "../../../test-support/index.js";
import { rocAuc } from "./metrics/curves.js";
import { logLoss } from "./metrics/probabilistic.js";
import { trainModel } from "./train.js";

// The default model against scikit-learn's forest in the careful protocol (test-support/fixtures/
// quality.json, from make_quality_fixtures.py), on every published dataset and two generated ones no
// other test trains on: test ROC AUC at least scikit-learn's − 0.01; test log loss at most
// scikit-learn's (the forest's probabilities are calibrated on its out-of-bag scores), with the
// ranking — so the AUC — exactly the uncalibrated forest's.
const quality = JSON.parse(readFileSync(join(FIXTURES, "quality.json"), "utf8")).datasets as Record<string, { rf: { auc: number; log_loss: number } }>;
const tmp = tempDir("pipe-quality-");
afterAll(tmp.cleanup);
const written = (name: string, text: string) => {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
};

const cases: [string, () => string, EtlOptions][] = [
  ["titanic", () => DATASETS.titanic, { target: "Survived" }],
  ["telco-churn", () => DATASETS.telco, { target: "Churn", positive: "Yes" }],
  ["adult", () => DATASETS.adult, { target: "income", columns: ADULT_COLUMNS }],
  ["pima", () => DATASETS.pima, { target: "outcome", columns: PIMA_COLUMNS }],
  ["heart", () => DATASETS.heart, { target: "target" }],
  ["survey (generated)", () => written("survey.csv", survey()), { target: "satisfied" }],
  ["credit (generated)", () => written("credit.csv", credit()), { target: "default" }],
];

describe.each(cases)("%s: the default forest against scikit-learn's", (name, input, options) => {
  it("AUC ≥ scikit-learn's − 0.01, log loss ≤ scikit-learn's, ranking unchanged by the calibration", async () => {
    const out = { processed: join(tmp.dir, `${name}.csv`), rejected: join(tmp.dir, `${name}.rej.csv`) };
    const { schema } = await runEtl(openSource(input()), options, out);
    const table = await readProcessed(out.processed, schema);
    const { model, split } = await trainModel(table, table.featureKinds, table.y, {
      target: schema.target,
      classes: [schema.negativeClass, schema.positiveClass],
      positiveClass: schema.positiveClass,
      testSize: 0.3,
      seed: 42,
      dataSha256: "test",
      forest: { nEstimators: 100 },
    });
    const X = model.preprocessor.transform(table, split.test);
    const y = Uint8Array.from(split.test, (i) => table.y[i] as number);
    const p = model.predictProba(X);
    const raw = model.state.forest.predictProba(X);
    const sk = quality[name]?.rf;
    if (!sk) throw new Error(`no reference for ${name}`);
    const auc = rocAuc(y, p);
    console.log(
      `compass: ${name}: AUC ${auc.toFixed(4)} (scikit-learn ${sk.auc.toFixed(4)}), log loss ${logLoss(y, p).toFixed(4)} (scikit-learn ${sk.log_loss.toFixed(4)}; uncalibrated ${logLoss(y, raw).toFixed(4)})`,
    );
    expect(model.state.calibration?.method).toBe("platt-oob");
    expect(auc).toBeGreaterThanOrEqual(sk.auc - 0.01);
    expect(logLoss(y, p)).toBeLessThanOrEqual(sk.log_loss);
    // Monotone, so the same ranking; two forest means a rounding apart may land on one calibrated double.
    expect(Math.abs(auc - rocAuc(y, raw))).toBeLessThan(1e-5);
  });
});
