import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

  it("--set reaches a column whose name holds dots (Kaggle's Adult: capital.gain), as pipe's own advice writes it", () => {
    const lines = ["age,capital.gain,capital.loss,income"];
    for (let i = 0; i < 200; i++)
      lines.push(`${20 + (i % 50)},${i % 7 === 0 ? 5000 + i : 0},${i % 11 === 0 ? "" : i % 5 === 0 ? 100 + i : 0},${i % 3 === 0 ? ">50K" : "<=50K"}`);
    writeFileSync(join(tmp.dir, "adult-kaggle.csv"), `${lines.join("\n")}\n`);
    const out = join(tmp.dir, "kaggle");
    // Its own folder: the test above leaves a pipe.config.json in tmp.dir.
    const cwd = join(tmp.dir, "kaggle-cwd");
    mkdirSync(cwd, { recursive: true });
    const r = pipe(
      [
        "etl",
        "--input",
        join(tmp.dir, "adult-kaggle.csv"),
        "--target",
        "income",
        "--out",
        out,
        "--set",
        'etl.rules.capital.gain={"drop": true}',
        "--set",
        "etl.rules.capital.loss.fill=0", // a number, as pandas writes fillna(0)
      ],
      cwd,
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "etl_report.json"), "utf8"));
    expect(report.dropped_columns).toEqual([{ name: "capital.gain", reason: "listed in the config" }]);
    expect(report.cells.filled).toBe(19);
  });
});
