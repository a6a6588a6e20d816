import { describe, expect, it } from "vitest";
import { analyze } from "./analyze.js";
import type { AnalysisInput } from "./types.js";

function input(): AnalysisInput {
  // 200 rows: x is higher for positives, color depends on the class, noise does not.
  const n = 200;
  const y = Uint8Array.from({ length: n }, (_, i) => (i < 80 ? 1 : 0));
  const x = Float64Array.from({ length: n }, (_, i) => (y[i] ? 10 : 5) + ((i * 37) % 11) - 5 + (i === 3 ? Number.NaN : 0));
  const noise = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 13);
  const color = Array.from({ length: n }, (_, i) => (y[i] ? (i % 5 ? "red" : "blue") : i % 5 ? "blue" : "red"));
  return {
    target: "bought",
    classes: ["no", "yes"],
    rows: n,
    features: [
      { name: "x", kind: "numeric" },
      { name: "noise", kind: "numeric" },
      { name: "color", kind: "categorical" },
    ],
    numeric: new Map([
      ["x", x],
      ["noise", noise],
    ]),
    categorical: new Map([["color", color]]),
    y,
  };
}

describe("analyze", () => {
  const a = analyze(input());
  it("never reads a difference into equal medians: a mostly-zero column is read by its means", () => {
    // capital-gain's shape: zero for most rows, large for a few, far more of them positive.
    const base = input();
    const gain = Float64Array.from({ length: base.rows }, (_, i) => (i % 4 === 0 && (base.y[i] || i % 12 === 0) ? 5000 + i : 0));
    const b = analyze({ ...base, features: [...base.features, { name: "gain", kind: "numeric" }], numeric: new Map([...base.numeric, ["gain", gain]]) });
    const reading = b.tests.find((t) => t.feature === "gain")?.reading as string;
    expect(reading).toMatch(/^bought = yes goes with higher gain \(mean [\d.e+]+ vs [\d.e+]+; median 0 in both\)/);
    expect(reading).not.toMatch(/median 0 vs 0/);
  });
  it("summarises the dataset and the class balance", () => {
    expect(a.overview).toMatchObject({
      rows: 200,
      features: 3,
      numeric_features: 2,
      categorical_features: 1,
      class_counts: { no: 120, yes: 80 },
      positive_rate: 0.4,
    });
    expect(a.columns.find((c) => c.name === "x")?.summary).toMatchObject({ count: 199, missing: 1 });
  });
  it("ranks the informative features first with adjusted p-values, and reads them in plain words", () => {
    expect(
      a.tests
        .map((t) => t.feature)
        .slice(0, 2)
        .sort(),
    ).toEqual(["color", "x"]);
    const x = a.tests.find((t) => t.feature === "x");
    expect(x?.p_bh).toBeLessThan(0.001);
    expect(x?.effect.value).toBeGreaterThan(0.8);
    expect(x?.reading).toMatch(/^bought = yes goes with higher x \(median .* vs .*\): t = .*, p < 0\.001 .*d = .*a large effect\.$/);
    const color = a.tests.find((t) => t.feature === "color");
    expect(color?.reading).toMatch(/^bought = yes is most frequent where color = red \(/);
    const noise = a.tests.find((t) => t.feature === "noise");
    expect(noise?.p_bh).toBeGreaterThan(0.05);
    expect(noise?.reading).toMatch(/does not clearly differ/);
    for (const t of a.tests) expect(t.p_bonferroni).toBeGreaterThanOrEqual(t.pvalue);
  });
  it("prepares the plot data: histograms, box plots, bars, correlations, missing values", () => {
    const h = a.plots.histograms.find((p) => p.feature === "x");
    expect(h?.edges.length).toBe(21);
    expect((h?.counts.yes ?? []).reduce((s, v) => s + v, 0) + (h?.counts.no ?? []).reduce((s, v) => s + v, 0)).toBe(199);
    expect(h?.box.yes?.median).toBeGreaterThan(h?.box.no?.median as number);
    expect(a.plots.bars[0]).toMatchObject({ feature: "color", categories: ["blue", "red"] });
    expect(a.correlations.features).toEqual(["x", "noise"]);
    expect(a.correlations.pearson[0]?.[0]).toBe(1);
    expect(a.plots.missing.find((m) => m.feature === "x")?.missing).toBe(1);
  });
});

describe("analyze on small, skewed samples", () => {
  it("points to the rank test when the values are not normal", () => {
    const n = 30;
    const y = Uint8Array.from({ length: n }, (_, i) => (i % 2 ? 1 : 0));
    // Heavily skewed (exponential-like) values, larger for the positive class.
    const x = Float64Array.from({ length: n }, (_, i) => Math.exp(((i * 7) % 13) / 2) * (y[i] ? 3 : 1));
    const a = analyze({
      target: "t",
      classes: ["0", "1"],
      rows: n,
      features: [{ name: "x", kind: "numeric" }],
      numeric: new Map([["x", x]]),
      categorical: new Map(),
      y,
    });
    const t = a.tests[0];
    expect(t?.normality?.["1"]?.n).toBe(15);
    expect(t?.normality?.["1"]?.pvalue).toBeLessThan(0.05);
    expect(t?.reading).toMatch(/so Mann-Whitney U is the safer reading: p [=<] /);
  });
});

describe("analyze a date (its day counts)", () => {
  // Signed up later, more likely to buy: one a row, every timestamp its own (no identifier for that).
  const base = input();
  const signup = Float64Array.from({ length: base.rows }, (_, i) => 18_628 + (base.y[i] ? 30 : 0) + ((i * 37) % 90) + i / 240);
  const a = analyze({
    ...base,
    features: [...base.features, { name: "signup", kind: "numeric" }],
    numeric: new Map([...base.numeric, ["signup", signup]]),
    dates: ["signup"],
  });
  it("reads it as later or earlier, its medians written as dates", () => {
    expect(a.tests.find((t) => t.feature === "signup")?.reading).toMatch(
      /^bought = yes goes with later signup \(median 2021-\d{2}-\d{2} \d{2}:\d{2} vs 2021-\d{2}-\d{2} \d{2}:\d{2}\): t = /,
    );
    expect(a.columns.find((c) => c.name === "signup")?.date).toBe(true);
    expect(a.plots.histograms.find((h) => h.feature === "signup")?.date).toBe(true);
  });
  it("a column of whole days is read in days: a mean is no time of day", () => {
    const days = Float64Array.from({ length: base.rows }, (_, i) => 18_628 + (i % 7));
    const b = analyze({ ...base, features: [{ name: "day", kind: "numeric" }], numeric: new Map([["day", days]]), dates: ["day"] });
    expect(b.tests[0]?.reading).toMatch(
      /^day does not clearly differ between bought = yes and no \(mean 2021-01-0\d vs 2021-01-0\d; median 2021-01-0\d in both\)/,
    );
  });

  it("raises no identifier, zeros or skew alert for it", () => {
    expect((a.alerts ?? []).filter((x) => x.column === "signup")).toEqual([]);
    // The same values as a plain number: every row its own value, an alert.
    const plain = analyze({
      ...base,
      features: [...base.features, { name: "signup", kind: "numeric" }],
      numeric: new Map([...base.numeric, ["signup", signup]]),
    });
    expect((plain.alerts ?? []).filter((x) => x.column === "signup").map((x) => x.type)).toContain("unique");
  });
});
