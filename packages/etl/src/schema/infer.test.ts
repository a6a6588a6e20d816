import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../../test-support/index.js";
import { openSource } from "../extract/source.js";
import type { ColumnFacts } from "../internal/profile.js";
import { runEtl } from "../run-etl.js";
import { inferType } from "./infer.js";

const tmp = tempDir("pipe-infer-");
afterAll(tmp.cleanup);

/** The facts of a column of `rows` words, `unique` of them distinct. */
const words = (rows: number, unique: number, capped = false): ColumnFacts =>
  ({
    name: "origin",
    nonMissing: rows,
    missing: 0,
    numeric: 0,
    integer: 0,
    boolean: 0,
    date: 0,
    unique,
    distinctCapped: capped,
    allDistinct: unique === rows,
    nonNumericValues: { size: Math.min(20, unique) },
  }) as unknown as ColumnFacts;

/** The facts of a column of consecutive integers from `from`, one per row. */
const sequence = (name: string, from: number, rows: number): ColumnFacts =>
  ({
    name,
    nonMissing: rows,
    missing: 0,
    numeric: rows,
    integer: rows,
    boolean: 0,
    date: 0,
    min: from,
    max: from + rows - 1,
    unique: rows,
    distinctCapped: false,
    allDistinct: true,
    nonNumericValues: { size: 0 },
  }) as unknown as ColumnFacts;

describe("a column of consecutive integers: row numbers or a time axis", () => {
  it("is an identifier, unless its name is one of time (vega-datasets' global-temp.csv: a year per row, its only feature)", () => {
    expect(inferType(sequence("PassengerId", 1, 891), 891, 100)).toBe("identifier");
    expect(inferType(sequence("row", 0, 500), 500, 100)).toBe("identifier");
    for (const name of ["year", "Year", "fiscal_year", "month_index", "day", "hour", "Date", "time_step", "quarter"])
      expect(inferType(sequence(name, 1880, 144), 144, 100), name).toBe("integer");
    // A name of an identifier stays one, time in it or not.
    expect(inferType(sequence("update_id", 1, 300), 300, 100)).toBe("identifier");
  });
});

describe("a column of words: category or free text", () => {
  it("is a category up to maxCategories values, and past it while its values repeat (20 rows each on average)", () => {
    expect(inferType(words(1000, 100), 1000, 100)).toBe("category");
    expect(inferType(words(3_000_000, 229), 3_000_000, 100)).toBe("category");
    expect(inferType(words(4580, 229), 4580, 100)).toBe("category");
    // Titanic's tickets, 681 of 891: free text; so is a column just short of 20 rows a value.
    expect(inferType(words(891, 681), 891, 100)).toBe("text");
    expect(inferType(words(4579, 229), 4579, 100)).toBe("text");
    // Past the profile's thousand distinct values: free text, however often they repeat.
    expect(inferType(words(3_000_000, 1000, true), 3_000_000, 100)).toBe("text");
  });

  it("keeps airport codes over many flights as a feature with its categories (vega-datasets' flights: 229 codes, 3 M rows)", async () => {
    const lines = ["origin,distance,delayed"];
    for (let i = 0; i < 6000; i++) lines.push(`A${(i * 7) % 150},${100 + ((i * 37) % 900)},${i % 3 === 0 ? "yes" : "no"}`);
    const input = join(tmp.dir, "flights.csv");
    writeFileSync(input, `${lines.join("\n")}\n`);
    const { schema, report } = await runEtl(openSource(input), { target: "delayed" }, { processed: join(tmp.dir, "p.csv"), rejected: join(tmp.dir, "r.csv") });
    expect(report.dropped_columns).toEqual([]);
    expect(schema.columns.find((c) => c.name === "origin")).toMatchObject({ type: "category", role: "feature" });
    expect(schema.columns.find((c) => c.name === "origin")?.categories).toHaveLength(150);
  });
});
