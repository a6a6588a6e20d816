import { describe, expect, it } from "vitest";
import { barChart, boxPlot, heatmap, histogramChart, horizontalBars, lineChart } from "./charts.js";
import { ticks } from "./svg.js";

const charts = {
  bar: barChart({ title: "Class <balance>", xLabel: "Churn", yLabel: "rows", categories: ["No", "Yes"], series: [{ name: "rows", values: [5174, 1869] }] }),
  hist: histogramChart({
    title: "tenure",
    xLabel: "tenure",
    yLabel: "rows",
    edges: [0, 1, 2, 3],
    series: [
      { name: "No", values: [1, 2, 3] },
      { name: "Yes", values: [3, 2, 1] },
    ],
  }),
  box: boxPlot({ title: "box", xLabel: "class", yLabel: "v", groups: [{ name: "No", q1: 1, median: 2, q3: 3, lower: 0, upper: 5 }] }),
  line: lineChart({ title: "ROC", xLabel: "fpr", yLabel: "tpr", lines: [{ name: "rf", x: [0, 0.5, 1], y: [0, 0.8, 1] }], diagonal: true }),
  heat: heatmap({
    title: "corr",
    labels: ["a", "b"],
    matrix: [
      [1, -0.5],
      [-0.5, 1],
    ],
  }),
  hbar: horizontalBars({ title: "importance", xLabel: "drop", labels: ["a", "b"], values: [0.2, -0.01], errors: [0.01, 0.02] }),
};

describe("SVG charts", () => {
  it.each(Object.entries(charts))("%s is a standalone SVG with a title and escaped text", (_, svg) => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith("</svg>")).toBe(true);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });
  it("escapes text", () => {
    expect(charts.bar).toContain("Class &lt;balance&gt;");
  });
  it("draws one bar per value with a tooltip", () => {
    expect(charts.bar.match(/<rect x=/g)?.length).toBe(2);
    expect(charts.bar).toContain("<title>Yes · rows: 1869</title>");
  });
  it("labels both axes", () => {
    expect(charts.line).toContain(">fpr</text>");
    expect(charts.line).toContain(">tpr</text>");
  });
});

describe("ticks", () => {
  it("covers the range with round steps", () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0, 7043)).toEqual([0, 2000, 4000, 6000]);
  });
});
