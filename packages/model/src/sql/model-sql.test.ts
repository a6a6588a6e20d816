import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type DatasetSchema, type Engine, openClickHouse, openDuckDb, type ProcessedTable, parseCsv } from "@pipe/etl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickhouseUrl, DATASETS, tempDir } from "../../../../test-support/index.js";
import type { PipeModel } from "../model.js";
import { type TrainOptions, trainModel } from "../train.js";
import { BOOKINGS_FEATURES, processed, writeBookings } from "../train.test-util.js";
import { literal, modelSql, SqlBudgetError } from "./model-sql.js";

const tmp = tempDir();
afterAll(tmp.cleanup);

interface Case {
  name: string;
  data: { schema: DatasetSchema; table: ProcessedTable; path: string };
  model: PipeModel;
}

/** The processed CSV's header and rows as text (missing as ""), with a row number to order the engine's results by. */
function csvRows(path: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = parseCsv(readFileSync(path, "utf8"), { delimiter: "," }).map((r) => r.fields);
  return { header: header as string[], rows: rows.filter((r) => r.length > 1) };
}

async function scoreInEngine(
  engine: Engine,
  c: Case,
  table: string,
  options: { typed?: boolean } = {},
): Promise<{ probability: number; label: string; prediction: number }[]> {
  const { header, rows } = csvRows(c.data.path);
  if (engine.dialect.name === "duckdb") {
    const read = `read_csv('${c.data.path}', header = true${options.typed ? "" : ", all_varchar = true"})`;
    await engine.run(`CREATE OR REPLACE TABLE ${table} AS SELECT row_number() OVER () AS pipe_row, * FROM ${read}`);
  } else {
    const appender = await engine.createTextTable(table, [{ name: "pipe_row", type: "integer" }, ...header.map((name) => ({ name, type: "text" as const }))]);
    for (const [i, r] of rows.entries()) appender.append([i + 1, ...r]);
    await appender.close();
  }
  const { sql } = modelSql(c.model, { dialect: engine.dialect.name, relation: table });
  const out = await engine.rows(`SELECT pipe_row, probability, prediction, label FROM (${sql}) AS scored ORDER BY pipe_row`);
  expect(out).toHaveLength(rows.length);
  return out.map((r) => ({ probability: Number(r.probability), label: String(r.label), prediction: Number(r.prediction) }));
}

function expectSameScores(c: Case, got: { probability: number; label: string; prediction: number }[]): void {
  const all = Int32Array.from({ length: c.data.table.rows }, (_, i) => i);
  const want = c.model.predictProba(c.model.preprocessor.transform(c.data.table, all));
  const s = c.model.state;
  let nearThreshold = 0;
  got.forEach((g, i) => {
    const p = want[i] as number;
    expect(Math.abs(g.probability - p), `${c.name} row ${i + 1}: ${g.probability} vs ${p}`).toBeLessThan(1e-12);
    if (Math.abs(p - s.threshold) < 1e-12) nearThreshold++;
    else expect(g.label, `${c.name} row ${i + 1}`).toBe(p >= s.threshold ? s.positiveClass : s.classes.find((k) => k !== s.positiveClass));
    expect(g.prediction).toBe(g.label === s.positiveClass ? 1 : 0);
  });
  expect(nearThreshold).toBeLessThan(got.length / 100);
}

describe("modelSql: the model as one query, the same probabilities in the engine as in pipe", () => {
  const cases: Case[] = [];
  beforeAll(async () => {
    const titanic = { ...(await processed(tmp.dir, "titanic", DATASETS.titanic, { target: "Survived" })), path: join(tmp.dir, "titanic.csv") };
    const telco = { ...(await processed(tmp.dir, "telco", DATASETS.telco, { target: "Churn" })), path: join(tmp.dir, "telco.csv") };
    writeBookings(join(tmp.dir, "bookings-raw.csv"));
    const bookings = { ...(await processed(tmp.dir, "bookings", join(tmp.dir, "bookings-raw.csv"), { target: "late" })), path: join(tmp.dir, "bookings.csv") };
    const train = async (name: string, data: Case["data"], extra: Partial<TrainOptions>) => {
      const { model } = await trainModel(data.table, data.table.featureKinds, data.table.y, {
        target: data.schema.target,
        classes: [data.schema.negativeClass, data.schema.positiveClass],
        positiveClass: data.schema.positiveClass,
        testSize: 0.3,
        seed: 7,
        dataSha256: "test",
        ...extra,
      });
      cases.push({ name, data, model });
    };
    const small = { nEstimators: 6, maxDepth: 6 };
    // Missing ages as an indicator column too; the Platt calibration; categories with rare levels pooled.
    await train("titanic forest, calibrated, missing indicators", titanic, { forest: small, preprocessing: { missingIndicators: true } });
    await train("telco forest, uncalibrated", telco, { forest: small, calibration: "none" });
    await train("titanic boosted trees", titanic, { model: "gbt", boosting: { maxIter: 12, maxDepth: 4 } });
    await train("telco logistic regression", telco, { model: "logistic", preprocessing: { missingIndicators: true } });
    // Dates read as their parts (a date and time with blanks, a date alone) by trees and by the logistic regression.
    await train("bookings forest on dates", bookings, { forest: { nEstimators: 8, maxDepth: 8 } });
    await train("bookings logistic regression on dates", bookings, { model: "logistic" });
  }, 120_000);

  for (const engineName of ["duckdb", "clickhouse"] as const) {
    it(`${engineName}: every row's probability to 1e-12 and the same label`, async () => {
      const engine = engineName === "duckdb" ? await openDuckDb() : await openClickHouse({ url: clickhouseUrl() });
      try {
        expect(cases).toHaveLength(6);
        for (const [k, c] of cases.entries()) expectSameScores(c, await scoreInEngine(engine, c, `pipe_sql_test_${k}`));
      } finally {
        if (engineName === "clickhouse") for (const k of cases.keys()) await engine.run(`DROP TABLE IF EXISTS pipe_sql_test_${k}`);
        await engine.close();
      }
    }, 120_000);
  }

  // Telco's too: DuckDB's reader types its Yes/No columns as BOOLEAN, whose text is true/false — read as
  // the flags' Yes and No, as pipe's scorer reads them.
  it("duckdb: a table with typed columns (numbers as DOUBLE or BIGINT, Yes/No as BOOLEAN) scores the same", async () => {
    const engine = await openDuckDb();
    try {
      const typed = cases.filter((c) => c.data.schema.target === "Survived" || c.data.schema.target === "Churn");
      expect(typed).toHaveLength(4);
      for (const c of typed) expectSameScores(c, await scoreInEngine(engine, c, "typed", { typed: true }));
    } finally {
      await engine.close();
    }
  }, 120_000);

  it("refuses a model over the node budget, naming its size", () => {
    const c = cases[0] as Case;
    const nodes = c.model.state.forest.trees.reduce((sum, t) => sum + t.feature.length, 0);
    expect(() => modelSql(c.model, { dialect: "duckdb", relation: "t", maxNodes: nodes - 1 })).toThrow(SqlBudgetError);
    expect(() => modelSql(c.model, { dialect: "duckdb", relation: "t", maxNodes: nodes - 1 })).toThrow(`${nodes} tree nodes (6 trees)`);
    expect(modelSql(c.model, { dialect: "duckdb", relation: "t", maxNodes: nodes }).nodes).toBe(nodes);
  });

  it("a model reading dates: its parts computed once a row beside the query (in DuckDB, not added to the columns it returns)", async () => {
    const dated = cases.filter((c) => c.data.schema.target === "late");
    expect(dated).toHaveLength(2);
    expect(dated[0]?.model.featureNames).toEqual(BOOKINGS_FEATURES);
    // The trees split on the parts by name: each date is read once, however many nodes split on it.
    const { sql } = modelSql((dated[0] as Case).model, { dialect: "duckdb", relation: "t" });
    expect(sql.split("regexp_matches(").length - 1).toBe(2);
    expect(sql.split("pipe_date0_hour").length - 1).toBeGreaterThan(2);
    expect(sql).toContain("-- Input columns: booked (ISO date), opened (ISO date), amount (number).");
    // ClickHouse's result holds the work columns: the command says so.
    expect(modelSql((dated[0] as Case).model, { dialect: "duckdb", relation: "t" }).warnings).toEqual([]);
    expect(modelSql((dated[0] as Case).model, { dialect: "clickhouse", relation: "t" }).warnings).toEqual([
      "the result holds, after the relation's columns, the work columns the model's dates are read into (pipe_date0_ms, pipe_date1_ms, pipe_date0_days, pipe_date0_month, pipe_date0_weekday, pipe_date0_hour, pipe_date1_days, pipe_date1_month, pipe_date1_weekday): ClickHouse's older servers cannot leave columns out of SELECT *",
    ]);
    for (const engineName of ["duckdb", "clickhouse"] as const) {
      const engine = engineName === "duckdb" ? await openDuckDb() : await openClickHouse({ url: clickhouseUrl() });
      try {
        const c = dated[0] as Case;
        await scoreInEngine(engine, c, "pipe_sql_dated");
        const { sql: q } = modelSql(c.model, { dialect: engineName, relation: "pipe_sql_dated" });
        const [first] = await engine.rows(`SELECT * FROM (${q}) AS scored LIMIT 1`);
        const columns = ["pipe_row", "booked", "opened", "amount", "late"];
        // ClickHouse's older servers cannot leave columns out of `*`: the parts the model read come along.
        if (engineName === "clickhouse")
          columns.push(
            "pipe_date0_ms",
            "pipe_date1_ms",
            ...["booked", "opened"].flatMap((_, k) => ["days", "month", "weekday", ...(k === 0 ? ["hour"] : [])].map((p) => `pipe_date${k}_${p}`)),
          );
        expect(Object.keys(first ?? {})).toEqual([...columns, "score", "probability", "prediction", "label"]);
      } finally {
        await engine.run("DROP TABLE IF EXISTS pipe_sql_dated");
        await engine.close();
      }
    }
  }, 120_000);

  it("quotes column names and levels for each engine", () => {
    const c = cases[1] as Case;
    const duck = modelSql(c.model, { dialect: "duckdb", relation: "t" }).sql;
    const click = modelSql(c.model, { dialect: "clickhouse", relation: "t" }).sql;
    expect(duck).toContain(`CAST("Contract" AS VARCHAR)`);
    expect(click).toContain("toString(`Contract`)");
    expect(duck).toMatch(/^-- pipe model [0-9a-f]{12}: random forest, 6 trees; target Churn, positive class Yes/);
  });
});

describe("literal", () => {
  it("writes doubles that read back exactly, negatives in parentheses", () => {
    for (const v of [0, 1, 0.1, 1 / 3, -2.5e-300, 123456789.123, Number.MIN_VALUE, 2 ** 53 + 2]) {
      const text = literal(v);
      expect(Number(text.replace(/[()]/g, ""))).toBe(v);
      expect(text.startsWith("(")).toBe(v < 0);
    }
    expect(() => literal(Number.NaN)).toThrow(/train it again/);
  });
});
