import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const tmp = tempDir("pipe-imbalance-e2e-");
afterAll(tmp.cleanup);

// Telco with one churner in eight kept: about 4% positives, where a 0.5 threshold predicts nobody.
const [head, ...lines] = readFileSync(DATASETS.telco, "utf8").trimEnd().split(/\r?\n/);
let churners = 0;
const rare = lines.filter((l) => !l.endsWith(",Yes") || churners++ % 8 === 0);
const input = join(tmp.dir, "telco-rare.csv");
writeFileSync(input, `${head}\n${rare.join("\n")}\n`);
const out = join(tmp.dir, "out");
const run = pipe(["run", "--input", input, "--target", "Churn", "--positive", "Yes", "--out", out, "--trees", "40", "--no-png"], tmp.dir);
const readJson = (name: string) => JSON.parse(readFileSync(join(out, name), "utf8"));

describe("an imbalanced target", () => {
  it("is an alert of the analysis, with the flags that trade precision for recall", () => {
    expect(run.code).toBe(0);
    const alert = readJson("analysis.json").alerts.find((a: { type: string; column: string }) => a.type === "imbalance" && a.column === "Churn");
    expect(alert.message).toMatch(/--class-weight balanced or --threshold best-f1/);
  });

  it("gets the figures of both flags on the same test rows, and one sentence on which helps", () => {
    const m = readJson("metrics.json");
    const a = m.imbalance_advice;
    expect(a.positive_rate).toBeLessThan(0.06);
    expect(a.options.map((o: { flag: string | null }) => o.flag)).toEqual([null, "--threshold best-f1", "--class-weight balanced"]);
    const [trained, tuned] = a.options;
    expect(trained.f1).toBe(m.f1);
    expect(trained.recall).toBe(m.recall);
    expect(tuned.threshold).toBeLessThan(0.5);
    const best = a.options.slice(1).reduce((x: { f1: number }, y: { f1: number }) => (y.f1 > x.f1 ? y : x));
    if (best.f1 >= trained.f1 + 0.01) expect(a.advice).toContain(`${best.flag} would help, test F1 ${trained.f1.toFixed(3)} → ${best.f1.toFixed(3)}`);
    else expect(a.advice).toMatch(/neither .* raises test F1/);
    expect(run.stderr).toContain(`evaluate: ${a.advice}`);
    expect(readFileSync(join(out, "metrics.txt"), "utf8")).toMatch(/^Class imbalance \(1 − entropy\/ln 2 = /m);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<h3>Class imbalance</h3>");
  });

  it("a balanced target gets no such advice", () => {
    const balanced = join(tmp.dir, "balanced");
    expect(pipe(["run", "--input", DATASETS.titanic, "--target", "Survived", "--out", balanced, "--trees", "20", "--quiet", "--no-png"], tmp.dir).code).toBe(0);
    expect(JSON.parse(readFileSync(join(balanced, "metrics.json"), "utf8")).imbalance_advice).toBeUndefined();
  });
});
