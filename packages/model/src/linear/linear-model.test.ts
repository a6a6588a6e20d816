import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../../test-support/index.js";
import { logisticBaseline } from "../baselines/logistic.js";
import { evaluateModel } from "../evaluate.js";
import type { FeatureInput, Frame, RawRecord } from "../frame.js";
import { binaryMetrics } from "../metrics/evaluate.js";
import { PipeModel } from "../model.js";
import { Preprocessor } from "../preprocess/preprocessor.js";
import { Random } from "../random.js";
import { processed, recordsOf, trainOn } from "../train.test-util.js";
import { LinearDesign } from "./design.js";
import { LinearModel } from "./linear-model.js";
import { LogisticRegression } from "./logistic-regression.js";

/** Two numbers (one with gaps, so it gets a missing indicator) and two categories; a signal in three of them. */
function smallFrame(n: number, seed: number): { frame: Frame; features: FeatureInput[]; y: Uint8Array } {
  const rng = new Random(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c: string[] = [];
  const d: string[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.next() * 10;
    b[i] = rng.next() < 0.15 ? Number.NaN : rng.next() * 3 - 1;
    c.push(["red", "green", "blue", "grey"][Math.floor(rng.next() * 4)] as string);
    d.push(rng.next() < 0.5 ? "x" : "y");
    const z = 0.4 * (a[i] as number) - 2 + (c[i] === "red" ? 1 : c[i] === "blue" ? -1 : 0) + (Number.isNaN(b[i] as number) ? 0.8 : 0);
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return {
    frame: {
      rows: n,
      numeric: new Map([
        ["a", a],
        ["b", b],
      ]),
      categorical: new Map([
        ["c", c],
        ["d", d],
      ]),
    },
    features: [
      { name: "a", kind: "numeric" },
      { name: "b", kind: "numeric" },
      { name: "c", kind: "categorical" },
      { name: "d", kind: "categorical" },
    ],
    y,
  };
}

describe("LinearModel", () => {
  const { frame, features, y } = smallFrame(400, 7);
  const rows = Int32Array.from({ length: 300 }, (_, i) => i);
  const rest = Int32Array.from({ length: 100 }, (_, i) => 300 + i);
  const pre = new Preprocessor({ missingIndicators: true }).fit(frame, features, rows, y);
  const linear = LinearModel.fit(pre, frame, rows, y);

  it("scores exactly as the logistic regression on its design (bit for bit)", () => {
    const design = new LinearDesign(pre).fit(frame, rows);
    const lr = new LogisticRegression().fit(
      design.transform(frame, rows),
      Uint8Array.from(rows, (i) => y[i] as number),
    );
    expect(Array.from(linear.state.coef)).toEqual(Array.from(lr.coef));
    expect(linear.logOddsOf(pre.transform(frame, rest))).toEqual(lr.decisionFunction(design.transform(frame, rest)));
    // Restored from its saved state, the same numbers.
    const restored = new LinearModel(LinearDesign.restore(pre, linear.state), JSON.parse(JSON.stringify(linear.state)));
    expect(restored.logOddsOf(pre.transform(frame, rest))).toEqual(linear.logOddsOf(pre.transform(frame, rest)));
  });

  it("explains with exact Shapley values: equal to enumerating every coalition over the training rows", () => {
    // v(S) = mean over the training rows t of f(x on S, t elsewhere): the interventional game of a
    // linear model, computed here from its definition, player by player (a column and its missing indicator are one player).
    const Xtrain = pre.transform(frame, rows);
    const Xrest = pre.transform(frame, rest);
    const width = Xtrain.length;
    const playerOf = Int32Array.from([0, 1, 1, 2, 3]);
    expect(pre.outputNames).toEqual(["a", "b", "b__missing", "c", "d"]);
    const players = 4;
    const coalitionValue = (x: Float64Array, mask: number) => {
      let sum = 0;
      const mixed = new Float64Array(width);
      for (let t = 0; t < rows.length; t++) {
        for (let j = 0; j < width; j++) mixed[j] = mask & (1 << (playerOf[j] as number)) ? (x[j] as number) : ((Xtrain[j] as Float64Array)[t] as number);
        sum += linear.logOdds(mixed);
      }
      return sum / rows.length;
    };
    const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
    const phi = new Float64Array(players);
    for (let i = 0; i < 20; i++) {
      const x = Float64Array.from(Xrest, (col) => col[i] as number);
      const z = linear.explainRow(x, playerOf, phi);
      expect(z).toBe(linear.logOdds(x));
      for (let p = 0; p < players; p++) {
        let exact = 0;
        for (let mask = 0; mask < 1 << players; mask++) {
          if (mask & (1 << p)) continue;
          let size = 0;
          for (let q = 0; q < players; q++) if (mask & (1 << q)) size++;
          const weight = (factorial(size) * factorial(players - size - 1)) / factorial(players);
          exact += weight * (coalitionValue(x, mask | (1 << p)) - coalitionValue(x, mask));
        }
        expect(Math.abs((phi[p] as number) - exact)).toBeLessThan(1e-9);
      }
      // Additivity: the base value is v(∅), and base + Σφ is the log-odds.
      expect(Math.abs(linear.baseValue - coalitionValue(x, 0))).toBeLessThan(1e-9);
      expect(Math.abs(linear.baseValue + phi.reduce((s, v) => s + v, 0) - z)).toBeLessThan(1e-12);
    }
  });

  it("keeps importances that sum to 1 and rank the signal above the noise", () => {
    const imp = linear.state.importances;
    expect(imp.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const [a, , , c, d] = imp as [number, number, number, number, number];
    expect(a).toBeGreaterThan(d);
    expect(c).toBeGreaterThan(d);
  });
});

const tmp = tempDir("pipe-logistic-");
afterAll(tmp.cleanup);
let data: Awaited<ReturnType<typeof processed>>;
let trained: Awaited<ReturnType<typeof trainOn>>;
let model: PipeModel;
let records: RawRecord[];

beforeAll(async () => {
  data = await processed(tmp.dir, "telco", DATASETS.telco, { target: "Churn", positive: "Yes" });
  trained = await trainOn(data, { model: "logistic" });
  model = PipeModel.parse(trained.model.serialize());
  records = recordsOf(data.table, trained.split.test.subarray(0, 300));
}, 120_000);

describe("a PipeModel of a logistic regression", () => {
  it("is the logistic baseline, saved: the same test probabilities and ROC AUC", () => {
    const { table } = data;
    const { train, test } = trained.split;
    const base = logisticBaseline(trained.model.preprocessor, table, table.y, train, test, 0.5);
    const p = model.predictProba(model.preprocessor.transform(table, test));
    expect(
      binaryMetrics(
        Uint8Array.from(test, (i) => table.y[i] as number),
        p,
      ).roc_auc,
    ).toBe(base.roc_auc);
    expect(model.kind).toBe("logistic");
    expect(model.kindName).toBe("logistic regression");
    expect(model.state.forest.treeCount).toBe(0);
  });

  it("round-trips through its file, predicts the same one by one, in batches and on the async paths", async () => {
    const one = records.map((r) => model.predict(r).probability);
    expect(model.predictBatch(records).map((x) => x.probability)).toEqual(one);
    expect((await model.predictBatchAsync(records)).map((x) => x.probability)).toEqual(one);
    expect((await model.predictEachAsync(records)).map((x) => ("probability" in x ? x.probability : Number.NaN))).toEqual(one);
    expect(PipeModel.parse(model.serialize()).predictBatch(records)).toEqual(model.predictBatch(records));
    // A retrain on the same data is the same model: the same version.
    expect(PipeModel.parse((await trainOn(data, { model: "logistic" })).model.serialize()).version).toBe(model.version);
  });

  it("refuses its file edited", () => {
    const text = model.serialize().replace(/"intercept":(-?\d)/, (_, d) => `"intercept":${d === "1" ? "2" : "1"}`);
    expect(() => PipeModel.parse(text)).toThrow(/checksum/);
  });

  it("explains in log-odds: base + Σ contributions = score, the probability its sigmoid, the same in a batch", async () => {
    const batch = await model.explainEachAsync(records.slice(0, 50), { top: 3 });
    records.slice(0, 50).forEach((r, i) => {
      const { explanation: e, probability } = model.explain(r);
      expect(Math.abs(e.base_value + e.contributions.reduce((s, c) => s + c.contribution, 0) - e.score)).toBeLessThan(1e-12);
      expect(Math.abs(1 / (1 + Math.exp(-e.score)) - probability)).toBeLessThan(1e-15);
      expect(probability).toBe(model.predict(r).probability);
      const b = batch[i] as { explanation: typeof e };
      expect(b.explanation.contributions).toEqual(e.contributions.slice(0, 3));
      expect(b.explanation.rest).toBeCloseTo(
        e.contributions.slice(3).reduce((s, c) => s + c.contribution, 0),
        12,
      );
    });
  });

  it("is evaluated like a tree model: metrics, permutation importance, explanations of the test rows", async () => {
    const ev = await evaluateModel(model, data.table, data.table.y, trained.split.test, 0.265, { permutationRepeats: 2 });
    expect(ev.metrics.roc_auc).toBeGreaterThan(0.8);
    const tenure = ev.importance.find((i) => i.feature === "tenure");
    expect(tenure?.permutation_mean).toBeGreaterThan(0.05);
    expect(ev.importance.reduce((s, i) => s + i.impurity, 0)).toBeCloseTo(1, 12);
    expect(ev.explanations?.rows).toBe(Math.min(1000, trained.split.test.length));
    expect(ev.explanations?.importance[0]?.column).toBe("tenure");
  });
});
