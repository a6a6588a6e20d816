import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const tmp = tempDir("pipe-leakage-e2e-");
afterAll(tmp.cleanup);

// Telco with a column written once the outcome is known: the refund paid to customers who left (0 for
// the others) — the shape of vega-datasets' windvectors.csv, whose dir gives its binned dirCat away.
const [head, ...lines] = readFileSync(DATASETS.telco, "utf8").trimEnd().split(/\r?\n/);
const input = join(tmp.dir, "telco-refund.csv");
writeFileSync(input, `${head},Refund\n${lines.map((l, i) => `${l},${l.endsWith(",Yes") ? 20 + (i % 50) : 0}`).join("\n")}\n`);
const alertsOf = (out: string) =>
  (JSON.parse(readFileSync(join(out, "analysis.json"), "utf8")).alerts as { type: string; column: string; message: string }[]).filter(
    (a) => a.type === "target_leakage",
  );

describe("a feature that gives the target away", () => {
  it("is a warning of pipe analyze and an alert of analysis.json, with the --set that drops it — which works", () => {
    const out = join(tmp.dir, "leaky");
    expect(pipe(["etl", "--input", input, "--target", "Churn", "--out", out]).code).toBe(0);
    const analyzed = pipe(["analyze", "--out", out]);
    expect(analyzed.code).toBe(0);
    const drop = `--set 'etl.rules.Refund={"drop": true}'`;
    expect(alertsOf(out).map((a) => a.column)).toEqual(["Refund"]);
    expect(analyzed.stderr).toContain(
      `warning: analyze: Refund alone separates the classes of Churn perfectly (ROC AUC 1.000 from its values alone): if it is computed from Churn or recorded after it is known (target leakage), the model's figures will not hold on new rows — drop it with ${drop}`,
    );
    expect(readFileSync(join(out, "analysis.txt"), "utf8")).toContain("[target_leakage] Refund alone separates");

    const dropped = join(tmp.dir, "dropped");
    expect(pipe(["etl", "--input", input, "--target", "Churn", "--out", dropped, "--set", 'etl.rules.Refund={"drop": true}']).code).toBe(0);
    const again = pipe(["analyze", "--out", dropped]);
    expect(again.code).toBe(0);
    expect(alertsOf(dropped)).toEqual([]);
    expect(again.stderr).not.toContain("target leakage");
    expect(readFileSync(join(dropped, "dataset_processed.csv"), "utf8").split("\n")[0]).not.toContain("Refund");
  });

  it("is not said of the bundled data's honest features", () => {
    const out = join(tmp.dir, "honest");
    expect(pipe(["etl", "--input", DATASETS.telco, "--target", "Churn", "--out", out]).code).toBe(0);
    expect(pipe(["analyze", "--out", out]).code).toBe(0);
    expect(alertsOf(out)).toEqual([]);
  });

  // zipcodes.csv's shape: the state follows from latitude and longitude together, while neither alone ranks
  // it (here: north-east or south-west of a corner, an XOR), so no single column is flagged by the analysis.
  it("together with another column: evaluate asks, naming the columns the model leans on", () => {
    const rows = ["latitude,longitude,population,region"];
    for (let i = 0; i < 3000; i++) {
      const lat = 25 + ((i * 7919) % 2400) / 100;
      const lon = -125 + ((i * 104729) % 5800) / 100;
      rows.push(`${lat.toFixed(2)},${lon.toFixed(2)},${(i * 37) % 9000},${lat > 37 !== lon > -96 ? "east" : "west"}`);
    }
    const file = join(tmp.dir, "places.csv");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const out = join(tmp.dir, "places");
    const r = pipe(["run", "--input", file, "--target", "region", "--out", out, "--trees", "40", "--no-png", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(alertsOf(out)).toEqual([]);
    const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
    expect(metrics.roc_auc).toBeGreaterThanOrEqual(0.999);
    expect(metrics.verdict.message).toMatch(
      /^The random forest separates the 900 test rows (almost )?perfectly \(ROC AUC [01]\.\d+\), which real data rarely allows/,
    );
    expect(metrics.verdict.message).toMatch(/it leans most on (latitude|longitude) \(shuffling it costs 0\.\d+ of ROC AUC\), (latitude|longitude) /);
    // A warning, shown with --quiet too; and in the report.
    expect(r.stderr).toContain("warning: evaluate: The random forest separates the 900 test rows");
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("which real data rarely allows");
  });
});
