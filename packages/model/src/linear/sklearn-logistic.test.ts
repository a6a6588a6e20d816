import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openSource, readProcessed, runEtl } from "@pipe/etl";
import { afterAll, describe, expect, it } from "vitest";
import { logisticCases } from "../../../../test-support/fixtures/logistic-cases.mjs";
import { FIXTURES, tempDir } from "../../../../test-support/index.js";
import { Preprocessor } from "../preprocess/preprocessor.js";
import { stratifiedSplit } from "../split/stratified.js";
import { LinearDesign } from "./design.js";
import { LogisticRegression } from "./logistic-regression.js";

// scikit-learn 1.2.1's LogisticRegression(C=1) fitted on pipe's own design matrices of the published
// datasets (test-support/fixtures/logistic.json, from make_logistic_fixtures.py).
interface Case {
  name: string;
  n_train: number;
  cols: number;
  design_sum: number;
  design_sum_squares: number;
  coef: number[];
  intercept: number;
  test_proba_head: number[];
}
const fixture = JSON.parse(readFileSync(join(FIXTURES, "logistic.json"), "utf8")) as { cases: Case[] };
const tmp = tempDir("pipe-lr-");
afterAll(tmp.cleanup);

describe.each(fixture.cases)("logistic regression on $name matches scikit-learn", (expected) => {
  it("to 1e-6 in every coefficient and in the test probabilities", async () => {
    const c = logisticCases.find((k) => k.name === expected.name);
    if (!c) throw new Error(`no case ${expected.name}`);
    const paths = { processed: join(tmp.dir, `${c.name}.csv`), rejected: join(tmp.dir, `${c.name}.rej.csv`) };
    const { schema } = await runEtl(openSource(c.input), c.options, paths);
    const table = await readProcessed(paths.processed, schema);
    const split = stratifiedSplit(table.y, 0.3, 42);
    const design = new LinearDesign(new Preprocessor().fit(table, table.featureKinds, split.train, table.y)).fit(table, split.train);
    const X = design.transform(table, split.train);
    // The same numbers as the fixture's (else the preprocessing changed: regenerate the fixture).
    expect([X.rows, X.cols]).toEqual([expected.n_train, expected.cols]);
    let sum = 0;
    let squares = 0;
    for (const v of X.values) {
      sum += v;
      squares += v * v;
    }
    expect(Math.abs(sum - expected.design_sum)).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected.design_sum)));
    expect(Math.abs(squares - expected.design_sum_squares)).toBeLessThan(1e-9 * expected.design_sum_squares);

    const lr = new LogisticRegression().fit(
      X,
      Uint8Array.from(split.train, (i) => table.y[i] as number),
    );
    expect(lr.fitInfo?.converged).toBe(true);
    const worst = Math.max(...expected.coef.map((w, j) => Math.abs(w - (lr.coef[j] as number))), Math.abs(expected.intercept - lr.intercept));
    expect(worst).toBeLessThan(1e-6);
    const p = lr.predictProba(design.transform(table, split.test));
    expected.test_proba_head.forEach((q, i) => void expect(Math.abs(q - (p[i] as number))).toBeLessThan(1e-6));
  });
});
