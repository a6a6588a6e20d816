import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// `pipe predict` on raw files: the training file itself (its identifier and target columns are
// ignored, said once), a file with a column the training data never had (refused, or scored with
// --unknown-fields ignore), and a row with no used value (an error in its row).
const tmp = tempDir("pipe-raw-cli-");
const out = join(tmp.dir, "telco");
beforeAll(() => {
  const r = pipe(["run", "--input", DATASETS.telco, "--target", "Churn", "--positive", "Yes", "--out", out, "--trees", "15", "--no-png", "--quiet"], tmp.dir);
  if (r.code !== 0) throw new Error(r.stderr);
}, 180_000);
afterAll(tmp.cleanup);

describe("an honest verdict when a baseline beats the forest (Telco: the logistic regression does)", () => {
  it("metrics.json, metrics.txt and report.html say so in one line, with what to do", () => {
    const m = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
    const logistic = m.baselines.find((b: { name: string }) => b.name.startsWith("logistic regression"));
    expect(logistic.roc_auc).toBeGreaterThan(m.roc_auc);
    expect(m.verdict.message).toMatch(
      /^The logistic regression \(L2, C = 1\) beats the random forest on the test rows \(ROC AUC 0\.8\d\d vs 0\.8\d\d.*\): .*prefer the logistic regression/,
    );
    expect(readFileSync(join(out, "metrics.txt"), "utf8")).toContain(`Verdict: ${m.verdict.message}`);
    expect(readFileSync(join(out, "report.html"), "utf8")).toMatch(/<p class="warn" id="verdict"><strong>Verdict:<\/strong> The logistic regression/);
  });

  it("the CLI summary says it too", () => {
    const r = pipe(["evaluate", "--out", out], tmp.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/evaluate: The logistic regression .* beats the random forest/);
  });
});

describe("pipe predict on raw records", () => {
  it("scores the training file as it is: customerID and Churn are ignored, named once", () => {
    const scored = join(tmp.dir, "scored.csv");
    const r = pipe(["predict", "--model", join(out, "model.json"), "--input", DATASETS.telco, "--output", scored], tmp.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/predict: ignoring columns the model does not use: customerID \(identifier-like.*\), Churn \(the target\)/);
    const lines = readFileSync(scored, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(7044);
    expect(lines.slice(1).some((l) => l.includes("ignored"))).toBe(false);
  });

  it("refuses a column the training data never had, naming it and the flag that scores anyway", () => {
    const text = readFileSync(DATASETS.telco, "utf8").trimEnd().split("\n").slice(0, 50);
    const extra = join(tmp.dir, "extra.csv");
    writeFileSync(extra, `${text.map((l, i) => `${l},${i === 0 ? "campaign" : "spring"}`).join("\n")}\n`);
    const refused = pipe(["predict", "--model", join(out, "model.json"), "--input", extra, "--output", join(tmp.dir, "x.csv"), "--quiet"], tmp.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^pipe: .*extra\.csv has column\(s\) the training data did not have: campaign; .* Pass --unknown-fields ignore/);
    const scored = pipe(
      ["predict", "--model", join(out, "model.json"), "--input", extra, "--output", join(tmp.dir, "x.csv"), "--unknown-fields", "ignore", "--quiet"],
      tmp.dir,
    );
    expect(scored.stderr).toMatch(/warning: predict: ignoring columns the training data did not have: campaign/);
    expect(scored.code).toBe(0);
  });

  it("names a column the model knows under another spelling, and says once which of the model's columns the file lacks", () => {
    const [head, ...rows] = readFileSync(DATASETS.telco, "utf8").trimEnd().split("\n").slice(0, 30);
    const names = (head as string).split(",");
    const contract = names.indexOf("Contract");
    const renamed = names.map((n) => (n === "MonthlyCharges" ? "monthly_charges" : n)).filter((_, j) => j !== contract);
    const file = join(tmp.dir, "renamed.csv");
    writeFileSync(
      file,
      `${[
        renamed.join(","),
        ...rows.map((r) =>
          r
            .split(",")
            .filter((_, j) => j !== contract)
            .join(","),
        ),
      ].join("\n")}\n`,
    );
    const args = ["predict", "--model", join(out, "model.json"), "--input", file, "--output", join(tmp.dir, "renamed-scored.csv")];
    const refused = pipe(args, tmp.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("did not have: monthly_charges (the model's MonthlyCharges, spelt otherwise: rename the column);");
    const scored = pipe([...args, "--unknown-fields", "ignore"], tmp.dir);
    expect(scored.code).toBe(0);
    expect(scored.stderr).toMatch(
      /warning: predict: .*renamed\.csv has no column for Contract, MonthlyCharges, which the model uses: every row takes them as missing/,
    );
  });

  it("a row with no value the model uses gets an error in its row, the others are scored", () => {
    const rows = join(tmp.dir, "sparse.csv");
    writeFileSync(rows, "tenure,Contract,customerID\n3,Month-to-month,a\n,,b\n");
    const scored = join(tmp.dir, "sparse-scored.csv");
    const r = pipe(["predict", "--model", join(out, "model.json"), "--input", rows, "--output", scored, "--quiet"], tmp.dir);
    expect(r.code).toBe(0);
    const lines = readFileSync(scored, "utf8").trimEnd().split("\n");
    expect(lines[2]).toMatch(/line 3: the row has none of the model's fields/);
    expect(lines[1]).toMatch(/,0\.\d+,[01],(No|Yes),/);
  });
});
