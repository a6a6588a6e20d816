import { describe, expect, it } from "vitest";
import { Random } from "../../random.js";
import { withoutWasm } from "../../wasm/switch.js";
import { predictPackedRow, predictPackedRows } from "../batch.js";
import { farChain, farChainRows } from "../far-chain.test-util.js";
import { RandomForestClassifier } from "../forest.js";
import { packForest, predictPacked } from "../packed.js";
import { builtWalker, wasmWalker } from "./walker.js";

/** Rows of `features` columns, some values missing (NaN: coded past every threshold) and some on thresholds. */
function matrix(n: number, features: number, seed: number): Float64Array[] {
  const r = new Random(seed);
  return Array.from({ length: features }, (_, f) =>
    Float64Array.from({ length: n }, () => (r.next() < 0.03 ? Number.NaN : f % 3 === 1 ? r.int(5) : Math.round(r.next() * 1000) / 100)),
  );
}

const rowOf = (X: readonly Float64Array[], i: number) => Array.from(X, (c) => c[i] as number);

/** A packed forest of `trees` trees grown on 1,500 rows of `features` columns (a noisy threshold on the first). */
function forestOn(features: number, trees: number, seed: number) {
  const X = matrix(1500, features, seed);
  const y = Uint8Array.from({ length: 1500 }, (_, i) => (((X[0] as Float64Array)[i] as number) > 5 ? 1 : 0) ^ (i % 11 === 0 ? 1 : 0));
  return new RandomForestClassifier({ nEstimators: trees, seed }).fit(X, y).packedTrees();
}

describe("the WebAssembly tree walk", () => {
  it("scores every row as the JavaScript walk does, bit for bit, whatever the block and its rows left over", () => {
    for (const [features, trees, seed] of [
      [3, 7, 1],
      [12, 5, 2],
      [1, 3, 3],
    ] as const) {
      const packed = forestOn(features, trees, seed);
      expect(wasmWalker(packed, 64)).toBeDefined();
      const probe = matrix(203, features, seed + 10);
      // Each row alone, by the JavaScript walk.
      const expected = Float64Array.from({ length: 203 }, (_, i) => predictPacked(packed, rowOf(probe, i)));
      for (const block of [1, 3, 7, 8, 9, 62, 203]) {
        const out = new Float64Array(203).fill(-1);
        predictPackedRows(packed, probe, out, 1, 202, block);
        expect([out[0], out[202]]).toEqual([-1, -1]);
        expect(out.subarray(1, 202)).toEqual(expected.subarray(1, 202));
        // The JavaScript block walk it replaces, where WebAssembly cannot run.
        const plain = new Float64Array(203).fill(-1);
        withoutWasm(() => predictPackedRows(packed, probe, plain, 1, 202, block));
        expect(plain).toEqual(out);
      }
    }
  });

  it("walks a forest with right children too far for the packed word's offset field (its nodes hold the whole distance)", () => {
    const chain = farChain();
    const packed = packForest([chain], 5000);
    expect(packed.far.size).toBeGreaterThan(0);
    expect(wasmWalker(packed, 16)).toBeDefined();
    const X = farChainRows(40);
    const expected = Array.from({ length: 40 }, (_, i) => predictPacked(packed, rowOf(X, i)));
    for (const block of [3, 40]) {
      const out = new Float64Array(40);
      predictPackedRows(packed, X, out, 0, 40, block);
      expect([...out]).toEqual(expected);
      const plain = new Float64Array(40);
      withoutWasm(() => predictPackedRows(packed, X, plain, 0, 40, block));
      expect(plain).toEqual(out);
    }
  });

  it("scores a lone row as the JavaScript walk does, bit for bit: eight trees at a time and those left over", () => {
    for (const [features, trees, seed] of [
      [3, 7, 1],
      [12, 20, 2],
      [5, 16, 4],
    ] as const) {
      const packed = forestOn(features, trees, seed);
      const probe = matrix(300, features, seed + 20);
      expect(wasmWalker(packed, 64)).toBeDefined(); // laid out already (as a batch would): lone rows walk it at once
      for (let i = 0; i < 300; i++) {
        const row = rowOf(probe, i);
        expect(predictPackedRow(packed, row)).toBe(predictPacked(packed, row));
        expect(withoutWasm(() => predictPackedRow(packed, row))).toBe(predictPacked(packed, row));
      }
    }
    const chain = packForest([farChain()], 5000);
    wasmWalker(chain, 16);
    const rows = farChainRows(40);
    for (let i = 0; i < 40; i++) expect(predictPackedRow(chain, rowOf(rows, i))).toBe(predictPacked(chain, rowOf(rows, i)));
  });

  it("lays a forest out for lone rows only once it has made a thousand predictions (a few do not pay for the layout)", () => {
    const X = matrix(300, 4, 5);
    const y = Uint8Array.from({ length: 300 }, (_, i) => i % 2);
    const packed = new RandomForestClassifier({ nEstimators: 9, seed: 2 }).fit(X, y).packedTrees();
    for (let i = 0; i < 1000; i++) expect(predictPackedRow(packed, rowOf(X, i % 300))).toBe(predictPacked(packed, rowOf(X, i % 300)));
    expect(builtWalker(packed)).toBeUndefined();
    expect(predictPackedRow(packed, rowOf(X, 7))).toBe(predictPacked(packed, rowOf(X, 7)));
    expect(builtWalker(packed)).toBeDefined();
  });

  it("is made once per forest, with room for larger blocks when asked", () => {
    const X = matrix(300, 4, 9);
    const y = Uint8Array.from({ length: 300 }, (_, i) => i % 2);
    const packed = new RandomForestClassifier({ nEstimators: 2, seed: 1 }).fit(X, y).packedTrees();
    const small = wasmWalker(packed, 10);
    expect(wasmWalker(packed, 8)).toBe(small);
    const large = wasmWalker(packed, 5000);
    expect(large).not.toBe(small);
    expect(large?.capacity).toBe(5000);
    expect(large?.codes.length).toBe(5000 * 4);
  });
});
