import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, ROOT, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// pipe etl against the local two-shard ClickHouse cluster (the global setup starts it): a table spread
// over both shards behind a Distributed table, read where it is, the results written back as tables.
const tmp = tempDir("pipe-clickhouse-e2e-");
afterAll(tmp.cleanup);

function nodes(): { http: number }[] {
  const failure = join(ROOT, ".clickhouse", "start-error.txt");
  let text: string;
  try {
    text = readFileSync(join(ROOT, ".clickhouse", "cluster.json"), "utf8");
  } catch {
    throw new Error(
      `no local ClickHouse cluster (${(() => {
        try {
          return readFileSync(failure, "utf8");
        } catch {
          return "run node scripts/clickhouse/cluster.mjs start";
        }
      })()})`,
    );
  }
  return (JSON.parse(text) as { nodes: { http: number }[] }).nodes;
}

async function query(port: number, sql: string, body?: string): Promise<string> {
  const params = new URLSearchParams(body === undefined ? {} : { query: sql });
  const r = await fetch(`http://127.0.0.1:${port}/?${params}`, { method: "POST", body: body ?? sql });
  const text = await r.text();
  if (!r.ok) throw new Error(`${sql}: ${text}`);
  return text.trim();
}

const db = `pipe_e2e_${process.pid}`;
let first: number;

beforeAll(async () => {
  const all = nodes();
  first = all[0]?.http as number;
  const columns =
    "PassengerId String, Survived String, Pclass String, Name String, Sex String, Age String, SibSp String, Parch String, Ticket String, Fare String, Cabin String, Embarked String";
  // No ZooKeeper: the DDL runs on each node. (MergeTree: an 18.16 Log table stays locked after a synchronous distributed insert.)
  for (const n of all) {
    await query(n.http, `CREATE DATABASE IF NOT EXISTS ${db}`);
    await query(n.http, `CREATE TABLE ${db}.passengers_local (${columns}) ENGINE = MergeTree ORDER BY tuple()`);
    await query(n.http, `CREATE TABLE ${db}.passengers (${columns}) ENGINE = Distributed(pipe, ${db}, passengers_local, rand())`);
  }
  // Inserted through the Distributed table, synchronously (the cluster's profile sets insert_distributed_sync).
  await query(first, `INSERT INTO ${db}.passengers FORMAT CSVWithNames`, readFileSync(DATASETS.titanic, "utf8"));
});

afterAll(async () => {
  for (const n of nodes()) await query(n.http, `DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
});

describe("pipe etl on a ClickHouse cluster", () => {
  it("reads a Distributed table over both shards and writes the outcome back, with the native ETL's schema", async () => {
    const shards = await Promise.all(nodes().map((n) => query(n.http, `SELECT count() FROM ${db}.passengers_local`)));
    expect(shards.map(Number).every((c) => c > 0)).toBe(true);
    const out = join(tmp.dir, "ch");
    const native = join(tmp.dir, "native");
    const r = pipe([
      "etl",
      "--input",
      `clickhouse://default@127.0.0.1:${first}/${db}?table=passengers`,
      "--target",
      "Survived",
      "--out",
      out,
      "--output-table",
      "clean",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const n = pipe(["etl", "--input", DATASETS.titanic, "--target", "Survived", "--out", native]);
    expect(n.code, n.stderr).toBe(0);
    const schema = (dir: string) => JSON.parse(readFileSync(join(dir, "dataset_processed.schema.json"), "utf8"));
    expect(schema(out)).toEqual(schema(native));
    // Rows come back in the order the shards give them: the same rows, maybe in another order.
    const rows = (dir: string) => readFileSync(join(dir, "dataset_processed.csv"), "utf8").trim().split("\n").slice(1).sort();
    expect(rows(out)).toEqual(rows(native));
    expect(await query(first, `SELECT count() FROM ${db}.clean`)).toBe("891");
    expect(await query(first, `SELECT count() FROM ${db}.clean_rejected`)).toBe("0");
  });

  it("pipe predict scores the Distributed table and writes the scores back to ClickHouse", async () => {
    const train = join(tmp.dir, "native-run");
    expect(
      pipe(["run", "--input", DATASETS.titanic, "--target", "Survived", "--out", train, "--set", "report.png=false", "--set", "model.nEstimators=20"]).code,
    ).toBe(0);
    const r = pipe([
      "predict",
      "--model",
      join(train, "model.json"),
      "--input",
      `clickhouse://default@127.0.0.1:${first}/${db}?table=passengers`,
      "--output",
      join(tmp.dir, "ch-scored.csv"),
      "--output-table",
      "scores",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(await query(first, `SELECT count(), countIf(probability >= 0 AND probability <= 1), min(source_line), max(source_line) FROM ${db}.scores`)).toBe(
      "891\t891\t1\t891",
    );
  });

  it("pipe train --in-engine grows the forest on the cleaned table in ClickHouse; evaluate scores its held-out rows, the model scores as any other", async () => {
    const out = join(tmp.dir, "ch");
    const input = `clickhouse://default@127.0.0.1:${first}/${db}?table=passengers`;
    const r = pipe([
      "train",
      "--in-engine",
      "--input",
      input,
      "--output-table",
      "clean",
      "--out",
      out,
      "--trees",
      "10",
      "--max-depth",
      "6",
      "--json",
      "--quiet",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ stage: "train", trees: 10, in_engine: { engine: "clickhouse", relation: "clean" } });
    expect(summary.n_train + summary.n_test).toBe(891);
    expect(summary.in_engine.roc_auc).toBeGreaterThan(0.8);
    // No work table is left in the database.
    expect(await query(first, `SELECT count() FROM system.tables WHERE database = '${db}' AND name LIKE 'pipe_fit_%'`)).toBe("0");
    const scored = pipe(["predict", "--model", join(out, "model.json"), "--input", DATASETS.titanic, "--output", join(tmp.dir, "in-engine-scored.csv")]);
    expect(scored.code, scored.stderr).toBe(0);
    // The held-out rows come from both shards in any order; test_rows.csv has them in one order every run.
    const heldOut = readFileSync(join(out, "test_rows.csv"), "utf8");
    expect(heldOut.trimEnd().split("\n")).toHaveLength(summary.n_test + 1);
    const evaluated = pipe(["evaluate", "--out", out, "--quiet"]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
    expect(metrics.n_test).toBe(summary.n_test);
    expect(Math.abs(metrics.roc_auc - summary.in_engine.roc_auc)).toBeLessThan(1e-12);
    const again = pipe(["train", "--in-engine", "--input", input, "--output-table", "clean", "--out", out, "--trees", "10", "--max-depth", "6", "--quiet"]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(out, "test_rows.csv"), "utf8")).toBe(heldOut);
  });

  it("says which table is missing", () => {
    const r = pipe(["etl", "--input", `clickhouse://default@127.0.0.1:${first}/${db}?table=nope`, "--target", "Survived", "--out", join(tmp.dir, "x")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no table "nope"/);
  });
});
