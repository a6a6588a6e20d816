import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { DEFAULT_MISSING_TOKENS, formatCsvRow, parseCsv } from "@pipe/etl";
import { CellScorer, PipeModel } from "@pipe/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// The ETL pushed to DuckDB from the command line: a CSV through the engine gives the native bytes;
// Parquet files and DuckDB tables are read where they are, and the results can go back to a table.
const tmp = tempDir("pipe-engine-e2e-");
afterAll(tmp.cleanup);
const warehouse = join(tmp.dir, "warehouse.duckdb");
const parquet = join(tmp.dir, "titanic.parquet");

beforeAll(async () => {
  const db = await DuckDBInstance.create(warehouse);
  const c = await db.connect();
  // A table as a warehouse holds it: typed columns, NULLs where the CSV had blanks, and a bad row.
  await c.run(`CREATE TABLE passengers AS SELECT * FROM read_csv('${DATASETS.titanic}')`);
  await c.run("INSERT INTO passengers (PassengerId, Survived, Pclass, Name, Sex, Age) VALUES (9999, NULL, 3, 'Nobody, Mr.', 'male', 30)");
  await c.run(`COPY passengers TO '${parquet}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
});

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

describe("pipe etl in DuckDB", () => {
  it("--engine duckdb writes the native ETL's bytes for a CSV, and leaves no work file behind", () => {
    const native = join(tmp.dir, "native");
    const engine = join(tmp.dir, "engine");
    const a = pipe(["etl", "--input", DATASETS.titanic, "--target", "Survived", "--out", native]);
    const b = pipe(["etl", "--input", DATASETS.titanic, "--target", "Survived", "--out", engine, "--engine", "duckdb"]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(read(engine, "dataset_processed.csv")).toBe(read(native, "dataset_processed.csv"));
    expect(read(engine, "rejected.csv")).toBe(read(native, "rejected.csv"));
    expect(read(engine, "dataset_processed.schema.json")).toBe(read(native, "dataset_processed.schema.json"));
    expect(JSON.parse(read(engine, "etl_report.json")).second_pass).toBe("in the engine (duckdb)");
    expect(readdirSync(engine).filter((f) => f.includes("pipe-etl"))).toEqual([]);
  });

  it("reads a Parquet file, numbering rows for the rejects, and the pipeline trains on it", () => {
    const out = join(tmp.dir, "parquet");
    const r = pipe(["run", "--input", parquet, "--target", "Survived", "--out", out, "--set", "report.png=false", "--set", "model.nEstimators=20"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(read(out, "etl_report.json"));
    expect(report).toMatchObject({ rows_in: 892, rows_out: 891, rejected_by_rule: { missing_target: 1 } });
    // The NULL target is row 892 of the file (the inserted one), with its raw values.
    const rejected = read(out, "rejected.csv").trim().split("\n");
    expect(rejected[1]).toMatch(/^892,missing_target,Survived,the target is missing,9999,,3,"Nobody, Mr\.",male,30\.0,/);
    expect(existsSync(join(out, "model.json"))).toBe(true);
  });

  it("reads a table of a DuckDB database and writes the processed and rejected rows back as tables", async () => {
    const out = join(tmp.dir, "table");
    const r = pipe(["etl", "--input", `duckdb:${warehouse}?table=passengers`, "--target", "Survived", "--out", out, "--output-table", "passengers_clean"]);
    expect(r.code, r.stderr).toBe(0);
    const db = await DuckDBInstance.create(warehouse, { access_mode: "READ_ONLY" });
    const c = await db.connect();
    const counts = (
      await c.runAndReadAll("SELECT (SELECT count(*) FROM passengers_clean) AS kept, (SELECT count(*) FROM passengers_clean_rejected) AS rejected")
    ).getRowObjectsJson();
    c.closeSync();
    db.closeSync();
    expect(counts).toEqual([{ kept: "891", rejected: "1" }]);
    const processed = read(out, "dataset_processed.csv").trim().split("\n");
    expect(processed).toHaveLength(892);
  });

  it("pipe predict streams a table through the scorer and writes the scores back, the same as for the CSV", async () => {
    const model = join(tmp.dir, "parquet", "model.json");
    const scored = join(tmp.dir, "scored-table.csv");
    const r = pipe(["predict", "--model", model, "--input", `duckdb:${warehouse}?table=passengers`, "--output", scored, "--output-table", "passengers_scores"]);
    expect(r.code, r.stderr).toBe(0);
    const fromCsv = join(tmp.dir, "scored-csv.csv");
    expect(pipe(["predict", "--model", model, "--input", DATASETS.titanic, "--output", fromCsv]).code).toBe(0);
    const probability = (file: string) =>
      read(tmp.dir, file)
        .trim()
        .split("\n")
        .slice(1, 892)
        .map((line) => line.split(",").slice(-5, -3).join(","));
    expect(probability("scored-table.csv")).toEqual(probability("scored-csv.csv"));
    const db = await DuckDBInstance.create(warehouse, { access_mode: "READ_ONLY" });
    const c = await db.connect();
    const rows = (
      await c.runAndReadAll(
        "SELECT count(*) AS n, count(probability) AS scored, min(source_line) AS first, max(source_line) AS last, typeof(any_value(probability)) AS t FROM passengers_scores",
      )
    ).getRowObjectsJson();
    c.closeSync();
    db.closeSync();
    expect(rows).toEqual([{ n: "892", scored: "892", first: "1", last: "892", t: "DOUBLE" }]);
  });

  it("pipe predict reads a table's cells intact, the unit separator, quotes and commas among them", async () => {
    // Rows come out of DuckDB as one text each, cells joined by U+001F; a cell holding that character
    // itself must not split its row.
    const model = join(tmp.dir, "parquet", "model.json");
    const file = join(tmp.dir, "odd-names.duckdb");
    const db = await DuckDBInstance.create(file);
    const c = await db.connect();
    await c.run(`CREATE TABLE odd AS SELECT * FROM read_csv('${DATASETS.titanic}') LIMIT 4`);
    await c.run("UPDATE odd SET Name = 'Unit' || chr(31) || 'Separator, Mr.' WHERE PassengerId = 1");
    await c.run(`UPDATE odd SET Name = 'Quote "the" Comma, Mrs.' WHERE PassengerId = 2`);
    await c.run("UPDATE odd SET Sex = NULL WHERE PassengerId = 3");
    await c.run(`COPY odd TO '${join(tmp.dir, "odd.csv")}' (HEADER)`);
    c.closeSync();
    db.closeSync();
    const fromTable = pipe(["predict", "--model", model, "--input", `duckdb:${file}?table=odd`, "--output", join(tmp.dir, "odd-table.csv")]);
    expect(fromTable.code, fromTable.stderr).toBe(0);
    expect(pipe(["predict", "--model", model, "--input", join(tmp.dir, "odd.csv"), "--output", join(tmp.dir, "odd-csv.csv")]).code).toBe(0);
    const rows = (name: string) =>
      parseCsv(read(tmp.dir, name), { delimiter: "," })
        .map((r) => r.fields)
        .filter((f) => f.length > 1)
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const table = rows("odd-table.csv");
    expect(table).toHaveLength(5);
    expect(table).toEqual(rows("odd-csv.csv"));
    expect(table.map((f) => f[3])).toContain("Unit\u001fSeparator, Mr.");
  });

  it("pipe predict scores a table's rows as bytes: the file is the one scoring their text writes, byte for byte, and the scores go back", async () => {
    const model = join(tmp.dir, "parquet", "model.json");
    const file = join(tmp.dir, "edited.duckdb");
    const db = await DuckDBInstance.create(file);
    const c = await db.connect();
    // Titanic six times, every cell as text, edited: a name per row (past a column's 4,096-value dictionary),
    // the unit separator, quotes, commas, a line break, padding, NULLs, an unseen level and a bad number.
    await c.run(`CREATE TABLE edited AS SELECT * EXCLUDE (pid, k) REPLACE (
        CASE WHEN k = 0 AND pid % 50 = 1 THEN 'Unit' || chr(31) || 'Sep, Mr.'
             WHEN pid % 50 = 2 THEN 'Quote "q" ' || k
             WHEN pid % 50 = 3 THEN 'two' || chr(10) || 'lines ' || k
             ELSE Name || ' #' || k END AS Name,
        CASE WHEN pid % 40 = 4 THEN NULL WHEN pid % 40 = 5 THEN 'abc' WHEN pid % 40 = 6 THEN ' ' || Age || ' ' ELSE Age END AS Age,
        CASE WHEN pid % 30 = 7 THEN 'unknown' ELSE Sex END AS Sex)
      FROM (SELECT *, PassengerId::INTEGER AS pid FROM read_csv('${DATASETS.titanic}', all_varchar = true)) t, range(6) r(k) ORDER BY k, pid`);
    const cells = (await c.runAndReadAll("SELECT * FROM edited ORDER BY rowid")).getRowsJS().map((row) => row.map((v) => (v === null ? "" : String(v))));
    const columns = (await c.runAndReadAll("SELECT * FROM edited LIMIT 0")).columnNames();
    c.closeSync();
    db.closeSync();
    const out = join(tmp.dir, "edited-scored.csv");
    const r = pipe(["predict", "--model", model, "--input", `duckdb:${file}?table=edited`, "--output", out, "--output-table", "edited_scores"]);
    expect(r.code, r.stderr).toBe(0);

    const scorer = new CellScorer(PipeModel.parse(readFileSync(model), model), columns, new Set(DEFAULT_MISSING_TOKENS));
    const scores = await scorer.score(cells);
    const want = [formatCsvRow([...columns, "probability", "prediction", "label", "warnings", "error"])];
    cells.forEach((row, i) => {
      const error = scores.errors.get(i);
      const prediction = scores.prediction[i] as 0 | 1;
      want.push(
        formatCsvRow(
          error !== undefined
            ? [...row, "", "", "", "", `line ${i + 1}: ${error}`]
            : [...row, String(scores.probability[i]), String(prediction), scorer.labels[prediction], scores.warnings[i]?.join("; ") ?? "", ""],
        ),
      );
    });
    expect(scores.errors.size).toBeGreaterThan(0);
    expect(read(tmp.dir, "edited-scored.csv")).toBe(want.join(""));

    const check = await DuckDBInstance.create(file, { access_mode: "READ_ONLY" });
    const cc = await check.connect();
    const back = (await cc.runAndReadAll("SELECT source_line, probability, error FROM edited_scores ORDER BY source_line")).getRowsJS();
    cc.closeSync();
    check.closeSync();
    expect(back).toHaveLength(cells.length);
    back.forEach(([line, probability, error], i) => {
      expect(Number(line)).toBe(i + 1);
      if (scores.errors.has(i)) expect([probability, error]).toEqual([null, `line ${i + 1}: ${scores.errors.get(i)}`]);
      else expect(probability).toBe(scores.probability[i]);
    });
  }, 120_000);

  it("pipe predict writes a large table's rows in the table's order (DuckDB reads it on several threads)", async () => {
    const model = join(tmp.dir, "parquet", "model.json");
    const file = join(tmp.dir, "large.duckdb");
    const db = await DuckDBInstance.create(file);
    const c = await db.connect();
    // 356,400 rows: several of DuckDB's row groups, which its threads read in any order.
    await c.run(`CREATE TABLE large AS SELECT r.i AS copy, t.* FROM read_csv('${DATASETS.titanic}') t, range(400) r(i) ORDER BY r.i, t.PassengerId`);
    c.closeSync();
    db.closeSync();
    const out = join(tmp.dir, "large-scored.csv");
    const r = pipe(["predict", "--model", model, "--input", `duckdb:${file}?table=large`, "--output", out, "--unknown-fields", "ignore"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = read(tmp.dir, "large-scored.csv").trimEnd().split("\n").slice(1);
    expect(lines).toHaveLength(356_400);
    let previous = -1;
    let outOfOrder = 0;
    for (const line of lines) {
      const [copy, id] = line.split(",", 2).map(Number);
      const key = (copy as number) * 10_000 + (id as number);
      if (key < previous) outOfOrder++;
      previous = key;
    }
    expect(outOfOrder).toBe(0);
  }, 120_000);

  it("pipe export --sql duckdb: the query over the table pipe etl wrote gives pipe predict's probabilities and labels", async () => {
    const out = join(tmp.dir, "small");
    const trained = pipe(["train", "--out", join(tmp.dir, "parquet"), "--set", "model.nEstimators=12", "--set", "model.maxDepth=5", "--quiet"]);
    expect(trained.code, trained.stderr).toBe(0);
    const model = join(tmp.dir, "parquet", "model.json");
    const sqlFile = join(out, "scores.sql");
    const r = pipe(["export", "--sql", "duckdb", "--model", model, "--table", "passengers_clean", "--output", sqlFile, "--json", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ stage: "export", dialect: "duckdb", relation: "passengers_clean", warnings: [] });
    const scored = join(tmp.dir, "scored-small.csv");
    expect(pipe(["predict", "--model", model, "--input", DATASETS.titanic, "--output", scored]).code).toBe(0);
    const [header, ...lines] = parseCsv(read(tmp.dir, "scored-small.csv"), { delimiter: "," }).map((r) => r.fields);
    const at = (name: string) => (header as string[]).indexOf(name);
    const want = lines.map((f) => [f[at("probability")], f[at("prediction")], f[at("label")]]);
    const db = await DuckDBInstance.create(warehouse, { access_mode: "READ_ONLY" });
    const c = await db.connect();
    const got = (await c.runAndReadAll(readFileSync(sqlFile, "utf8"))).getRowObjectsJson();
    c.closeSync();
    db.closeSync();
    expect(got).toHaveLength(891);
    got.forEach((row, i) => {
      const [probability, prediction, label] = want[i] as string[];
      expect(Math.abs(Number(row.probability) - Number(probability)), `row ${i + 1}`).toBeLessThan(1e-12);
      expect([String(row.prediction), String(row.label)]).toEqual([prediction, label]);
    });
    // Too large for the budget: refused with what to do instead, exit 1.
    const refused = pipe(["export", "--sql", "clickhouse", "--model", model, "--table", "passengers_clean", "--max-nodes", "10", "--out", out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/tree nodes \(12 trees\); its SQL is limited to 10 .*pipe predict --model .* --output-table scores/);
    expect(existsSync(join(out, "model.clickhouse.sql"))).toBe(false);
  });

  it("pipe train --in-engine grows the forest on the cleaned table in DuckDB; evaluate scores its held-out rows, predict, export and drift use it", () => {
    const out = join(tmp.dir, "table");
    const input = `duckdb:${warehouse}?table=passengers`;
    const train = (...extra: string[]) =>
      pipe(["train", "--in-engine", "--input", input, "--output-table", "passengers_clean", "--out", out, "--trees", "12", "--max-depth", "6", ...extra]);
    const r = train("--json", "--quiet");
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ stage: "train", trees: 12, in_engine: { engine: "duckdb", relation: "passengers_clean" } });
    expect(summary.n_train + summary.n_test).toBe(891);
    expect(summary.in_engine.roc_auc).toBeGreaterThan(0.8);
    const model = JSON.parse(read(out, "model.json"));
    expect(model.content.training.metrics.in_engine.test_rows).toBe(summary.n_test);
    // Its held-out rows (kept in test_rows.csv, in the same order every run) are what evaluate scores: the same
    // ROC AUC as the engine run measured, the majority-class baseline only (the training rows stayed in the engine).
    const heldOut = read(out, "test_rows.csv");
    expect(heldOut.trimEnd().split("\n")).toHaveLength(summary.n_test + 1);
    const evaluated = pipe(["evaluate", "--out", out, "--json", "--quiet"]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const metrics = JSON.parse(read(out, "metrics.json"));
    expect(metrics.n_test).toBe(summary.n_test);
    expect(metrics.n_train).toBe(summary.n_train);
    expect(metrics.split).toMatch(/^held out in duckdb by a hash of each row's values/);
    expect(Math.abs(metrics.roc_auc - summary.in_engine.roc_auc)).toBeLessThan(1e-12);
    expect(metrics.baselines.map((b: { name: string }) => b.name)).toEqual(["majority class (training positive rate)"]);
    // Trained again, the same rows in the same order.
    const again = train("--quiet");
    expect(again.code, again.stderr).toBe(0);
    expect(read(out, "test_rows.csv")).toBe(heldOut);
    // A held-out file that is not the one written with the model is refused.
    writeFileSync(join(out, "test_rows.csv"), heldOut.replace(/\n[^\n]*\n$/, "\n"));
    const tampered = pipe(["evaluate", "--out", out]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/test_rows\.csv is not the file `pipe train --in-engine` wrote/);
    writeFileSync(join(out, "test_rows.csv"), heldOut);
    expect(pipe(["export", "--sql", "duckdb", "--out", out, "--table", "passengers_clean", "--quiet"]).code).toBe(0);
    // Its drift reference (the engine's sample of the training values, the held-out rows' probabilities):
    // the training file itself does not drift from it; the same rows ten years older and paying triple do.
    expect(model.content.drift_reference.rows).toBe(summary.n_train);
    expect(model.content.drift_reference.scores).toHaveLength(summary.n_test);
    const same = pipe(["drift", "--model", join(out, "model.json"), "--input", DATASETS.titanic, "--out", out, "--json", "--quiet"]);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ dataset_drift: false, drifted_columns: [] });
    const [header, ...rows] = parseCsv(readFileSync(DATASETS.titanic, "utf8"), { delimiter: "," }).map((r) => r.fields);
    const age = (header as string[]).indexOf("Age");
    const fare = (header as string[]).indexOf("Fare");
    const older = join(tmp.dir, "titanic-older.csv");
    const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    writeFileSync(
      older,
      `${[
        header as string[],
        ...rows
          .filter((r) => r.length > 1)
          .map((r) => r.map((v, j) => (j === age && v !== "" ? String(Number(v) + 10) : j === fare ? String(Number(v) * 3) : v))),
      ]
        .map((r) => r.map(quote).join(","))
        .join("\n")}\n`,
    );
    const shifted = pipe(["drift", "--model", join(out, "model.json"), "--input", older, "--out", out, "--json", "--quiet"]);
    expect(shifted.code, shifted.stderr).toBe(0);
    expect(JSON.parse(shifted.stdout).drifted_columns).toEqual(expect.arrayContaining(["Age", "Fare"]));
    // Wrong uses are told what to do.
    const noTable = pipe(["train", "--in-engine", "--input", input, "--out", out]);
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toMatch(/--in-engine trains on the processed table/);
    const gbt = pipe(["train", "--in-engine", "--model", "gbt", "--input", input, "--output-table", "passengers_clean", "--out", out]);
    expect(gbt.code).toBe(2);
    expect(gbt.stderr).toMatch(/--in-engine grows a random forest/);
  });

  it("pipe run --in-engine runs every stage with the forest grown in DuckDB, and refuses settings that cannot before any stage", () => {
    const out = join(tmp.dir, "run-in-engine");
    const input = `duckdb:${warehouse}?table=passengers`;
    const r = pipe(
      ["run", "--in-engine", "--input", input, "--target", "Survived", "--output-table", "run_clean", "--out", out, "--trees", "12", "--max-depth", "6"].concat(
        ["--set", "report.png=false", "--json", "--quiet"],
      ),
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.stages.map((s: { stage: string }) => s.stage)).toEqual(["etl", "analyze", "train", "evaluate", "report"]);
    const model = JSON.parse(read(out, "model.json"));
    expect(model.content.training.metrics.in_engine.relation).toBe("run_clean");
    expect(Math.abs(summary.roc_auc - model.content.training.metrics.in_engine.roc_auc)).toBeLessThan(1e-12);
    expect(read(out, "report.html")).toMatch(/held out in duckdb by a hash of each row's values/);
    const csv = pipe(["run", "--in-engine", "--input", DATASETS.titanic, "--target", "Survived", "--out", join(tmp.dir, "run-csv")]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/--in-engine trains on the processed table in the input's database/);
    expect(existsSync(join(tmp.dir, "run-csv", "dataset_processed.csv"))).toBe(false);
  });

  it("says when DuckDB runs out of the memory it may use, and which settings to change", () => {
    const r = pipe([
      "etl",
      "--input",
      `duckdb:${warehouse}?table=passengers`,
      "--target",
      "Survived",
      "--out",
      join(tmp.dir, "oom"),
      "--set",
      'etl.engineMemoryLimit="1MB"',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^pipe: DuckDB ran out of the memory it may use \(1MB\): Out of Memory Error[^\n]*\(in: CREATE [^\n]*\)\n/m);
    expect(r.stderr).toMatch(/raise etl\.engineMemoryLimit \(--set 'etl\.engineMemoryLimit="2GB"'\) or lower etl\.engineThreads/);
    expect(r.stderr).not.toMatch(/unexpected error/);
  });

  it("names a missing table with the ones the database has, and refuses --output-table without a database", () => {
    const missing = pipe(["etl", "--input", `duckdb:${warehouse}?table=nope`, "--target", "Survived", "--out", join(tmp.dir, "x")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/has no table "nope"; its tables: .*passengers/);
    const noDb = pipe(["etl", "--input", DATASETS.titanic, "--target", "Survived", "--out", join(tmp.dir, "y"), "--output-table", "t"]);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/--output-table writes back to the input's database/);
  });

  it("reads a config's duckdb: input relative to the config file", () => {
    const dir = join(tmp.dir, "cfg");
    writeFileSync(join(tmp.dir, "pipe.config.json"), JSON.stringify({ input: "duckdb:warehouse.duckdb?table=passengers", out: "cfg", target: "Survived" }));
    const r = pipe(["etl"], tmp.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, "dataset_processed.csv"))).toBe(true);
  });
});

describe("a warehouse table typed by DuckDB's CSV reader", () => {
  // read_csv types Telco's Yes/No columns (Partner, Dependents, PhoneService, PaperlessBilling, Churn) as
  // BOOLEAN, whose text is true/false: a model trained on the CSV read them as unseen categories (5,868 of
  // 7,043 rows scored otherwise, no metrics against the labels). They are the flags' Yes and No now.
  it("pipe predict gives the CSV's probabilities and metrics", async () => {
    const out = join(tmp.dir, "telco");
    expect(pipe(["etl", "--input", DATASETS.telco, "--target", "Churn", "--out", out, "--quiet"]).code).toBe(0);
    expect(pipe(["train", "--out", out, "--trees", "20", "--quiet"]).code).toBe(0);
    const file = join(tmp.dir, "telco.duckdb");
    const db = await DuckDBInstance.create(file);
    const c = await db.connect();
    await c.run(`CREATE TABLE customers AS SELECT * FROM read_csv('${DATASETS.telco}')`);
    const booleans = (
      await c.runAndReadAll("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND data_type = 'BOOLEAN'")
    ).getRows();
    c.closeSync();
    db.closeSync();
    expect(booleans).toEqual([[5n]]);
    const model = join(out, "model.json");
    const fromCsv = pipe(["predict", "--model", model, "--input", DATASETS.telco, "--output", join(tmp.dir, "telco-csv.csv"), "--quiet"]);
    const fromTable = pipe(["predict", "--model", model, "--input", `duckdb:${file}?table=customers`, "--output", join(tmp.dir, "telco-table.csv"), "--quiet"]);
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    expect(fromTable.code, fromTable.stderr).toBe(0);
    const probabilities = (name: string) => {
      const [header, ...rows] = parseCsv(read(tmp.dir, name), { delimiter: "," }).map((r) => r.fields);
      const at = (header as string[]).indexOf("probability");
      return rows.filter((r) => r.length > 1).map((r) => Number(r[at]));
    };
    expect(probabilities("telco-table.csv")).toEqual(probabilities("telco-csv.csv"));
    expect(read(tmp.dir, "telco-table.csv")).not.toContain("was not seen in training");
    const metrics = (name: string) => JSON.parse(read(tmp.dir, name)).metrics;
    expect(metrics("telco-table.metrics.json")).toEqual(metrics("telco-csv.metrics.json"));
  }, 120_000);
});
