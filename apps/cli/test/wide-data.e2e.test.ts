import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// A wide table, as a questionnaire of a thousand answers (FiveThirtyEight's food-frequency survey: 54
// rows × 1,094 columns) or an export of one-hot columns is: the analysis charted every feature twice and
// a heatmap of every pair — 2,000 charts and a 190 MB report.html no browser opens. Here 150 numbers, the
// target following the first five.
const tmp = tempDir("pipe-wide-e2e-");
afterAll(tmp.cleanup);

const WIDTH = 150;
const random = seededRandom(5);
// Twenty free-text columns besides (a comment per row), which the ETL drops.
const header = [...Array.from({ length: WIDTH }, (_, j) => `q${j}`), ...Array.from({ length: 20 }, (_, k) => `note${k}`), "outcome"];
const lines = [header.join(",")];
for (let i = 0; i < 400; i++) {
  const x = Array.from({ length: WIDTH }, () => Math.round(random() * 100));
  const score = x.slice(0, 5).reduce((a, b) => a + b, 0) + random() * 120;
  const notes = Array.from({ length: 20 }, (_, k) => `remark ${i} ${k}`);
  lines.push([...x.map((v, j) => (j === 7 && i % 3 === 0 ? "" : String(v))), ...notes, score > 310 ? "yes" : "no"].join(","));
}
const input = join(tmp.dir, "survey.csv");
writeFileSync(input, `${lines.join("\n")}\n`);
const out = join(tmp.dir, "out");
const run = pipe(["run", "--input", input, "--target", "outcome", "--out", out, "--trees", "20", "--no-png"]);

describe("a wide table's analysis charts", () => {
  it("chart the 40 features most associated with the target, a heatmap of 30 and the most missing, and say so", () => {
    expect(run.code, run.stderr).toBe(0);
    const analysis = JSON.parse(readFileSync(join(out, "analysis.json"), "utf8"));
    // analysis.json keeps every feature's test and chart data.
    expect(analysis.tests).toHaveLength(WIDTH);
    expect(analysis.correlations.features).toHaveLength(WIDTH);
    const top = (analysis.tests as { feature: string }[]).slice(0, 40).map((t) => t.feature);
    // The features the target follows come first.
    expect(top.slice(0, 5).sort()).toEqual(["q0", "q1", "q2", "q3", "q4"]);
    const plots = readdirSync(join(out, "plots"));
    const hist = plots.filter((f) => f.startsWith("hist_")).map((f) => f.slice(5, -4));
    expect(hist.sort()).toEqual([...top].sort());
    expect(plots.filter((f) => f.startsWith("box_"))).toHaveLength(40);
    const heatmap = readFileSync(join(out, "plots", "correlation_heatmap.svg"), "utf8");
    expect(heatmap).toContain("Pearson correlation of the 30 numeric features most associated with outcome (of 150)");
    expect(readFileSync(join(out, "plots", "missing_values.svg"), "utf8")).toContain("Missing values of the 40 most missing features of 150");
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("The charts below show the 40 features most associated with outcome (the first rows of the table above) of 150");
    // The plotly bundle and 83 charts: a page a browser opens (it was 2 MB more a pair of charts).
    expect(statSync(join(out, "report.html")).size).toBeLessThan(12 * 2 ** 20);
  });
});

describe("a wide table's log", () => {
  it("names the first dropped columns, then how many more and where each is listed", () => {
    expect(run.stderr).toContain(
      "151 of 171 columns kept (dropped note0, note1, note2, note3, note4, note5, note6, note7, note8, note9, note10, note11 and 8 more; etl_report.json gives each with its reason)",
    );
  });
});
