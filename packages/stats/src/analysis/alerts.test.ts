import { describe, expect, it } from "vitest";
import { ALERT_THRESHOLDS, imbalance } from "./alerts.js";
import { analyze } from "./analyze.js";
import type { AnalysisInput } from "./types.js";

/** 1,000 rows (a single outlier's skewness can pass 20 only past 400) with one column for each alert, and quiet ones beside them. */
function input(positives: number): AnalysisInput {
  const n = 1000;
  const y = Uint8Array.from({ length: n }, (_, i) => (i < positives ? 1 : 0));
  const spread = (i: number) => ((i * 7919) % 101) / 10;
  const numeric = new Map<string, Float64Array>([
    ["quiet", Float64Array.from({ length: n }, (_, i) => spread(i))],
    ["gaps", Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? Number.NaN : ((i * 104729) % 97) / 10))],
    ["gain", Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 100 + i : 0))],
    ["spike", Float64Array.from({ length: n }, (_, i) => (i === 5 ? 1e9 : 1 + spread(i)))],
    ["twin", Float64Array.from({ length: n }, (_, i) => 2 * spread(i) + 0.001 * (i % 3))],
    ["flag", Float64Array.from({ length: n }, (_, i) => (i % 20 === 0 ? 1 : 0))],
    ["same", new Float64Array(n).fill(3)],
  ]);
  const categorical = new Map<string, string[]>([
    ["city", Array.from({ length: n }, (_, i) => `c${i % 80}`)],
    ["mostly", Array.from({ length: n }, (_, i) => (i % 50 === 0 ? "b" : "a"))],
    ["even", Array.from({ length: n }, (_, i) => ["x", "y", "z"][i % 3] as string)],
  ]);
  return {
    target: "t",
    classes: ["no", "yes"],
    rows: n,
    features: [
      ...[...numeric.keys()].map((name) => ({ name, kind: "numeric" as const })),
      ...[...categorical.keys()].map((name) => ({ name, kind: "categorical" as const })),
    ],
    numeric,
    categorical,
    y,
    repeatedRows: 3,
    droppedColumns: [
      { name: "id", reason: "identifier-like (one distinct value per row)" },
      { name: "note", reason: "free text" },
    ],
  };
}

describe("alerts, with ydata-profiling's default thresholds", () => {
  const a = analyze(input(400));
  const of = (type: string) =>
    (a.alerts ?? [])
      .filter((x) => x.type === type)
      .map((x) => x.column)
      .sort();
  it("finds each kind on the column that has it, and nowhere else", () => {
    expect(of("missing")).toEqual(["gaps"]);
    expect(of("zeros")).toEqual(["gain"]);
    expect(of("skewed")).toEqual(["spike"]);
    expect(of("high_cardinality")).toEqual(["city"]);
    expect(of("imbalance")).toEqual(["flag", "mostly"]);
    expect(of("high_correlation")).toEqual(["quiet, twin"]);
    expect(of("constant")).toEqual(["same"]);
    expect(of("unique")).toEqual(["id"]);
    expect(of("duplicates")).toEqual([null]);
    for (const x of a.alerts ?? []) if (!Number.isNaN(x.threshold)) expect(x.value > x.threshold || x.type === "constant").toBe(true);
  });
  it("says which figure crossed which threshold", () => {
    const gaps = a.alerts?.find((x) => x.type === "missing");
    expect(gaps).toMatchObject({ value: 0.1, threshold: ALERT_THRESHOLDS.missing, message: "gaps has 100 (10.0%) missing values" });
    expect(a.alerts?.find((x) => x.type === "duplicates")?.message).toMatch(/^3 rows repeat an earlier row/);
  });
  it("flags an imbalanced target with the advice that goes with it; a balanced one gets nothing", () => {
    const rare = analyze(input(30));
    const target = rare.alerts?.find((x) => x.type === "imbalance" && x.column === "t");
    expect(target?.message).toMatch(/3\.0% of rows are yes.*--class-weight balanced or --threshold best-f1/);
    expect(a.alerts?.some((x) => x.column === "t")).toBe(false);
  });
  it("imbalance is 1 − entropy / ln(k)", () => {
    expect(imbalance([50, 50])).toBeCloseTo(0, 12);
    expect(imbalance([90, 10])).toBeCloseTo(1 - (-(0.9 * Math.log(0.9)) - 0.1 * Math.log(0.1)) / Math.log(2), 12);
    expect(imbalance([7])).toBe(0);
  });
});
