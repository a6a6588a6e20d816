import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import { countedRows } from "./counted-rows.js";
import { openDuckDb } from "./duckdb.js";

async function drain<T>(batches: AsyncIterable<T[]>): Promise<number> {
  let rows = 0;
  for await (const batch of batches) rows += batch.length;
  return rows;
}

describe("countedRows", () => {
  it("passes a complete result through", async () => {
    const engine = await openDuckDb();
    try {
      expect(await drain(countedRows(engine.stream("SELECT i FROM range(5000) t(i)"), 5000, "rows"))).toBe(5000);
    } finally {
      await engine.close();
    }
  });

  it("refuses a result DuckDB ended early because its statement failed midway (which DuckDB reports as the end)", async () => {
    // One thread: the rows are made as they are fetched, so some arrive before the failure.
    const engine = await openDuckDb({ threads: 1 });
    try {
      const sql = "SELECT CASE WHEN i < 1000000 THEN i ELSE error('stopped at ' || i) END AS x FROM range(2000000) t(i)";
      // What the check guards against: the bare stream ends quietly, short of its rows.
      const bare = await drain(engine.stream(sql));
      expect(bare).toBeGreaterThan(0);
      expect(bare).toBeLessThan(2_000_000);
      const failed = await drain(countedRows(engine.stream(sql), 2_000_000, "processed.csv")).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(EngineError);
      expect((failed as EngineError).message).toMatch(/^processed\.csv: the engine sent \d+ of 2000000 rows and stopped/);
    } finally {
      await engine.close();
    }
  });
});
