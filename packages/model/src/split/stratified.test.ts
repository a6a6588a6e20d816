import { describe, expect, it } from "vitest";
import { stratifiedKFold, stratifiedSplit } from "./stratified.js";

const y = Uint8Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // 25% positives

describe("stratifiedSplit", () => {
  it("holds out the asked share, keeps the class balance, and partitions the rows", () => {
    const { train, test } = stratifiedSplit(y, 0.3, 42);
    expect(test.length).toBe(300);
    expect(train.length).toBe(700);
    const pos = (rows: Int32Array) => rows.reduce((a, i) => a + (y[i] as number), 0);
    expect(pos(test)).toBe(75);
    expect(pos(train)).toBe(175);
    expect(new Set([...train, ...test]).size).toBe(1000);
  });
  it("splits a million rows (spreading them as arguments once overflowed the stack)", () => {
    const y = Uint8Array.from({ length: 1_000_000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const { train, test } = stratifiedSplit(y, 0.3, 1);
    expect(train.length + test.length).toBe(1_000_000);
    expect(test.length).toBe(300_000);
  });

  it("is reproducible from the seed", () => {
    expect(stratifiedSplit(y, 0.3, 42)).toEqual(stratifiedSplit(y, 0.3, 42));
    expect(stratifiedSplit(y, 0.3, 42).test).not.toEqual(stratifiedSplit(y, 0.3, 43).test);
  });
  it("refuses a test size outside (0, 1)", () => {
    expect(() => stratifiedSplit(y, 0, 1)).toThrow(/between 0 and 1/);
    expect(() => stratifiedSplit(y, 1, 1)).toThrow(/between 0 and 1/);
  });
});

describe("stratifiedKFold", () => {
  it("makes k disjoint test folds covering every row, each with the class balance", () => {
    const folds = stratifiedKFold(y, 5, 1);
    const seen = new Set<number>();
    for (const f of folds) {
      expect(f.test.length).toBe(200);
      expect(f.test.reduce((a, i) => a + (y[i] as number), 0)).toBe(50);
      for (const i of f.test) seen.add(i);
      expect(f.train.length + f.test.length).toBe(1000);
    }
    expect(seen.size).toBe(1000);
  });
});
