import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DatasetSchema, type Engine, openClickHouse, openDuckDb, type ProcessedTable, parseCsv } from "@pipe/etl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADULT_COLUMNS, clickhouseUrl, DATASETS, tempDir } from "../../../../test-support/index.js";
import { REFERENCE_SAMPLE } from "../drift/reference.js";
import { rocAuc } from "../metrics/curves.js";
import { PipeModel } from "../model.js";
import { isoTime } from "../preprocess/date-parts.js";
import type { ColumnSpec, DateSpec } from "../preprocess/spec.js";
import { stratifiedSplit } from "../split/stratified.js";
import { fitPipeline } from "../train.js";
import { BOOKINGS_FEATURES, processed, writeBookings } from "../train.test-util.js";
import { defaultTreesPerPass, trainForestInEngine } from "./train-in-engine.js";

const tmp = tempDir();
afterAll(tmp.cleanup);

const FOREST = { nEstimators: 20, maxDepth: 10, seed: 3 };

interface Data {
  schema: DatasetSchema;
  table: ProcessedTable;
  /** The processed CSV with a pipe_split column: 1 on the rows pipe's stratified split holds out. */
  path: string;
  test: Int32Array;
  inProcessAuc: number;
  /** The preprocessing fitted in process on the training rows. */
  specs: ColumnSpec[];
}

/** The processed rows, pipe's own 70/30 split marked in a column, and the in-process forest's test AUC on it. */
async function prepare(name: string, input: string, options: Parameters<typeof processed>[3]): Promise<Data> {
  const { schema, table } = await processed(tmp.dir, name, input, options);
  const split = stratifiedSplit(table.y, 0.3, 11);
  const isTest = new Uint8Array(table.rows);
  for (const i of split.test) isTest[i] = 1;
  const [header, ...lines] = readFileSync(join(tmp.dir, `${name}.csv`), "utf8")
    .trimEnd()
    .split("\n");
  const path = join(tmp.dir, `${name}-split.csv`);
  writeFileSync(path, `${header},pipe_split\n${lines.map((l, i) => `${l},${isTest[i]}`).join("\n")}\n`);
  const fitted = await fitPipeline(table, table.featureKinds, table.y, split.train, FOREST, {}, { calibration: "none" });
  const p = fitted.forest.predictProba(fitted.preprocessor.transform(table, split.test));
  const inProcessAuc = rocAuc(
    Array.from(split.test, (i) => table.y[i] as number),
    p,
  );
  return { schema, table, path, test: split.test, inProcessAuc, specs: fitted.preprocessor.specs };
}

async function load(engine: Engine, data: Data, table: string): Promise<void> {
  if (engine.dialect.name === "duckdb") {
    await engine.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv('${data.path}', header = true, all_varchar = true)`);
    return;
  }
  const [header, ...rows] = parseCsv(readFileSync(data.path, "utf8"), { delimiter: "," }).map((r) => r.fields);
  const appender = await engine.createTextTable(
    table,
    (header as string[]).map((name) => ({ name, type: "text" as const })),
  );
  for (const r of rows) if (r.length > 1) appender.append(r);
  await appender.close();
}

function train(engine: Engine, data: Data, relation: string, treesPerPass?: number) {
  const { schema, table } = data;
  return trainForestInEngine(engine, {
    ...(treesPerPass !== undefined ? { treesPerPass } : {}),
    relation,
    target: schema.target,
    classes: [schema.negativeClass, schema.positiveClass],
    positiveClass: schema.positiveClass,
    features: table.featureKinds,
    testSize: 0.3,
    seed: 11,
    testColumn: "pipe_split",
    forest: FOREST,
    createdAt: "2026-01-01T00:00:00.000Z",
  });
}

describe("trainForestInEngine: a forest grown from the engine's histograms", () => {
  let adult: Data;
  beforeAll(async () => {
    adult = await prepare("adult", DATASETS.adult, { target: "income", columns: ADULT_COLUMNS });
  }, 120_000);

  for (const name of ["duckdb", "clickhouse"] as const) {
    it(`${name}: Adult's test ROC AUC within 0.005 of the forest grown in process on the same rows`, async () => {
      const engine = name === "duckdb" ? await openDuckDb() : await openClickHouse({ url: clickhouseUrl() });
      try {
        await load(engine, adult, "pipe_adult_fit");
        const result = await train(engine, adult, "pipe_adult_fit");
        expect(result.rows).toEqual({ train: adult.table.rows - adult.test.length, test: adult.test.length });
        expect(result.testRocAuc).not.toBeNull();
        // ClickHouse's client counts what crossed the network; DuckDB runs in the process.
        if (name === "clickhouse") expect(result.transfer.bytes).toBeGreaterThan(0);
        else expect(result.transfer.bytes).toBe(0);
        expect(Math.abs((result.testRocAuc as number) - adult.inProcessAuc), `${result.testRocAuc} vs ${adult.inProcessAuc}`).toBeLessThan(0.005);
        // The usual model file: it reads back and scores a record, with the preprocessing fitted in the engine.
        const model = PipeModel.parse(result.model.serialize());
        expect(model.state.forest.treeCount).toBe(20);
        // The preprocessing fitted from the engine's aggregates is the one fitted in process.
        expect(model.state.preprocessing.specs).toEqual(adult.specs);
        // Its drift reference: a sorted sample of each numeric column's training values drawn by the engine,
        // spread as the column is, and the held-out rows' probabilities.
        const reference = model.state.driftReference;
        expect(reference?.rows).toBe(result.rows.train);
        expect(reference?.scores).toHaveLength(Math.min(REFERENCE_SAMPLE, result.rows.test));
        for (const spec of adult.specs) {
          if (spec.kind !== "numeric") continue;
          const values = reference?.numeric[spec.name] as number[];
          expect(values, spec.name).toHaveLength(REFERENCE_SAMPLE);
          expect(values).toEqual([...values].sort((a, b) => a - b));
          expect(values[0]).toBeGreaterThanOrEqual(spec.min);
          expect(values[values.length - 1]).toBeLessThanOrEqual(spec.max);
        }
        const ages = reference?.numeric.age as number[];
        expect(Math.abs((ages[1000] as number) - (adult.specs.find((s) => s.name === "age") as { median: number }).median)).toBeLessThanOrEqual(2);
        const record = { age: 45, workclass: "Private", education: "Masters", "marital-status": "Married-civ-spouse", "hours-per-week": 50 };
        expect(model.predict(record)).toEqual(result.model.predict(record));
        // The forest ranks like the one grown in process: married graduates above young single part-timers.
        const young = { age: 19, workclass: "Private", education: "HS-grad", "marital-status": "Never-married", "hours-per-week": 15 };
        expect(model.predict(record).probability).toBeGreaterThan(model.predict(young).probability + 0.1);
        if (name === "duckdb") {
          // The rows in another order: the same bootstrap draws (a hash of each row's values), the same model.
          await engine.run(
            "CREATE OR REPLACE TABLE pipe_adult_shuffled AS SELECT * FROM pipe_adult_fit ORDER BY hash(age, fnlwgt, education, occupation) DESC",
          );
          const again = await train(engine, adult, "pipe_adult_shuffled");
          expect(again.model.serialize()).toBe(result.model.serialize());
          expect(again.testRocAuc).toBe(result.testRocAuc);
          await engine.run("DROP TABLE pipe_adult_shuffled");
          // Trees grown one at a time or seven to a pass: the same forest, in more or fewer statements (the default here: 2).
          const single = await train(engine, adult, "pipe_adult_fit", 1);
          const seven = await train(engine, adult, "pipe_adult_fit", 7);
          expect(single.model.serialize()).toBe(result.model.serialize());
          expect(seven.model.serialize()).toBe(result.model.serialize());
          expect(single.transfer.statements).toBeGreaterThan(result.transfer.statements);
          expect(seven.transfer.statements).toBeLessThan(result.transfer.statements);
          expect((await train(engine, adult, "pipe_adult_fit", defaultTreesPerPass("duckdb"))).transfer.statements).toBe(result.transfer.statements);
        }
        // No work table is left behind.
        const left = await engine.rows(
          name === "duckdb"
            ? "SELECT table_name AS t FROM information_schema.tables WHERE table_name LIKE 'pipe_fit_%'"
            : "SELECT name AS t FROM system.tables WHERE database = currentDatabase() AND name LIKE 'pipe_fit_%'",
        );
        expect(left).toEqual([]);
      } finally {
        await engine.run("DROP TABLE IF EXISTS pipe_adult_fit");
        await engine.close();
      }
    }, 300_000);
  }
});

describe("trainForestInEngine on dates: the engine reads them as pipe does (day count, month, weekday, hour)", () => {
  let bookings: Data;
  beforeAll(async () => {
    writeBookings(join(tmp.dir, "bookings-raw.csv"), 4000);
    bookings = await prepare("bookings", join(tmp.dir, "bookings-raw.csv"), { target: "late" });
  }, 120_000);

  for (const name of ["duckdb", "clickhouse"] as const) {
    it(`${name}: the date specs fitted in process, and a forest that sees the weekday and the hour`, async () => {
      const engine = name === "duckdb" ? await openDuckDb() : await openClickHouse({ url: clickhouseUrl() });
      try {
        await load(engine, bookings, "pipe_bookings_fit");
        const result = await train(engine, bookings, "pipe_bookings_fit");
        const specs = result.model.state.preprocessing.specs;
        // The parts, their medians, the range and the missing count: those fitted in process on the same rows.
        expect(specs.filter((s) => s.kind === "date").map((s) => s.name)).toEqual(["booked", "opened"]);
        expect(specs).toEqual(bookings.specs);
        expect(result.model.featureNames).toEqual(BOOKINGS_FEATURES);
        // Read as a category, every date was rare (all pooled): the forest saw nothing of the weekday or the hour.
        expect(result.testRocAuc as number).toBeGreaterThan(0.9);
        expect(Math.abs((result.testRocAuc as number) - bookings.inProcessAuc), `${result.testRocAuc} vs ${bookings.inProcessAuc}`).toBeLessThan(0.02);
        // The drift reference compares a date by its day count, as for a model trained in process.
        const days = result.model.state.driftReference?.numeric.booked as number[];
        expect(days.length).toBeGreaterThan(1000);
        const booked = specs.find((s) => s.name === "booked") as DateSpec;
        expect(days[0]).toBeGreaterThanOrEqual(isoTime(booked.earliest) / 86_400_000);
        expect(days[days.length - 1]).toBeLessThanOrEqual(isoTime(booked.latest) / 86_400_000);
      } finally {
        await engine.run("DROP TABLE IF EXISTS pipe_bookings_fit");
        await engine.close();
      }
    }, 300_000);
  }
});
