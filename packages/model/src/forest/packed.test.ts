import { describe, expect, it } from "vitest";
import { Random } from "../random.js";
import { predictPackedRows } from "./batch.js";
import { predictFlat, RandomForestClassifier } from "./forest.js";
import { packForest, predictPacked } from "./packed.js";

function data(n: number, seed: number) {
  const r = new Random(seed);
  const X = [new Float64Array(n), new Float64Array(n), new Float64Array(n)] as const;
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    X[0][i] = r.next() * 10;
    X[1][i] = r.int(4); // a category code: thresholds shared by many nodes
    X[2][i] = r.next() < 0.2 ? -1 : r.next();
    y[i] = r.next() < (X[0][i] as number) / 10 ? 1 : 0;
  }
  return { X, y };
}

describe("packed predictor", () => {
  // 7 trees: one group of four walked side by side, then three alone.
  const { X, y } = data(1500, 3);
  const rf = new RandomForestClassifier({ nEstimators: 7, seed: 9 }).fit(X, y);
  const { X: Xt } = data(400, 4);

  it("gives exactly the flat trees' value for every row, one row or blocks of rows, thresholds and values between them included", () => {
    const batch = predictFlat(rf.trees, Xt);
    expect(rf.predictProba(Xt)).toEqual(batch);
    // A range that starts and ends inside blocks, with fewer than four rows left over.
    const out = new Float64Array(400).fill(-1);
    predictPackedRows(packForest(rf.trees, 3), Xt, out, 3, 398);
    expect(out.subarray(3, 398)).toEqual(batch.subarray(3, 398));
    expect([out[2], out[398]]).toEqual([-1, -1]);
    // Blocks of 64 rows: six whole ones and a partial one, each walked four rows at a time and then one by one.
    const blocks = new Float64Array(400);
    predictPackedRows(packForest(rf.trees, 3), Xt, blocks, 0, 400, 62);
    expect(blocks).toEqual(batch);
    for (let i = 0; i < 400; i++) expect(rf.predictRow([Xt[0]?.[i] as number, Xt[1]?.[i] as number, Xt[2]?.[i] as number])).toBe(batch[i]);
    // Values equal to a threshold go left (x <= t), as in the flat trees.
    const t = rf.trees[0];
    const f = t?.feature[0] as number;
    const row = [5, 1, 0.5];
    row[f] = t?.threshold[0] as number;
    const cols = row.map((v) => Float64Array.of(v));
    expect(rf.predictRow(row)).toBe(predictFlat(rf.trees, cols)[0]);
    expect(rf.predictProba(cols)[0]).toBe(predictFlat(rf.trees, cols)[0]);
  });

  it("codes each feature's distinct thresholds in order", () => {
    const packed = packForest(rf.trees, 3);
    for (const cuts of packed.cuts) for (let k = 1; k < cuts.length; k++) expect(cuts[k]).toBeGreaterThan(cuts[k - 1] as number);
    expect(packed.cuts[1]?.length).toBeLessThanOrEqual(3);
    expect(packed.nodes.length).toBe(rf.trees.reduce((s, t) => s + t.feature.length, 0));
    expect(predictPacked(packed, [11, 3, 2])).toBe(rf.predictProba([Float64Array.of(11), Float64Array.of(3), Float64Array.of(2)])[0]);
  });
});
