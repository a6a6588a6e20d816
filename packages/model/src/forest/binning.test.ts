import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../../test-support/index.js";
import { binOf, fitBinEdges } from "./binning.js";

interface BinningCase {
  name: string;
  values: number[];
  thresholds: number[];
}
const reference = JSON.parse(readFileSync(join(FIXTURES, "binning.json"), "utf8")) as { source: string; cases: BinningCase[] };

describe('"percentile-midpoint" binning: scikit-learn HistGradientBoosting\'s thresholds', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const edges = fitBinEdges(Float64Array.from(c.values), "percentile-midpoint");
    expect(edges.length).toBe(c.thresholds.length);
    // Midpoints computed as a/2 + b/2 here and b − (b − a)/2 by numpy: equal within an ulp or two.
    for (const [k, t] of c.thresholds.entries()) expect(Math.abs((edges[k] as number) - t)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(1, Math.abs(t)));
    // The same bin for every value, so the same splits are possible.
    const binOfReference = (v: number) => c.thresholds.filter((t) => t < v).length;
    for (const v of c.values) expect(binOf(edges, v)).toBe(binOfReference(v));
  });

  it("keeps at most 255 bins, where the forest's quantile binning keeps 256", () => {
    const v = Float64Array.from({ length: 256 }, (_, i) => i);
    expect(fitBinEdges(v, "percentile-midpoint").length).toBeLessThanOrEqual(254);
    expect(fitBinEdges(v).length).toBe(255);
  });
});

describe("binOf", () => {
  it("counts the edges strictly below a value, for every number of edges, on and between them, and at the extremes", () => {
    for (let size = 0; size <= 70; size++) {
      const edges = Float64Array.from({ length: size }, (_, i) => i * 1.5 - 20);
      const probes = [
        Number.NEGATIVE_INFINITY,
        Number.POSITIVE_INFINITY,
        -0,
        0,
        -1e300,
        1e300,
        ...edges,
        ...edges.map((e) => e + 0.75),
        ...edges.map((e) => e - 1e-12),
      ];
      for (const v of probes) expect(binOf(edges, v)).toBe(edges.filter((e) => e < v).length);
      // NaN is below nothing: bin 0 (the scorers code it apart, past every threshold).
      expect(binOf(edges, Number.NaN)).toBe(0);
    }
  });
});
