import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const tmp = tempDir("pipe-small-split-e2e-");
afterAll(tmp.cleanup);

const [head, ...lines] = readFileSync(DATASETS.telco, "utf8").trimEnd().split(/\r?\n/);
/** `pipe run` on Telco's first `rows` rows, into its own folder: the run and its metrics.json. */
function runOn(rows: number) {
  const input = join(tmp.dir, `telco-${rows}.csv`);
  writeFileSync(input, `${[head, ...lines.slice(0, rows)].join("\n")}\n`);
  const out = join(tmp.dir, `out-${rows}`);
  const run = pipe(["run", "--input", input, "--target", "Churn", "--out", out, "--trees", "20", "--no-png"], tmp.dir);
  expect(run.code, run.stderr).toBe(0);
  return { run, out, m: JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")) };
}

describe("the test split's uncertainty", () => {
  it("a split with few rows of a class: a caution in the log, metrics.json, metrics.txt and the report, naming --cv", () => {
    const { run, out, m } = runOn(90);
    expect(m.n_test).toBe(27);
    const caution = m.test_caution as string;
    expect(caution).toMatch(
      /^the test split holds only \d+ "Yes" rows of 27: its figures can change a lot with the rows drawn.*; cross-validation reads every training row: add --cv 5$/u,
    );
    expect(run.stderr).toContain(`warning: evaluate: ${caution}`);
    expect(readFileSync(join(out, "metrics.txt"), "utf8")).toContain(`Caution: ${caution}`);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain('id="caution"');
  });

  it("a split with enough rows: no caution; the ROC AUC's 95% interval (DeLong) around it, in the log and metrics.txt", () => {
    const { run, out, m } = runOn(2000);
    expect(m.test_caution).toBeUndefined();
    const ci = m.roc_auc_ci as { level: number; low: number; high: number; se: number; method: string };
    expect(ci.method).toBe("DeLong");
    expect(ci.level).toBe(0.95);
    expect(ci.se).toBeGreaterThan(0.005);
    expect(ci.se).toBeLessThan(0.05);
    expect(ci.low).toBeLessThan(m.roc_auc);
    expect(ci.high).toBeGreaterThan(m.roc_auc);
    expect(ci.high - ci.low).toBeCloseTo(2 * 1.959963984540054 * ci.se, 10);
    expect(run.stderr).toContain(`evaluate: test ROC AUC ${m.roc_auc.toFixed(4)} (95% CI ${ci.low.toFixed(3)}–${ci.high.toFixed(3)}),`);
    expect(readFileSync(join(out, "metrics.txt"), "utf8")).toContain(
      `Test ROC AUC 95% confidence interval (DeLong): ${ci.low.toFixed(4)} to ${ci.high.toFixed(4)}`,
    );
  });
});
