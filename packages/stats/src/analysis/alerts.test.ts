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
    expect(of("target_leakage")).toEqual([]);
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

describe("target leakage: a feature that gives the target away on its own", () => {
  // 1,000 rows, 400 positive; vega-datasets' windvectors.csv has such a column (dirCat, a binned dir).
  const n = 1000;
  const y = Uint8Array.from({ length: n }, (_, i) => (i < 400 ? 1 : 0));
  const noise = (i: number) => ((i * 7919) % 101) / 100;
  const leaky: AnalysisInput = {
    target: "churned",
    classes: ["no", "yes"],
    rows: n,
    features: [
      { name: "refund_days", kind: "numeric" },
      { name: "tenure", kind: "numeric" },
      { name: "status", kind: "categorical" },
      { name: "account", kind: "categorical" },
      { name: "plan", kind: "categorical" },
    ],
    numeric: new Map([
      // Recorded after the outcome: only those who left have refund days (the others 0), every one above.
      ["refund_days", Float64Array.from({ length: n }, (_, i) => (i < 400 ? 5 + noise(i) : noise(i) - 1))],
      // A strong, honest predictor: the classes overlap (ROC AUC about 0.9).
      ["tenure", Float64Array.from({ length: n }, (_, i) => (i < 400 ? 10 : 30) + 25 * noise(i))],
    ]),
    categorical: new Map([
      // A status written once the customer left: pure but for 1% of rows.
      ["status", Array.from({ length: n }, (_, i) => (i < 400 !== (i % 100 === 7) ? "closed" : "open"))],
      // 80 accounts of 12 or 13 rows, each of one class: pure by construction, yet as an identifier would be.
      ["account", Array.from({ length: n }, (_, i) => `a${i < 400 ? i % 32 : 32 + (i % 48)}`)],
      ["plan", Array.from({ length: n }, (_, i) => ["basic", "plus", "pro"][(i + (i < 400 ? 0 : i % 2)) % 3] as string)],
    ]),
    y,
  };
  const alerts = (analyze(leaky).alerts ?? []).filter((a) => a.type === "target_leakage");

  it("flags a number whose values alone rank the classes, and a category column whose categories are pure, with the drop that removes each", () => {
    expect(alerts.map((a) => a.column)).toEqual(["refund_days", "status"]);
    expect(alerts[0]).toMatchObject({ value: 1, threshold: ALERT_THRESHOLDS.target_leakage });
    expect(alerts[0]?.message).toBe(
      `refund_days alone separates the classes of churned perfectly (ROC AUC 1.000 from its values alone): if it is computed from churned or recorded after it is known (target leakage), the model's figures will not hold on new rows — drop it with --set 'etl.rules.refund_days={"drop": true}'`,
    );
    // 10 rows of 1,000 on the wrong side: V about 0.98, "almost pure".
    expect(alerts[1]?.value).toBeGreaterThan(0.95);
    expect(alerts[1]?.value).toBeLessThan(1);
    expect(alerts[1]?.message).toMatch(
      /^status alone gives churned away: its categories are almost pure \(Cramér's V 0\.9\d\d\).*--set 'etl\.rules\.status=\{"drop": true\}'$/u,
    );
  });

  it("leaves alone a strong predictor whose classes overlap, and pure categories too small to tell from chance (an identifier)", () => {
    expect(alerts.some((a) => a.column === "tenure" || a.column === "account" || a.column === "plan")).toBe(false);
    const tenure = analyze(leaky).tests.find((t) => t.feature === "tenure")?.alongside?.mann_whitney?.rank_biserial as number;
    expect((1 + Math.abs(tenure)) / 2).toBeGreaterThan(0.8);
  });
});
