import { describe, expect, it } from "vitest";
import { binLabelOf, binLabels, binLabelsOf, binOf, cutEdges, discretizeSchema, equalWidthEdges, quantileEdges } from "./discretize.js";

describe("discretisation", () => {
  it("draws numpy's linear quantiles from weighted values (as if each value were repeated)", () => {
    // np.quantile([1, 2, 2, 3, 4, 4, 4, 10], [0, .25, .5, .75, 1]) = [1, 2, 3.5, 4, 10]
    const edges = quantileEdges(Float64Array.from([4, 1, 10, 2, 3]), Float64Array.from([3, 1, 1, 2, 1]), 4);
    expect(edges).toEqual([1, 2, 3.5, 4, 10]);
  });

  it("merges repeated quantile edges, as qcut(duplicates='drop') does", () => {
    const edges = quantileEdges(Float64Array.from([0, 1]), Float64Array.from([90, 10]), 4);
    expect(edges).toEqual([0, 1]);
  });

  it("cuts equal widths and puts each value in its right-closed bin, the lowest edge included", () => {
    const edges = equalWidthEdges(0, 10, 4);
    expect(edges).toEqual([0, 2.5, 5, 7.5, 10]);
    expect([0, 2.5, 2.6, 5, 9.9, 10, -3, 42].map((x) => binOf(edges, x))).toEqual([0, 0, 1, 1, 3, 3, 0, 3]);
    expect(binLabels(edges, {})).toEqual(["[0, 2.5]", "(2.5, 5]", "(5, 7.5]", "(7.5, 10]"]);
    expect(binLabels(edges, { labels: "index" })).toEqual(["0", "1", "2", "3"]);
  });

  it("gives a constant column one bin", () => {
    const edges = equalWidthEdges(3, 3, 5);
    expect(edges).toEqual([3, 3]);
    expect(binOf(edges, 3)).toBe(0);
  });

  it("splits at given cuts (pandas.cut with explicit bins), leaving out cuts outside the column's range", () => {
    const edges = cutEdges(100, 250, [50, 200, 250, 300]);
    expect(edges).toEqual([100, 200, 250]);
    expect([100, 199.9, 200, 200.1, 250].map((x) => binOf(edges, x))).toEqual([0, 0, 0, 1, 1]);
    expect(binLabels(edges, {})).toEqual(["[100, 200]", "(200, 250]"]);
    expect(cutEdges(7, 7, [1])).toEqual([7, 7]);
  });

  it("keeps the values equal to the least apart when a cut is at it (rain or not: precipitation cut at 0)", () => {
    const edges = cutEdges(0, 55.9, [0]);
    expect(edges).toEqual([0, 0, 55.9]);
    expect([0, 0.1, 55.9].map((x) => binOf(edges, x))).toEqual([0, 1, 1]);
    expect(binLabels(edges, {})).toEqual(["[0, 0]", "(0, 55.9]"]);
    expect(binLabelOf({ edges, labels: binLabels(edges, {}) }, "0.0")).toBe("[0, 0]");
  });

  it("takes bins with width and quantile, cuts (ascending) with cuts, and not the other way round", () => {
    const ok = (rule: unknown) => discretizeSchema.safeParse(rule).success;
    expect(ok({ method: "quantile", bins: 2 })).toBe(true);
    expect(ok({ method: "cuts", cuts: [200] })).toBe(true);
    expect(ok({ method: "cuts", cuts: [1, 5, 9], labels: "index" })).toBe(true);
    expect(ok({ method: "cuts", bins: 2 })).toBe(false);
    expect(ok({ method: "width", cuts: [3] })).toBe(false);
    expect(ok({ method: "quantile" })).toBe(false);
    expect(ok({ method: "cuts", cuts: [] })).toBe(false);
    expect(ok({ method: "cuts", cuts: [5, 1] })).toBe(false);
    expect(ok({ method: "cuts", cuts: [200], bins: 2 })).toBe(false);
  });

  it("gives back a schema column's bin labels as the ETL wrote them", () => {
    expect(binLabelsOf({ type: "category", bins: [100, 200, 250] })).toEqual(["[100, 200]", "(200, 250]"]);
    expect(binLabelsOf({ type: "integer", bins: [0, 1, 2, 3] })).toEqual(["0", "1", "2"]);
    expect(binLabelsOf({ type: "float" })).toBeUndefined();
    // A raw value binned as the ETL reads numbers: hex or words are not numbers, padding is.
    const bins = { edges: [100, 200, 250], labels: ["[100, 200]", "(200, 250]"] };
    expect(["150", " 200 ", "200.5", "900", "0x10", "n/a", ""].map((t) => binLabelOf(bins, t))).toEqual([
      "[100, 200]",
      "[100, 200]",
      "(200, 250]",
      "(200, 250]",
      undefined,
      undefined,
      undefined,
    ]);
  });
});
