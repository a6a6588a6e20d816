import { driftReport } from "@pipe/stats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../../test-support/index.js";
import type { RawRecord } from "../frame.js";
import { PipeModel } from "../model.js";
import { Random } from "../random.js";
import { processed, recordsOf, trainOn } from "../train.test-util.js";
import { DriftSample, PREDICTION_COLUMN, REFERENCE_SAMPLE } from "./reference.js";

const tmp = tempDir("pipe-drift-");
afterAll(tmp.cleanup);

let model: PipeModel;
let records: RawRecord[];
let train: Int32Array;
let test: Int32Array;
beforeAll(async () => {
  const data = await processed(tmp.dir, "telco", DATASETS.telco, { target: "Churn", positive: "Yes" });
  const trained = await trainOn(data, { forest: { nEstimators: 30 } });
  // Through its file, as `pipe drift` and the API read it.
  model = PipeModel.parse(trained.model.serialize());
  train = trained.split.train;
  test = trained.split.test;
  records = recordsOf(
    data.table,
    Int32Array.from({ length: data.table.rows }, (_, i) => i),
  );
}, 120_000);

function reportOf(rows: RawRecord[]) {
  const sample = new DriftSample(model);
  const scored = model.predictBatch(rows);
  rows.forEach((r, i) => {
    sample.add(r, scored[i]?.probability);
  });
  const reference = model.state.driftReference as NonNullable<typeof model.state.driftReference>;
  const prediction = sample.predictionInput(reference);
  return driftReport(sample.inputs(reference), prediction ? { prediction } : {});
}

describe("drift against the training rows kept in the model", () => {
  it("the model file keeps a seeded sample of each numeric column and of the out-of-bag probabilities", () => {
    const ref = model.state.driftReference;
    expect(ref?.rows).toBe(train.length);
    expect(ref?.numeric.tenure).toHaveLength(REFERENCE_SAMPLE);
    expect(ref?.scores).toHaveLength(REFERENCE_SAMPLE);
    expect(test.length).toBeGreaterThan(REFERENCE_SAMPLE);
    expect(ref?.numeric.tenure).toEqual([...(ref?.numeric.tenure ?? [])].sort((a, b) => a - b));
  });

  it("reads a flag's true/false (a warehouse's BOOLEAN) as its Yes/No: no drift where the rows are the same", () => {
    const rng = new Random(11);
    const resample = Array.from({ length: 2000 }, () => records[test[rng.int(test.length)] as number] as RawRecord);
    const asBoolean = (v: unknown) => (v === "Yes" ? "true" : v === "No" ? "false" : v);
    const typed = resample.map((r) => ({ ...r, Partner: asBoolean(r.Partner), PaperlessBilling: asBoolean(r.PaperlessBilling) }));
    const plain = reportOf(resample).columns;
    const fromTable = reportOf(typed).columns;
    for (const column of ["Partner", "PaperlessBilling"]) expect(fromTable.find((c) => c.column === column)).toEqual(plain.find((c) => c.column === column));
    expect(fromTable.filter((c) => c.drifted)).toEqual([]);
  });

  it("finds no drift in a resample of the data the model was made from", () => {
    // Held-out rows: the model never saw them, as it will not see new rows (its probabilities for its
    // own training rows are more extreme than any new row's).
    const rng = new Random(7);
    const resample = Array.from({ length: 2000 }, () => records[test[rng.int(test.length)] as number] as RawRecord);
    const r = reportOf(resample);
    expect(r.dataset_drift).toBe(false);
    expect(r.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual([]);
    expect(r.columns.find((c) => c.column === "tenure")?.method).toBe("wasserstein_normed");
    expect(r.columns.find((c) => c.column === "Contract")?.method).toBe("jensen_shannon");
    expect(r.prediction).toMatchObject({ column: PREDICTION_COLUMN, drifted: false });
  });

  it("finds it in a shifted copy: longer tenure, dearer plans, other contracts, and the predictions that follow", () => {
    const shifted = Array.from(test.subarray(0, 2000), (row) => {
      const r = { ...(records[row] as RawRecord) };
      r.tenure = (r.tenure as number) + 24;
      r.MonthlyCharges = (r.MonthlyCharges as number) * 1.4;
      r.Contract = row % 3 === 0 ? "Month-to-month" : "Two year";
      r.PaymentMethod = "Electronic check";
      return r;
    });
    const r = reportOf(shifted);
    const drifted = r.columns.filter((c) => c.drifted).map((c) => c.column);
    expect(drifted).toEqual(expect.arrayContaining(["tenure", "MonthlyCharges", "Contract", "PaymentMethod"]));
    expect(drifted).not.toContain("gender");
    expect(r.prediction?.drifted).toBe(true);
  });

  it("a small reference is tested (KS, chi-square) rather than measured", () => {
    const ref = model.state.driftReference as NonNullable<typeof model.state.driftReference>;
    const sample = new DriftSample(model);
    for (const r of records.slice(0, 300)) sample.add(r);
    const r = driftReport(sample.inputs({ ...ref, rows: 800 }));
    expect(r.columns.find((c) => c.column === "tenure")?.method).toBe("ks");
    expect(r.columns.find((c) => c.column === "Contract")?.method).toBe("chi_square");
    expect(r.columns.find((c) => c.column === "gender")?.method).toBe("z_proportion");
  });
});
