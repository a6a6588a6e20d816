import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openSource, readProcessed, runEtl } from "@pipe/etl";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, FIXTURES, tempDir } from "../../../../test-support/index.js";
import { analyze } from "./analyze.js";

// The analysis of real data, through pipe's ETL, against SciPy on the same columns
// (test-support/fixtures/scipy-tails.json): the tails the analysis reports are SciPy's.
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON
const tails = JSON.parse(readFileSync(join(FIXTURES, "scipy-tails.json"), "utf8")).tests as any[];
const scipy = (name: string) => tails.find((t) => t.name === name);
const tmp = tempDir("pipe-analysis-");
afterAll(tmp.cleanup);

async function analysisOf(input: string, target: string, positive?: string) {
  const out = { processed: join(tmp.dir, `${target}.csv`), rejected: join(tmp.dir, `${target}.rej.csv`) };
  const { schema } = await runEtl(openSource(input), { target, ...(positive ? { positive } : {}) }, out);
  const table = await readProcessed(out.processed, schema);
  return analyze({
    target,
    classes: [schema.negativeClass, schema.positiveClass],
    rows: table.rows,
    features: table.featureKinds,
    numeric: table.numeric,
    categorical: table.categorical,
    y: table.y,
  });
}
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("the analysis of Titanic and Telco equals SciPy's, far into the tails", () => {
  it("Titanic: chi2_contingency with Yates on Sex, missing Embarked left out of its table", async () => {
    const a = await analysisOf(DATASETS.titanic, "Survived");
    for (const [feature, name] of [
      ["Sex", "titanic Survived x Sex"],
      ["Embarked", "titanic Survived x Embarked"],
    ] as const) {
      const t = a.tests.find((x) => x.feature === feature);
      const s = scipy(name);
      if (!t) throw new Error(`no test of ${feature}`);
      expect(rel(t.statistic, s.statistic), feature).toBeLessThan(1e-9);
      expect(rel(t.pvalue, s.pvalue), feature).toBeLessThan(1e-6);
    }
    const embarked = a.tests.find((x) => x.feature === "Embarked");
    expect(embarked?.chi_square?.rows_missing_excluded).toBe(2);
    expect(a.tests.find((x) => x.feature === "Sex")?.chi_square?.yates).toBe(true);
  });

  it("Telco: tenure's Kolmogorov-Smirnov p-value is SciPy's exact 1.6e-156, not a floor near 1e-16", async () => {
    const a = await analysisOf(DATASETS.telco, "Churn", "Yes");
    const tenure = a.tests.find((x) => x.feature === "tenure");
    const s = scipy("telco tenure (Churn=Yes vs No)");
    expect(rel(tenure?.alongside?.ks?.statistic as number, s.ks_2samp.statistic)).toBeLessThan(1e-9);
    expect(rel(tenure?.alongside?.ks?.pvalue as number, s.ks_2samp.pvalue)).toBeLessThan(1e-6);
    expect(rel(tenure?.pvalue as number, s.welch_t.pvalue)).toBeLessThan(1e-6);
  });
});
