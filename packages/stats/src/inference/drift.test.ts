import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../../test-support/index.js";
import { categoricalDrift, chiSquareGoodnessOfFit, jensenShannonDistance, numericDrift, twoProportionZ, wassersteinDistance } from "./drift.js";
import { driftReport } from "./drift-report.js";

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON
const cases = JSON.parse(readFileSync(join(FIXTURES, "drift.json"), "utf8")).cases as any[];
const close = (a: number, b: number, rel: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1e-300, Math.abs(b)) + 1e-15);

describe("drift measures against SciPy", () => {
  it.each(cases.filter((c) => c.kind === "wasserstein"))("Wasserstein distance: $name", (c) => close(wassersteinDistance(c.a, c.b), c.distance, 1e-9));
  it.each(cases.filter((c) => c.kind === "jensen_shannon"))("Jensen-Shannon distance: $name", (c) => close(jensenShannonDistance(c.p, c.q), c.distance, 1e-9));
  it.each(cases.filter((c) => c.kind === "chi_square"))("chi-square goodness of fit: $name", (c) =>
    close(chiSquareGoodnessOfFit(c.observed, c.reference), c.pvalue, 1e-6),
  );
  it.each(cases.filter((c) => c.kind === "z_proportion"))("two-proportion z-test: $name", (c) => close(twoProportionZ(c.reference, c.current), c.pvalue, 1e-6));
});

describe("the method Evidently picks", () => {
  const normal = (n: number, shift: number, seed: number) => {
    let s = seed;
    const u = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return (s + 0.5) / 2147483648;
    };
    return Float64Array.from({ length: n }, () => shift + Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
  };
  it("up to 1,000 reference rows: KS for numbers, p < 0.05 is drift", () => {
    const ref = normal(800, 0, 1);
    expect(numericDrift(ref, normal(300, 0, 2))).toMatchObject({ method: "ks", threshold: 0.05, drifted: false });
    expect(numericDrift(ref, normal(300, 0.5, 3))).toMatchObject({ method: "ks", drifted: true });
  });
  it("above: the Wasserstein distance in reference standard deviations, ≥ 0.1 is drift", () => {
    const ref = normal(5000, 0, 4);
    const same = numericDrift(ref, normal(2000, 0, 5));
    expect(same).toMatchObject({ method: "wasserstein_normed", threshold: 0.1, drifted: false });
    const moved = numericDrift(ref, normal(2000, 0.3, 6));
    expect(moved.drifted).toBe(true);
    expect(moved.score).toBeGreaterThan(0.25);
    // The method follows the training count even when the stored reference is a sample of it.
    expect(numericDrift(ref.subarray(0, 500), normal(300, 0, 7), 32_561).method).toBe("wasserstein_normed");
  });
  it("categories: chi-square or the z-test on small references, Jensen-Shannon on large ones; few distinct numbers count as categories", () => {
    const m = (o: Record<string, number>) => new Map(Object.entries(o));
    expect(categoricalDrift(m({ a: 500, b: 300, c: 200 }), m({ a: 40, b: 30, c: 50 }))).toMatchObject({ method: "chi_square", drifted: true });
    expect(categoricalDrift(m({ a: 300, b: 700 }), m({ a: 29, b: 71 }))).toMatchObject({ method: "z_proportion", drifted: false });
    expect(categoricalDrift(m({ a: 5000, b: 3000, c: 2000 }), m({ a: 500, b: 310, c: 190 }))).toMatchObject({ method: "jensen_shannon", drifted: false });
    expect(categoricalDrift(m({ a: 5000, b: 3000, c: 2000 }), m({ a: 100, b: 300, c: 600 }))).toMatchObject({ method: "jensen_shannon", drifted: true });
    expect(numericDrift([0, 1, 1, 0, 1, 0, 0, 1], [1, 1, 1, 1, 1, 1, 1, 0]).method).toBe("z_proportion");
  });
  it("a category the reference never had is drift on a small reference", () => {
    expect(chiSquareGoodnessOfFit([40, 40, 20], [50, 50, 0])).toBe(0);
  });
});

describe("driftReport", () => {
  it("says which columns drifted and whether half of them did", () => {
    const m = (o: Record<string, number>) => new Map(Object.entries(o));
    const ref = Float64Array.from({ length: 400 }, (_, i) => i % 97);
    const r = driftReport([
      { column: "x", kind: "numeric", reference: ref, current: Float64Array.from(ref, (v) => v + 40), referenceRows: 400 },
      { column: "y", kind: "numeric", reference: ref, current: ref.slice(0, 200), referenceRows: 400 },
      { column: "c", kind: "categorical", reference: m({ a: 200, b: 200 }), current: m({ a: 100, b: 100 }), referenceRows: 400 },
    ]);
    expect(r.columns.map((c) => [c.column, c.drifted])).toEqual([
      ["x", true],
      ["y", false],
      ["c", false],
    ]);
    expect(r).toMatchObject({ drifted_columns: 1, share: 1 / 3, drift_share: 0.5, dataset_drift: false, prediction: null });
    const withPrediction = driftReport([], { prediction: { column: "p", kind: "numeric", reference: ref, current: ref, referenceRows: 400 } });
    expect(withPrediction.prediction).toMatchObject({ column: "p", method: "ks", drifted: false });
    expect(withPrediction.dataset_drift).toBe(false);
  });
});
