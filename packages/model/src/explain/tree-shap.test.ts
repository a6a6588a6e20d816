import { describe, expect, it } from "vitest";
import { GradientBoostingClassifier } from "../boosting/gbt.js";
import { RandomForestClassifier } from "../forest/forest.js";
import { packForest } from "../forest/packed.js";
import type { FlatTree } from "../forest/tree.js";
import { Random } from "../random.js";
import { withoutWasm } from "../wasm/switch.js";
import { groupStart, treeExplainer as makeExplainer, sumGroups, TREE_GROUPS, type TreeExplainer } from "./tree-shap.js";

/**
 * The reference: Shapley values by their definition, every subset of players enumerated, with the
 * game TreeSHAP claims to solve (a known player's splits follow the row, the others weigh both
 * branches by their covers), computed on the flat trees and their float thresholds.
 */
function bruteForce(trees: readonly FlatTree[], playerOf: Int32Array, players: number, x: ArrayLike<number>): { phi: Float64Array; base: number } {
  const expected = (t: FlatTree, node: number, known: number): number => {
    const f = t.feature[node] as number;
    if (f < 0) return t.value[node] as number;
    const l = t.left[node] as number;
    const r = t.right[node] as number;
    if (known & (1 << (playerOf[f] as number))) return expected(t, (x[f] as number) <= (t.threshold[node] as number) ? l : r, known);
    const c = (t.cover as Int32Array)[node] as number;
    return (((t.cover as Int32Array)[l] as number) * expected(t, l, known) + ((t.cover as Int32Array)[r] as number) * expected(t, r, known)) / c;
  };
  const v = new Float64Array(1 << players);
  for (let s = 0; s < v.length; s++) {
    let sum = 0;
    for (const t of trees) sum += expected(t, 0, s);
    v[s] = sum / trees.length;
  }
  const fact = [1];
  for (let k = 1; k <= players; k++) fact.push((fact[k - 1] as number) * k);
  const phi = new Float64Array(players);
  for (let i = 0; i < players; i++) {
    for (let s = 0; s < v.length; s++) {
      if (s & (1 << i)) continue;
      let size = 0;
      for (let b = s; b; b &= b - 1) size++;
      const weight = ((fact[size] as number) * (fact[players - size - 1] as number)) / (fact[players] as number);
      phi[i] = (phi[i] as number) + weight * ((v[s | (1 << i)] as number) - (v[s] as number));
    }
  }
  return { phi, base: v[0] as number };
}

function data(n: number, features: number, seed: number): { X: Float64Array[]; y: Uint8Array } {
  const rng = new Random(seed);
  const X = Array.from({ length: features }, (_, f) => Float64Array.from({ length: n }, () => (f % 3 === 2 ? rng.int(4) : rng.next())));
  const y = Uint8Array.from({ length: n }, (_, i) => {
    const at = (f: number) => (X[f] as Float64Array)[i] as number;
    const s = at(0) + 0.5 * at(1) * at(2) - 0.3 * at(features - 1);
    return s + 0.3 * (rng.next() - 0.5) > 0.6 ? 1 : 0;
  });
  return { X, y };
}

const rowOf = (X: readonly Float64Array[], i: number) => Float64Array.from(X, (c) => c[i] as number);

/** Each test runs with both walks: WebAssembly's (where it runs) and JavaScript's (where it does not). */
const walks: [TreeExplainer["walk"], (make: () => TreeExplainer) => TreeExplainer][] = [
  ["webassembly", (make) => make()],
  ["javascript", (make) => withoutWasm(make)],
];

describe.each(walks)("treeExplainer (the %s walk)", (walk, built) => {
  const treeExplainer = (...args: Parameters<typeof makeExplainer>) => {
    const explainer = built(() => makeExplainer(...args));
    // Otherwise this suite would test the other walk twice.
    expect(explainer.walk).toBe(walk);
    return explainer;
  };

  const cases = [
    { name: "shallow trees, one player a column", features: 6, grouping: (f: number) => f, maxDepth: 4, trees: 5 },
    { name: "deep trees, columns paired into players", features: 10, grouping: (f: number) => f >> 1, maxDepth: 12, trees: 4 },
    { name: "fully grown trees, ten players", features: 10, grouping: (f: number) => f, maxDepth: null, trees: 3 },
  ];
  for (const c of cases) {
    it(`equals the Shapley values by enumeration of every subset (${c.name})`, () => {
      const { X, y } = data(400, c.features, 7);
      const rf = new RandomForestClassifier({ nEstimators: c.trees, maxDepth: c.maxDepth, seed: 3, maxFeatures: 0.6 }).fit(X, y);
      const playerOf = Int32Array.from({ length: c.features }, (_, f) => c.grouping(f));
      const players = playerOf.reduce((m, g) => Math.max(m, g), 0) + 1;
      const explainer = treeExplainer(rf.packedTrees(), playerOf, players);
      const out = new Float64Array(players);
      for (const i of [0, 17, 123, 399]) {
        const x = rowOf(X, i);
        const output = explainer.explainRow(x, out);
        const ref = bruteForce(rf.trees, playerOf, players, x);
        expect(explainer.baseValue).toBeCloseTo(ref.base, 12);
        for (let g = 0; g < players; g++) expect(Math.abs((out[g] as number) - (ref.phi[g] as number))).toBeLessThan(1e-9);
        expect(output).toBe(rf.predictProba(X.map((col) => col.subarray(i, i + 1)))[0]);
      }
    });
  }

  it("equals the Shapley values by enumeration for boosted trees too (31-leaf trees, ten players)", () => {
    const { X, y } = data(600, 10, 9);
    const gbt = new GradientBoostingClassifier({ maxIter: 6, seed: 2 }).fit(X, y);
    const playerOf = Int32Array.from({ length: 10 }, (_, f) => f);
    const explainer = treeExplainer(packForest(gbt.trees, 10), playerOf, 10);
    const out = new Float64Array(10);
    for (const i of [1, 250, 599]) {
      const x = rowOf(X, i);
      explainer.explainRow(x, out);
      const ref = bruteForce(gbt.trees, playerOf, 10, x);
      for (let g = 0; g < 10; g++) expect(Math.abs((out[g] as number) - (ref.phi[g] as number))).toBeLessThan(1e-9);
    }
  });

  it("adds up to the forest's output on every row, and gives the same numbers every time", () => {
    const { X, y } = data(2000, 8, 11);
    const rf = new RandomForestClassifier({ nEstimators: 30, seed: 5 }).fit(X, y);
    const playerOf = Int32Array.from({ length: 8 }, (_, f) => f);
    const explainer = treeExplainer(rf.packedTrees(), playerOf, 8);
    const out = new Float64Array(8);
    const again = new Float64Array(8);
    const p = rf.predictProba(X);
    for (let i = 0; i < 2000; i += 7) {
      const x = rowOf(X, i);
      const output = explainer.explainRow(x, out);
      expect(output).toBe(p[i]);
      expect(Math.abs(explainer.baseValue + out.reduce((a, b) => a + b, 0) - output)).toBeLessThan(1e-12);
      explainer.explainRow(x, again);
      expect(again).toEqual(out);
    }
  });

  it("gives a row the same numbers walked with other rows as walked alone (full and partial blocks)", () => {
    const { X, y } = data(600, 6, 8);
    const rf = new RandomForestClassifier({ nEstimators: 12, seed: 3 }).fit(X, y);
    const explainer = treeExplainer(rf.packedTrees(), Int32Array.from([0, 1, 2, 2, 3, 4]), 5);
    const width = 6;
    const start = 5;
    const end = 5 + 37; // two blocks of 16 and a part of one
    const block = new Float64Array((end - start) * width);
    explainer.explainRows(X, start, end, block);
    const out = new Float64Array(5);
    for (let i = start; i < end; i++) {
      const output = explainer.explainRow(rowOf(X, i), out);
      expect(Array.from(block.subarray((i - start) * width, (i - start + 1) * width))).toEqual([...out, output]);
    }
  });

  it("gives the same numbers from its tree groups' parts, summed by sumGroups, as from explainRows; its scores as the forest's", () => {
    const { X, y } = data(400, 6, 9);
    // 11 trees in 8 groups: groups of one tree and of two.
    const rf = new RandomForestClassifier({ nEstimators: 11, seed: 5 }).fit(X, y);
    const explainer = treeExplainer(rf.packedTrees(), Int32Array.from([0, 1, 2, 2, 3, 4]), 5);
    const { groups } = explainer;
    expect(groups).toBe(TREE_GROUPS);
    const starts = Array.from({ length: groups + 1 }, (_, q) => groupStart(q, groups, 11));
    expect(starts[0]).toBe(0);
    expect(starts[groups]).toBe(11);
    for (let q = 0; q < groups; q++) expect((starts[q + 1] as number) - (starts[q] as number)).toBeGreaterThanOrEqual(1);
    const players = 5;
    const width = players + 1;
    const rows = 21; // a block of 16 and part of one
    const parts = new Float64Array(groups * rows * players);
    for (let q = groups - 1; q >= 0; q--) explainer.explainGroup(X, 30, 30 + rows, q, parts.subarray(q * rows * players, (q + 1) * rows * players));
    const summed = new Float64Array(rows * width);
    sumGroups(parts, rows, players, groups, 11, summed, width);
    const scores = new Float64Array(rows);
    explainer.scoreRows(X, 30, 30 + rows, scores);
    for (let i = 0; i < rows; i++) summed[i * width + players] = scores[i] as number;
    const whole = new Float64Array(rows * width);
    explainer.explainRows(X, 30, 30 + rows, whole);
    expect(Array.from(summed)).toEqual(Array.from(whole));
    // The scores are the forest's own, to the last bit.
    expect(Array.from(scores)).toEqual(Array.from(rf.predictProba(X.map((c) => c.subarray(30, 30 + rows)))));
    // Every group has its own part: none is all zeros.
    for (let q = 0; q < groups; q++) expect(parts.subarray(q * rows * players, (q + 1) * rows * players).some((v) => v !== 0)).toBe(true);
    expect(() => explainer.explainGroup(X, 0, 1, groups, new Float64Array(players))).toThrow(/group 8 is not one of 0 … 7/);
  });

  it("sums a forest of fewer trees than groups in one group a tree", () => {
    const { X, y } = data(300, 4, 3);
    const rf = new RandomForestClassifier({ nEstimators: 3, seed: 2 }).fit(X, y);
    const explainer = treeExplainer(rf.packedTrees(), Int32Array.from([0, 1, 2, 3]), 4);
    expect(explainer.groups).toBe(3);
    const parts = new Float64Array(3 * 4);
    for (let q = 0; q < 3; q++) explainer.explainGroup(X, 7, 8, q, parts.subarray(q * 4, (q + 1) * 4));
    const summed = new Float64Array(4);
    sumGroups(parts, 1, 4, 3, 3, summed);
    const out = new Float64Array(4);
    explainer.explainRow(rowOf(X, 7), out);
    expect(Array.from(summed)).toEqual(Array.from(out));
  });

  it("gives a player that no split uses nothing", () => {
    const { X, y } = data(500, 4, 2);
    X.push(new Float64Array(500).fill(3));
    const rf = new RandomForestClassifier({ nEstimators: 5, seed: 1 }).fit(X, y);
    const explainer = treeExplainer(rf.packedTrees(), Int32Array.from([0, 1, 2, 3, 4]), 5);
    const out = new Float64Array(5);
    explainer.explainRow(rowOf(X, 9), out);
    expect(out[4]).toBe(0);
  });

  it("refuses a forest without node covers, saying what to do", () => {
    const { X, y } = data(200, 3, 4);
    const rf = new RandomForestClassifier({ nEstimators: 2, seed: 1 }).fit(X, y);
    const packed = { ...rf.packedTrees(), covers: undefined };
    expect(() => treeExplainer(packed, Int32Array.from([0, 1, 2]), 3)).toThrow(/train it again/);
  });
});

describe("the two walks of treeExplainer", () => {
  it("give the same contributions to the last bits' rounding, on deep trees with columns shared by players", () => {
    const { X, y } = data(3000, 9, 21);
    const rf = new RandomForestClassifier({ nEstimators: 20, seed: 4 }).fit(X, y);
    const playerOf = Int32Array.from([0, 0, 1, 2, 2, 3, 4, 5, 5]);
    const wasm = makeExplainer(rf.packedTrees(), playerOf, 6);
    const js = withoutWasm(() => makeExplainer(rf.packedTrees(), playerOf, 6));
    expect([wasm.walk, js.walk]).toEqual(["webassembly", "javascript"]);
    const a = new Float64Array(7 * 40);
    const b = new Float64Array(7 * 40);
    wasm.explainRows(X, 100, 140, a);
    js.explainRows(X, 100, 140, b);
    for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThan(1e-15);
  });
});
