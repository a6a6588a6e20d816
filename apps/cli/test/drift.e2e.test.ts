import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const tmp = tempDir("pipe-drift-e2e-");
afterAll(tmp.cleanup);
const out = join(tmp.dir, "telco");
const trained = pipe(
  ["run", "--input", DATASETS.telco, "--target", "Churn", "--positive", "Yes", "--out", out, "--trees", "20", "--quiet", "--no-png"],
  tmp.dir,
);

/** The Telco file with each data row changed by `edit` (fields by header name). */
function edited(name: string, edit: (get: (c: string) => string, set: (c: string, v: string) => void, i: number) => void): string {
  const [head, ...lines] = readFileSync(DATASETS.telco, "utf8").trimEnd().split(/\r?\n/);
  const columns = (head as string).split(",");
  const rows = lines.map((line, i) => {
    const f = line.split(",");
    edit(
      (c) => f[columns.indexOf(c)] as string,
      (c, v) => {
        f[columns.indexOf(c)] = v;
      },
      i,
    );
    return f.join(",");
  });
  const path = join(tmp.dir, name);
  writeFileSync(path, `${head}\n${rows.join("\n")}\n`);
  return path;
}

describe("pipe drift", () => {
  it("finds no dataset drift in the training file itself", () => {
    expect(trained.code).toBe(0);
    const r = pipe(["drift", "--model", join(out, "model.json"), "--input", DATASETS.telco, "--out", out, "--json", "--quiet"], tmp.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, "drift.json"), "utf8"));
    expect(doc).toMatchObject({ rows: 7043, reference_rows: 4930, dataset_drift: false, drifted_columns: 0 });
    expect(doc.columns.find((c: { column: string }) => c.column === "tenure").method).toBe("wasserstein_normed");
    expect(readFileSync(join(out, "drift.txt"), "utf8")).toMatch(/^No drift: every column of the 7043 new rows/m);
  });

  it("finds it in a shifted copy, names the columns, and the next report has a drift section", () => {
    const shifted = edited("shifted.csv", (get, set, i) => {
      set("tenure", String(Number(get("tenure")) + 30));
      set("MonthlyCharges", String(Number(get("MonthlyCharges")) * 1.5));
      set("Contract", i % 4 ? "Two year" : "One year");
      set("PaymentMethod", "Mailed check");
      set("InternetService", "Fiber optic");
      set("TechSupport", "Yes");
      set("OnlineSecurity", "Yes");
      set("PaperlessBilling", "No");
      set("StreamingTV", "Yes");
      set("StreamingMovies", "Yes");
    });
    const r = pipe(["drift", "--model", join(out, "model.json"), "--input", shifted, "--out", out, "--json", "--quiet"], tmp.dir);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.dataset_drift).toBe(true);
    expect(summary.drifted_columns).toEqual(expect.arrayContaining(["tenure", "MonthlyCharges", "Contract", "PaymentMethod"]));
    expect(summary.drifted_columns).not.toContain("gender");
    expect(summary.prediction_drift).toBe(true);
    expect(readFileSync(join(out, "drift.txt"), "utf8")).toMatch(/^Dataset drift: \d+ of 19 columns drifted/m);
    expect(pipe(["report", "--out", out, "--quiet", "--no-png"], tmp.dir).code).toBe(0);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain('<section id="drift">');
    expect(html).toContain("Dataset drift:");
  });

  it("needs --input, and says so", () => {
    const r = pipe(["drift", "--model", join(out, "model.json")], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pipe drift needs --input/);
  });
});
