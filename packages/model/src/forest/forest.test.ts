import { describe, expect, it } from "vitest";
import { rocAuc } from "../metrics/curves.js";
import { Random } from "../random.js";
import { binOf, fitBinEdges } from "./binning.js";
import { RandomForestClassifier } from "./forest.js";

/** Two informative features, one noise feature; P(y=1) rises with x0 + x1. */
function synthetic(n: number, seed: number) {
  const r = new Random(seed);
  const X = [new Float64Array(n), new Float64Array(n), new Float64Array(n)] as const;
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = r.next() * 4 - 2;
    const b = r.next() * 4 - 2;
    X[0][i] = a;
    X[1][i] = Math.round(b * 2) / 2; // few distinct values, like a category code
    X[2][i] = r.next();
    y[i] = r.next() < 1 / (1 + Math.exp(-2 * (a + b))) ? 1 : 0;
  }
  return { X, y };
}

describe("binning", () => {
  it("gives one bin per value for few distinct values, with midpoint edges", () => {
    const e = fitBinEdges(Float64Array.from([3, 1, 2, 2, 1]));
    expect(Array.from(e)).toEqual([1.5, 2.5]);
    expect([1, 2, 3].map((v) => binOf(e, v))).toEqual([0, 1, 2]);
  });
  it("caps at 256 bins, never splitting equal values", () => {
    const v = Float64Array.from({ length: 10_000 }, (_, i) => i % 3000);
    const e = fitBinEdges(v);
    expect(e.length).toBeLessThanOrEqual(255);
    for (let k = 1; k < e.length; k++) expect(e[k] as number).toBeGreaterThan(e[k - 1] as number);
  });
});

describe("RandomForestClassifier", () => {
  const train = synthetic(3000, 1);
  const test = synthetic(2000, 2);

  it("learns a signal: test ROC AUC near the Bayes rate, noise feature least important", () => {
    const rf = new RandomForestClassifier({ nEstimators: 50, seed: 3, minSamplesLeaf: 3 }).fit(train.X, train.y);
    const p = rf.predictProba(test.X);
    expect(rocAuc(test.y, p)).toBeGreaterThan(0.85);
    for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
    const imp = Array.from(rf.featureImportances);
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(imp[2]).toBeLessThan(Math.min(imp[0] as number, imp[1] as number));
    const oob = Array.from(rf.oobProba).filter((v) => !Number.isNaN(v));
    expect(oob.length).toBeGreaterThan(2900);
  });

  it("is reproducible: same data and seed give the same trees", () => {
    const a = new RandomForestClassifier({ nEstimators: 10, seed: 9 }).fit(train.X, train.y);
    const b = new RandomForestClassifier({ nEstimators: 10, seed: 9 }).fit(train.X, train.y);
    expect(a.trees).toEqual(b.trees);
    const c = new RandomForestClassifier({ nEstimators: 10, seed: 10 }).fit(train.X, train.y);
    expect(c.trees).not.toEqual(a.trees);
  });

  it("averages leaf class fractions: one tree without bootstrap on separable data gives 0 or 1", () => {
    const X = [Float64Array.from([1, 2, 3, 4, 5, 6])];
    const y = Uint8Array.from([0, 0, 0, 1, 1, 1]);
    const rf = new RandomForestClassifier({ nEstimators: 1, bootstrap: false, maxFeatures: 1 }).fit(X, y);
    expect(Array.from(rf.predictProba(X))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(rf.trees[0]?.threshold[0]).toBe(3.5);
  });

  it("respects maxDepth and minSamplesLeaf", () => {
    const shallow = new RandomForestClassifier({ nEstimators: 5, maxDepth: 2, seed: 1 }).fit(train.X, train.y);
    for (const t of shallow.trees) expect(t.feature.length).toBeLessThanOrEqual(7);
    const leafy = new RandomForestClassifier({ nEstimators: 3, minSamplesLeaf: 200, seed: 1, bootstrap: false }).fit(train.X, train.y);
    for (const t of leafy.trees) expect(t.feature.length).toBeLessThan(2 * (3000 / 200));
  });

  it("balanced class weights raise the minority's probabilities", () => {
    const y = Uint8Array.from(train.y, (v, i) => (v === 1 && i % 4 !== 0 ? 0 : v)); // make positives rare
    const plain = new RandomForestClassifier({ nEstimators: 20, seed: 5, minSamplesLeaf: 20 }).fit(train.X, y);
    const balanced = new RandomForestClassifier({ nEstimators: 20, seed: 5, minSamplesLeaf: 20, classWeight: "balanced" }).fit(train.X, y);
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(balanced.predictProba(test.X))).toBeGreaterThan(mean(plain.predictProba(test.X)) + 0.1);
  });

  it("refuses bad hyper-parameters and one-class targets with clear messages", () => {
    expect(() => new RandomForestClassifier({ nEstimators: 0 })).toThrow(/nEstimators/);
    expect(() => new RandomForestClassifier({ minSamplesLeaf: 0 })).toThrow(/minSamplesLeaf/);
    expect(() => new RandomForestClassifier().fit(train.X, new Uint8Array(3000))).toThrow(/one class/);
  });
});
