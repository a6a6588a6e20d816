import { type Engine, openClickHouse, openDuckDb } from "@pipe/etl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickhouseUrl, seededRandom } from "../../../../test-support/index.js";
import { binOf } from "../forest/binning.js";
import { MODEL_SQL_DIALECTS } from "./dialects.js";
import { literal } from "./model-sql.js";

// The in-engine trainer bins rows and places bin edges with these two expressions: a bin that differs
// from binOf's by one moves a row to the wrong side of a split, and the model scores it differently.
describe.each(["duckdb", "clickhouse"] as const)("%s dialect", (name) => {
  const d = MODEL_SQL_DIALECTS[name];
  let engine: Engine;
  beforeAll(async () => {
    engine = name === "duckdb" ? await openDuckDb() : await openClickHouse({ url: clickhouseUrl() });
  });
  afterAll(() => engine.close());

  it("binned gives binOf's bin for 0 to 20 edges and counts about powers of two up to 255, on, between and outside the edges", async () => {
    const random = seededRandom(7);
    for (const size of [...Array.from({ length: 21 }, (_, k) => k), 31, 32, 33, 63, 64, 65, 127, 128, 129, 254, 255]) {
      const edges = Float64Array.from({ length: size }, () => Math.round((random() * 200 - 100) * 8) / 8).sort();
      const unique = Float64Array.from(new Set(edges));
      const values = [...unique, ...Array.from(unique, (e) => e + 1 / 16), -1e9, 1e9, 0];
      const from = `(SELECT ${name === "duckdb" ? "unnest" : "arrayJoin"}([${values.map(literal).join(", ")}]) AS v0) AS t`;
      const rows = `(SELECT v0 AS pipe_rid, 0 AS pipe_y, v0, v0 * 0 AS v1, NULL AS v2 FROM ${from}) AS r`;
      // Each row's value rides in pipe_rid. A second column with no edges and a third of nothing but NULLs (DuckDB only; the trainer imputes first) ride along.
      const out = await engine.rows(
        name === "duckdb"
          ? `SELECT pipe_rid, bins FROM (${d.binned(rows, [Array.from(unique, literal), [], ["0"]])}) AS b`
          : `SELECT pipe_rid, bins FROM (${d.binned(rows.replace(", NULL AS v2", ""), [Array.from(unique, literal), []])}) AS b`,
      );
      expect(out).toHaveLength(values.length);
      for (const r of out) {
        const bins = (
          Array.isArray(r.bins)
            ? r.bins
            : String(r.bins)
                .replace(/^\[|\]$/g, "")
                .split(",")
        ).map(Number);
        expect(bins, `${size} edges, value ${r.pipe_rid}`).toEqual([binOf(unique, Number(r.pipe_rid)), 0, ...(name === "duckdb" ? [0] : [])]);
      }
    }
  });

  it("valuesAtRanks reads the sorted values at 1-based ranks, NULLs left out, no row past the count", async () => {
    for (const n of [1, 2, 3, 255, 256, 1000, 4099]) {
      const values = Array.from({ length: n }, (_, i) => ((i * 7919) % n) - n / 2);
      const sorted = [...values].sort((a, b) => a - b);
      const from = `(SELECT ${name === "duckdb" ? "unnest" : "arrayJoin"}([${[...values.map(literal), "NULL"].join(", ")}]) AS x) AS t`;
      const ranks = [1, Math.ceil(n / 3), Math.floor((n + 1) / 2), Math.floor(n / 2) + 1, n, n + 1];
      const out = await engine.rows(d.valuesAtRanks("x", from, [...new Set(ranks)], n));
      const got = new Map(out.map((r) => [Number(r.r), Number(r.v)]));
      expect(got.size, `${n} values`).toBe(new Set(ranks.filter((r) => r <= n)).size);
      for (const r of ranks) expect(got.get(r), `${n} values, rank ${r}`).toBe(r <= n ? sorted[r - 1] : undefined);
    }
    // Two million values, each rank of 256 quantiles (a permutation of 0 … n − 1: rank r holds r − 1).
    const n = 2_000_003;
    const from =
      name === "duckdb"
        ? `(SELECT CAST((i * 7919) % ${n} AS DOUBLE) AS x FROM range(${n}) r(i)) AS t`
        : `(SELECT toFloat64((number * 7919) % ${n}) AS x FROM system.numbers LIMIT ${n}) AS t`;
    const ranks = [...new Set(Array.from({ length: 256 }, (_, k) => Math.max(1, Math.ceil((n * (k + 1)) / 256))))];
    const out = await engine.rows(d.valuesAtRanks("x", from, ranks, n));
    expect(out.map((r) => [Number(r.r), Number(r.v)]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(ranks.map((r) => [r, r - 1]));
  }, 60_000);
});
