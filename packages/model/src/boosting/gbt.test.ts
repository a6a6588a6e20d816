import { describe, expect, it } from "vitest";
import { treeExplainer } from "../explain/tree-shap.js";
import { packForest, predictPacked } from "../forest/packed.js";
import { rocAuc } from "../metrics/curves.js";
import { Random } from "../random.js";
import { withoutWasm } from "../wasm/switch.js";
import { GradientBoostingClassifier, sigmoid } from "./gbt.js";

/** A non-linear signal in four of six features, with label noise. */
function data(n: number, seed: number) {
  const rng = new Random(seed);
  const X = Array.from({ length: 6 }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const col of X) col[i] = rng.next() * 2 - 1;
    const x = (f: number) => (X[f] as Float64Array)[i] as number;
    const z = 2 * x(0) + 3 * x(1) * x(2) - 2 * Math.abs(x(3));
    y[i] = rng.next() < sigmoid(2 * z) ? 1 : 0;
  }
  return { X, y };
}

describe("GradientBoostingClassifier", () => {
  const train = data(4000, 1);
  const test = data(2000, 2);
  const gbt = new GradientBoostingClassifier({ seed: 3 }).fit(train.X, train.y);

  it("learns a non-linear signal (test ROC AUC well above a linear model's reach) and is deterministic", () => {
    const p = gbt.predictProba(test.X);
    expect(rocAuc(test.y, p)).toBeGreaterThan(0.85);
    const again = new GradientBoostingClassifier({ seed: 3 }).fit(train.X, train.y);
    expect(again.predictProba(test.X)).toEqual(p);
    expect(gbt.trees).toHaveLength(100);
    expect(gbt.featureImportances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // The pure-noise features gain least.
    const imp = Array.from(gbt.featureImportances);
    expect(Math.max(imp[4] as number, imp[5] as number)).toBeLessThan(Math.min(imp[0] as number, imp[1] as number, imp[2] as number));
  });

  it("grows the same trees bit for bit with its WebAssembly loops as with the JavaScript ones", () => {
    // Early stopping on (12,000 rows), leaf-wise and depth-wise growth, an L2 penalty; depth 8 opens more
    // leaves than the module's pool of histograms holds, so some histograms are ordinary arrays.
    const big = data(12_000, 5);
    for (const params of [
      { seed: 4, maxIter: 30 },
      { seed: 5, maxIter: 20, maxLeafNodes: null, maxDepth: 4, l2Regularization: 1 },
      { seed: 6, maxIter: 5, maxLeafNodes: null, maxDepth: 8, minSamplesLeaf: 5 },
    ]) {
      const fast = new GradientBoostingClassifier(params).fit(big.X, big.y);
      const plain = withoutWasm(() => new GradientBoostingClassifier(params).fit(big.X, big.y));
      expect(fast.trees).toEqual(plain.trees);
      // Every leaf of a finished tree held a histogram at once: past the pool's 64, some were arrays.
      if (params.maxDepth === 8) expect(Math.max(...fast.trees.map((t) => t.feature.filter((f) => f < 0).length))).toBeGreaterThan(64);
      expect(fast.validationLoss).toEqual(plain.validationLoss);
      expect(fast.featureImportances).toEqual(plain.featureImportances);
    }
  });

  it("keeps its trees within the limits: at most 31 leaves of at least 20 rows", () => {
    for (const t of gbt.trees) {
      let leaves = 0;
      for (let i = 0; i < t.feature.length; i++)
        if ((t.feature[i] as number) < 0) {
          leaves++;
          expect((t.cover as Int32Array)[i]).toBeGreaterThanOrEqual(20);
        }
      expect(leaves).toBeLessThanOrEqual(31);
    }
  });

  it("starts from the log-odds of the positive rate, and its packed sum is its decision function", () => {
    const rate = train.y.reduce((a, b) => a + b, 0) / train.y.length;
    expect(gbt.intercept).toBeCloseTo(Math.log(rate / (1 - rate)), 12);
    const packed = packForest(gbt.trees, 6);
    const f = gbt.decisionFunction(test.X);
    for (let i = 0; i < 50; i++) {
      const row = test.X.map((c) => c[i] as number);
      expect(gbt.intercept + gbt.trees.length * predictPacked(packed, row)).toBeCloseTo(f[i] as number, 10);
    }
  });

  it('stops early when the held-out loss stops improving ("auto": more than 10,000 rows); off by default', () => {
    const big = data(12_000, 4);
    const slow = new GradientBoostingClassifier({ seed: 1, maxIter: 400, learningRate: 0.5, earlyStopping: "auto" }).fit(big.X, big.y);
    expect(slow.trees.length).toBeLessThan(400);
    expect(slow.validationLoss).toHaveLength(slow.trees.length + 1);
    const small = data(2_000, 4);
    expect(new GradientBoostingClassifier({ seed: 1, maxIter: 400, learningRate: 0.5, earlyStopping: "auto" }).fit(small.X, small.y).trees).toHaveLength(400);
    expect(new GradientBoostingClassifier({ seed: 1, maxIter: 400, learningRate: 0.5, earlyStopping: true }).fit(small.X, small.y).trees.length).toBeLessThan(
      400,
    );
    const off = new GradientBoostingClassifier({ seed: 1, maxIter: 30 }).fit(big.X, big.y);
    expect(off.params.earlyStopping).toBe(false);
    expect(off.trees).toHaveLength(30);
    expect(off.validationLoss).toEqual([]);
  });

  it("explains its log-odds exactly: intercept + trees × (base + Σ contributions)", () => {
    const explainer = treeExplainer(packForest(gbt.trees, 6), Int32Array.from([0, 1, 2, 3, 4, 5]), 6);
    const out = new Float64Array(6);
    const f = gbt.decisionFunction(test.X);
    for (let i = 0; i < 30; i++) {
      const mean = explainer.explainRow(
        test.X.map((c) => c[i] as number),
        out,
      );
      const T = gbt.trees.length;
      expect(gbt.intercept + T * (explainer.baseValue + out.reduce((a, b) => a + b, 0))).toBeCloseTo(f[i] as number, 10);
      expect(gbt.intercept + T * mean).toBeCloseTo(f[i] as number, 10);
    }
  });

  it("refuses parameters that cannot grow a tree, saying which", () => {
    expect(() => new GradientBoostingClassifier({ learningRate: 0 })).toThrow(/learningRate must be positive/);
    expect(() => new GradientBoostingClassifier({ maxLeafNodes: null, maxDepth: null })).toThrow(/cannot both be null/);
    expect(() => new GradientBoostingClassifier().fit([new Float64Array(3)], new Uint8Array(3))).toThrow(/one class only/);
  });
});
