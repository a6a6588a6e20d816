import { describe, expect, it } from "vitest";
import { deriveSeed, Random } from "./random.js";

describe("Random", () => {
  it("replays the same sequence from the same seed and differs across seeds", () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(sa);
  });
  it("draws floats in [0, 1) with a mean near 1/2 and integers in range", () => {
    const r = new Random(7);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = r.next();
      if (!(v >= 0 && v < 1)) outside++;
      sum += v;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.01);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
  it("derives distinct seeds per stream", () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, t) => deriveSeed(42, t)));
    expect(seeds.size).toBe(1000);
  });
});
