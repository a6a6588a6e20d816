import { describe, expect, it } from "vitest";
import { Random } from "../random.js";
import { rocAucInterval } from "./auc-interval.js";
import { rocAuc } from "./curves.js";

/** DeLong's structural components by their definition: every positive against every negative. */
function byDefinition(y: ArrayLike<number>, s: ArrayLike<number>): { auc: number; se: number } {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < y.length; i++) ((y[i] as number) === 1 ? pos : neg).push(s[i] as number);
  const psi = (x: number, z: number) => (x > z ? 1 : x === z ? 0.5 : 0);
  const v10 = pos.map((x) => neg.reduce((a, z) => a + psi(x, z), 0) / neg.length);
  const v01 = neg.map((z) => pos.reduce((a, x) => a + psi(x, z), 0) / pos.length);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const variance = (v: number[]) => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1);
  return { auc: mean(v10), se: Math.sqrt(variance(v10) / pos.length + variance(v01) / neg.length) };
}

/** A normal draw (Box–Muller) from the seeded generator. */
const normal = (rng: Random) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

describe("rocAucInterval (DeLong)", () => {
  it("has the standard error of DeLong's definition, ties included, and is centred on the ROC AUC", () => {
    const rng = new Random(3);
    for (const [n, levels] of [
      [40, 0],
      [200, 0],
      [300, 7],
      [57, 3],
    ] as const) {
      const y = Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
      // Scores with many ties when `levels` is set (a forest's scores come in steps of 1/trees).
      const s = Float64Array.from(y, (label) => {
        const v = 0.8 * label + normal(rng);
        return levels ? Math.round(v * levels) / levels : v;
      });
      const ci = rocAucInterval(y, s);
      const want = byDefinition(y, s);
      expect(ci?.se).toBeCloseTo(want.se, 12);
      const z = 1.959963984540054;
      expect(ci?.low).toBeCloseTo(Math.max(0, want.auc - z * want.se), 12);
      expect(ci?.high).toBeCloseTo(Math.min(1, want.auc + z * want.se), 12);
      expect(want.auc).toBeCloseTo(rocAuc(y, s), 12);
      expect(ci?.method).toBe("DeLong");
    }
  });

  it("covers the true AUC about 95% of the time (binormal scores, AUC Φ(d/√2), 400 seeded test splits)", () => {
    const rng = new Random(11);
    const d = 1;
    const truth = 0.7602499389065233; // Φ(1/√2)
    let covered = 0;
    const draws = 400;
    for (let k = 0; k < draws; k++) {
      const y = Uint8Array.from({ length: 150 }, (_, i) => (i < 50 ? 1 : 0));
      const s = Float64Array.from(y, (label) => d * label + normal(rng));
      const ci = rocAucInterval(y, s);
      if (ci && ci.low <= truth && truth <= ci.high) covered++;
    }
    expect(covered / draws).toBeGreaterThan(0.92);
    expect(covered / draws).toBeLessThan(0.98);
  });

  it("is null with fewer than two rows of a class, and [1, 1] for a perfect separation", () => {
    expect(rocAucInterval([1, 0, 0], [0.9, 0.2, 0.1])).toBeNull();
    expect(rocAucInterval([1, 1, 0, 0], [0.9, 0.8, 0.2, 0.1])).toEqual({ level: 0.95, low: 1, high: 1, se: 0, method: "DeLong" });
    // All tied: AUC ½, no spread within a class either.
    expect(rocAucInterval([1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])).toMatchObject({ low: 0.5, high: 0.5, se: 0 });
  });
});
