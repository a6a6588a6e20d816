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

  // The trainer's values are never NULL (imputed first); DuckDB's search still answers 0 for one, as the list filter it replaced did.
  it("countBelow gives binOf's bin for 0 to 20 edges and counts about powers of two up to 255, on, between and outside the edges", async () => {
    const random = seededRandom(7);
    for (const size of [...Array.from({ length: 21 }, (_, k) => k), 31, 32, 33, 63, 64, 65, 127, 128, 129, 254, 255]) {
      const edges = Float64Array.from({ length: size }, () => Math.round((random() * 200 - 100) * 8) / 8).sort();
      const unique = Float64Array.from(new Set(edges));
      const values = [...unique, ...Array.from(unique, (e) => e + 1 / 16), -1e9, 1e9, 0];
      // The values as a column (not literals, which the engine would fold): each row's bin beside its value.
      const column = name === "duckdb" ? `unnest([${values.map(literal).join(", ")}])` : `arrayJoin([${values.map(literal).join(", ")}])`;
      const out = await engine.rows(`SELECT v, ${d.countBelow(Array.from(unique, literal), "v")} AS b FROM (SELECT ${column} AS v) AS t`);
      expect(out).toHaveLength(values.length);
      for (const r of out) expect(Number(r.b), `${size} edges, value ${r.v}`).toBe(binOf(unique, Number(r.v)));
      if (name === "duckdb") {
        const [none] = await engine.rows(`SELECT ${d.countBelow(Array.from(unique, literal), "v")} AS b FROM (SELECT CAST(NULL AS DOUBLE) AS v) AS t`);
        expect(Number(none?.b)).toBe(0);
      }
    }
  });

  it("quantiles picks the ranks it documents, NULLs left out", async () => {
    const fractions = Array.from({ length: 256 }, (_, k) => k / 256);
    for (const n of [1, 2, 3, 255, 256, 257, 1000, 4099]) {
      const values = Array.from({ length: n }, (_, i) => (i * 7919) % n);
      const sorted = [...values].sort((a, b) => a - b);
      const rows = values.map((v) => `SELECT ${v} AS v`).concat("SELECT NULL AS v");
      const [r] = await engine.rows(`SELECT ${d.quantiles(d.number("v"), fractions, n)} AS q FROM (${rows.join(" UNION ALL ")}) AS t`);
      const list = r?.q;
      const got = (
        Array.isArray(list)
          ? list
          : String(list)
              .replace(/^\[|\]$/g, "")
              .split(",")
      ).map(Number);
      const rank = (q: number) => (name === "duckdb" ? Math.max(1, Math.ceil(n * q)) : Math.min(n, Math.floor(n * q) + 1));
      expect(got, `${n} values`).toEqual(fractions.map((q) => sorted[rank(q) - 1]));
    }
  });
});
