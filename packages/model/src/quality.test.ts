import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EtlOptions } from "@pipe/etl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credit, survey } from "../../../test-support/generate.mjs";
import { ADULT_COLUMNS, DATASETS, FIXTURES, PIMA_COLUMNS, tempDir } from "../../../test-support/index.js";
import { rocAuc } from "./metrics/curves.js";
import { logLoss } from "./metrics/probabilistic.js";
import type { PipeModel } from "./model.js";
import type { TrainOptions } from "./train.js";
import { processed, trainOn } from "./train.test-util.js";

// The default models against scikit-learn's in the careful protocol (test-support/fixtures/quality.json,
// from make_quality_fixtures.py), on every published dataset and two generated ones no other test
// trains on. The forest: test ROC AUC at least scikit-learn's forest's − 0.01, test log loss at most
// its (pipe's probabilities are calibrated on the out-of-bag scores), the ranking — so the AUC —
// exactly the uncalibrated forest's. The boosted trees: AUC at least HistGradientBoosting's − 0.01,
// log loss at most its + 0.01 (neither is calibrated).
const quality = JSON.parse(readFileSync(join(FIXTURES, "quality.json"), "utf8")).datasets as Record<
  string,
  { rf: { auc: number; log_loss: number }; hgb: { auc: number; log_loss: number } }
>;
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

describe.each(cases)("%s: the default models against scikit-learn's", (name, input, options) => {
  let loaded: Awaited<ReturnType<typeof processed>>;
  const reference = () => {
    const r = quality[name];
    if (!r) throw new Error(`no reference for ${name}`);
    return r;
  };
  const train = (extra: Partial<TrainOptions>) => trainOn(loaded, extra);
  const testSet = (model: PipeModel, test: Int32Array) => ({
    X: model.preprocessor.transform(loaded.table, test),
    y: Uint8Array.from(test, (i) => loaded.table.y[i] as number),
  });
  beforeAll(async () => {
    loaded = await processed(tmp.dir, name, input(), options);
  });

  it("the forest: AUC ≥ scikit-learn's − 0.01, log loss ≤ scikit-learn's, ranking unchanged by the calibration", async () => {
    const { model, split } = await train({ forest: { nEstimators: 100 } });
    const { X, y } = testSet(model, split.test);
    const p = model.predictProba(X);
    const raw = model.state.forest.predictProba(X);
    const sk = reference().rf;
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

  it("the boosted trees (--model gbt): AUC ≥ HistGradientBoosting's − 0.01, log loss ≤ its + 0.01", async () => {
    const { model, split } = await train({ model: "gbt" });
    const { X, y } = testSet(model, split.test);
    const p = model.predictProba(X);
    const sk = reference().hgb;
    console.log(
      `compass: ${name}: boosted AUC ${rocAuc(y, p).toFixed(4)} (HistGradientBoosting ${sk.auc.toFixed(4)}), log loss ${logLoss(y, p).toFixed(4)} (${sk.log_loss.toFixed(4)})`,
    );
    expect(rocAuc(y, p)).toBeGreaterThanOrEqual(sk.auc - 0.01);
    expect(logLoss(y, p)).toBeLessThanOrEqual(sk.log_loss + 0.01);
  });
});
