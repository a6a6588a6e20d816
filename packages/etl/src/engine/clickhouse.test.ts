import { describe, expect, it } from "vitest";
import { openClickHouse, spillSettings } from "./clickhouse.js";
import { clickhouseUrl } from "./engines.test-util.js";

describe("ClickHouse's sorts and groupings past half its memory limit spill to disk", () => {
  it("derives the thresholds from the server's limit for one query, and sets none where there is no limit", () => {
    expect(spillSettings(4_000_000_000)).toEqual({ max_bytes_before_external_sort: "2000000000", max_bytes_before_external_group_by: "2000000000" });
    expect(spillSettings(0)).toEqual({});
    expect(spillSettings(Number.NaN)).toEqual({});
  });

  it("sends them with every statement (the test servers allow 4 GB a query)", async () => {
    const engine = await openClickHouse({ url: clickhouseUrl() });
    const rows = await engine.rows(
      "SELECT name, value FROM system.settings WHERE name IN ('max_memory_usage', 'max_bytes_before_external_sort', 'max_bytes_before_external_group_by') ORDER BY name",
    );
    expect(rows).toEqual([
      { name: "max_bytes_before_external_group_by", value: "2000000000" },
      { name: "max_bytes_before_external_sort", value: "2000000000" },
      { name: "max_memory_usage", value: "4000000000" },
    ]);
    await engine.close();
  });
});

describe("ClickHouse's streamed results", () => {
  it("come in batches of at most 8,192 rows and 131,072 cells, every row once, in order", async () => {
    const engine = await openClickHouse({ url: clickhouseUrl() });
    const wide = Array.from({ length: 99 }, (_, k) => `toString(number + ${k}) AS c${k}`).join(", ");
    for (const [sql, most] of [
      [`SELECT number, ${wide} FROM system.numbers LIMIT 5000`, 1310],
      ["SELECT number, toString(number) AS c FROM system.numbers LIMIT 20000", 8192],
    ] as const) {
      const sizes: number[] = [];
      let next = 0;
      for await (const batch of engine.stream(sql)) {
        sizes.push(batch.length);
        for (const row of batch) {
          expect(row[0]).toBe(String(next));
          expect(row[row.length - 1]).toBe(String(next + row.length - 2));
          next++;
        }
      }
      expect(next).toBe(sql.includes("5000") ? 5000 : 20000);
      expect(Math.max(...sizes)).toBe(most);
    }
    await engine.close();
  });
});
