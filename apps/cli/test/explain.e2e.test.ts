import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "@pipe/etl";
import { PipeModel } from "@pipe/model";
import { afterAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const tmp = tempDir("pipe-explain-e2e-");
afterAll(tmp.cleanup);
const out = join(tmp.dir, "titanic");
const trained = pipe(["run", "--input", DATASETS.titanic, "--target", "Survived", "--out", out, "--trees", "20", "--quiet"], tmp.dir);
const readRows = (path: string) => parseCsv(readFileSync(path, "utf8"), { delimiter: "," }).map((r) => r.fields);

describe("explanations from the command line", () => {
  it("pipe predict --explain adds the base value, the score and a contribution per column, adding up", () => {
    expect(trained.code).toBe(0);
    const scored = join(tmp.dir, "explained.csv");
    const r = pipe(["predict", "--model", join(out, "model.json"), "--input", DATASETS.titanic, "--output", scored, "--explain", "--quiet"], tmp.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [header, ...rows] = readRows(scored) as [string[], ...string[][]];
    const columns = ["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"];
    expect(header.slice(-2 - columns.length)).toEqual(["base_value", "score", ...columns.map((c) => `contribution_${c}`)]);
    const at = (name: string) => header.indexOf(name);
    const model = PipeModel.parse(readFileSync(join(out, "model.json")));
    expect(rows).toHaveLength(891);
    for (const row of rows) {
      const sum = columns.reduce((s, c) => s + Number(row[at(`contribution_${c}`)]), Number(row[at("base_value")]));
      expect(Math.abs(sum - Number(row[at("score")]))).toBeLessThan(1e-12);
      expect(Number(row[at("probability")])).toBe(model.probabilityOf(Number(row[at("score")])));
    }
  });

  it("pipe predict --explain 2 keeps the two largest reasons and the rest's sum", () => {
    const scored = join(tmp.dir, "top2.csv");
    expect(
      pipe(["predict", "--model", join(out, "model.json"), "--input", DATASETS.titanic, "--output", scored, "--explain", "2", "--quiet"], tmp.dir).code,
    ).toBe(0);
    const [header, first] = readRows(scored) as [string[], string[]];
    expect(header.slice(-7)).toEqual(["base_value", "score", "reason_1", "reason_1_contribution", "reason_2", "reason_2_contribution", "reasons_rest"]);
    expect(["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"]).toContain(first[header.indexOf("reason_1")]);
    expect(Math.abs(Number(first[header.indexOf("reason_1_contribution")]))).toBeGreaterThanOrEqual(
      Math.abs(Number(first[header.indexOf("reason_2_contribution")])),
    );
    expect(pipe(["predict", "--model", join(out, "model.json"), "--input", DATASETS.titanic, "--output", scored, "--explain", "some"], tmp.dir).stderr).toMatch(
      /--explain expects all or a whole number/,
    );
  });

  it("pipe explain writes explanations.json and explanations.csv; a bad row gets its line and error", () => {
    const [head, ...lines] = readFileSync(DATASETS.titanic, "utf8").trimEnd().split("\n");
    const rows = join(tmp.dir, "rows.csv");
    writeFileSync(rows, `${head}\n${lines.slice(0, 20).join("\n")}\n${(lines[20] as string).replace(/,(male|female),[^,]*,/, ",$1,old,")}\n`);
    const dir = join(tmp.dir, "explained");
    const r = pipe(["explain", "--model", join(out, "model.json"), "--input", rows, "--out", dir, "--top", "3", "--json"], tmp.dir);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, "explanations.json"), "utf8")) as {
      base_value: number;
      rows: { line: number; error?: string; score?: number; rest?: number; contributions?: { column: string; contribution: number }[] }[];
    };
    expect(json.rows).toHaveLength(21);
    expect(json.rows[0]?.line).toBe(2);
    expect(json.rows[0]?.contributions).toHaveLength(3);
    for (const row of json.rows.slice(0, 20)) {
      const sum = (row.contributions ?? []).reduce((s, c) => s + c.contribution, json.base_value + (row.rest as number));
      expect(Math.abs(sum - (row.score as number))).toBeLessThan(1e-12);
    }
    expect(json.rows[20]).toEqual({ line: 22, error: expect.stringMatching(/^line 22: Age: "old" is not a number/) });
    const [header, ...csvRows] = readRows(join(dir, "explanations.csv")) as [string[], ...string[][]];
    expect(header.slice(0, 6)).toEqual(["line", "probability", "prediction", "label", "base_value", "score"]);
    expect(csvRows).toHaveLength(21);
    expect(csvRows[20]?.at(-1)).toMatch(/^line 22: /);
  });
});
