import type { ExplanationSummary } from "@pipe/model";
import { describe, expect, it } from "vitest";
import { dependenceChart, dependenceFigure, summaryChart, summaryFigure, waterfallChart, waterfallFigure } from "./explain-charts.js";

const summary: ExplanationSummary = {
  rows: 4,
  of: 10,
  base_value: 0.3,
  importance: [
    { column: "tenure", mean_abs: 0.1 },
    { column: "Contract", mean_abs: 0.05 },
  ],
  sample: [
    { column: "tenure", kind: "numeric", values: [1, 70, null, 30], contributions: [0.2, -0.1, 0.05, -0.05] },
    { column: "Contract", kind: "categorical", values: ["Month-to-month", "Two year", "Month-to-month", null], contributions: [0.1, -0.05, 0.08, 0.01] },
  ],
  examples: [
    {
      title: "the highest score",
      score: 0.6,
      probability: 0.55,
      label: "Yes",
      contributions: [
        { column: "tenure", value: 1, contribution: 0.2 },
        { column: "Contract", value: "Month-to-month <1y>", contribution: 0.1 },
      ],
      rest: 0,
    },
  ],
};

describe("explanation charts", () => {
  const svgs = {
    summary: summaryChart(summary),
    numericDependence: dependenceChart(summary.sample[0] as ExplanationSummary["sample"][number]),
    categoricalDependence: dependenceChart(summary.sample[1] as ExplanationSummary["sample"][number]),
    waterfall: waterfallChart(summary.examples[0] as ExplanationSummary["examples"][number], summary.base_value),
  };
  it.each(Object.entries(svgs))("%s is a standalone SVG with nothing undefined in it", (_, svg) => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("the summary draws one dot per row and column, blue for the lowest value and red for the highest, grey for text and missing", () => {
    const dots = svgs.summary.match(/<circle [^>]*fill="([^"]+)"/g) ?? [];
    expect(dots).toHaveLength(8);
    expect(svgs.summary).toMatch(/fill="rgb\(40,110,200\)"[^>]*><title>tenure = 1: /);
    expect(svgs.summary).toMatch(/fill="rgb\(214,60,50\)"[^>]*><title>tenure = 70: /);
    expect(svgs.summary).toMatch(/fill="#9a9a9a"[^>]*><title>tenure = missing: /);
    expect(svgs.summary).toContain("blue = low (early), red = high (late)");
  });

  it("a dependence plot leaves out missing numbers and names each category on the axis", () => {
    expect(svgs.numericDependence.match(/<circle /g)).toHaveLength(3);
    expect(svgs.categoricalDependence.match(/<circle /g)).toHaveLength(4);
    for (const label of ["Month-to-month", "Two year", "(missing)"]) expect(svgs.categoricalDependence).toContain(`>${label}</text>`);
    expect(dependenceFigure(summary.sample[1] as ExplanationSummary["sample"][number]).layout.xaxis).toMatchObject({
      ticktext: ["(missing)", "Month-to-month", "Two year"],
    });
  });

  it("a waterfall steps from the base value through each contribution to the score, escaping values", () => {
    expect(svgs.waterfall).toContain("Contract = Month-to-month &lt;1y&gt;: +0.1");
    expect(svgs.waterfall).toContain("score 0.600");
    const f = waterfallFigure(summary.examples[0] as ExplanationSummary["examples"][number], summary.base_value);
    expect(f.data[0]).toMatchObject({ type: "waterfall", base: 0.3, x: [0.2, 0.1] });
    expect(summaryFigure(summary).data).toHaveLength(2);
  });
});

describe("a date's explanation charts", () => {
  const booked: ExplanationSummary["sample"][number] = {
    column: "booked",
    kind: "date",
    values: ["2021-03-01 10:00:00", "2023-09-27 17:00:00", null, "2022-01-15 08:00:00"],
    contributions: [0.05, -0.02, 0, 0.01],
  };
  it("a dependence plot on a time axis: a point per present date at its day, ticks written as dates", () => {
    const svg = dependenceChart(booked);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expect(svg).toMatch(/>2022-\d{2}-\d{2}<\/text>/);
    const f = dependenceFigure(booked);
    expect(f.layout.xaxis).toMatchObject({ type: "date" });
    expect(f.data[0]?.x).toEqual(["2021-03-01T10:00:00.000Z", "2023-09-27T17:00:00.000Z", "2022-01-15T08:00:00.000Z"]);
  });
  it("the summary colours dates by their time: the earliest blue, the latest red", () => {
    const svg = summaryChart({ ...summary, sample: [booked] });
    expect(svg).toMatch(/fill="rgb\(40,110,200\)"[^>]*><title>booked = 2021-03-01 10:00:00: /);
    expect(svg).toMatch(/fill="rgb\(214,60,50\)"[^>]*><title>booked = 2023-09-27 17:00:00: /);
    expect(svg).toMatch(/fill="#9a9a9a"[^>]*><title>booked = missing: /);
  });
});
