import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const tmp = tempDir("pipe-etl-rules-");
afterAll(tmp.cleanup);

describe("pipe etl with rules from pipe.config.json", () => {
  it("bins a column, replays or re-reads as configured, and reports both", () => {
    const config = {
      input: DATASETS.titanic,
      out: join(tmp.dir, "out"),
      target: "Survived",
      etl: { rules: { Age: { discretize: { method: "quantile", bins: 4 } }, Fare: { discretize: { method: "width", bins: 3, labels: "index" } } } },
    };
    writeFileSync(join(tmp.dir, "pipe.config.json"), JSON.stringify(config));
    const replayed = pipe(["etl", "--json"], tmp.dir);
    expect(replayed.code, replayed.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(tmp.dir, "out", "etl_report.json"), "utf8"));
    const schema = JSON.parse(readFileSync(join(tmp.dir, "out", "dataset_processed.schema.json"), "utf8"));
    expect(report.second_pass).toBe("replayed from memory");
    expect(report.discretised.map((d: { name: string }) => d.name)).toEqual(["Age", "Fare"]);
    const age = schema.columns.find((c: { name: string }) => c.name === "Age");
    // pandas: qcut(titanic.Age.dropna(), 4) has edges 0.42, 20.125, 28, 38, 80.
    expect(age.bins).toEqual([0.42, 20.125, 28, 38, 80]);
    expect(age).toMatchObject({ type: "category", missing: 177 });
    expect(schema.columns.find((c: { name: string }) => c.name === "Fare")).toMatchObject({ type: "integer", min: 0, max: 2 });
    const processed = readFileSync(join(tmp.dir, "out", "dataset_processed.csv"), "utf8");

    const reread = pipe(["etl", "--json", "--set", "etl.inMemoryCells=0"], tmp.dir);
    expect(reread.code, reread.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(tmp.dir, "out", "etl_report.json"), "utf8")).second_pass).toBe("source read again");
    expect(readFileSync(join(tmp.dir, "out", "dataset_processed.csv"), "utf8")).toBe(processed);
  });

  it("refuses a rule the config schema does not know, naming it", () => {
    writeFileSync(
      join(tmp.dir, "pipe.config.json"),
      JSON.stringify({ input: DATASETS.titanic, target: "Survived", etl: { rules: { Age: { discretize: { method: "kmeans", bins: 4 } } } } }),
    );
    const r = pipe(["etl"], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/discretize/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
