import { describe, expect, it } from "vitest";
import { DATASETS } from "../../../../test-support/index.js";
import { openSource } from "../extract/source.js";
import { readCsv } from "./read.js";

describe("readCsv", () => {
  it("gives the same rows as records, as record batches and as column batches", async () => {
    const records = [];
    for await (const r of (await readCsv(openSource(DATASETS.titanic))).records) records.push(r);
    const batched = [];
    for await (const b of (await readCsv(openSource(DATASETS.titanic))).batches) batched.push(...b);
    const csv = await readCsv(openSource(DATASETS.titanic));
    const fromColumns: { line: number; fields: string[] }[] = [];
    for await (const b of csv.columnBatches) {
      expect(b.columns).toHaveLength(csv.columns.length);
      for (let i = 0; i < b.rows; i++) fromColumns.push({ line: b.lines[i] as number, fields: b.columns.map((c) => c[i] as string) });
    }
    expect(records).toHaveLength(891);
    expect(batched).toEqual(records);
    expect(fromColumns).toEqual(records);
    expect(csv.columns.slice(0, 4)).toEqual(["PassengerId", "Survived", "Pclass", "Name"]);
    // A quoted name with a comma stays one field; lines count from the header.
    expect(records[0]?.fields[3]).toBe("Braund, Mr. Owen Harris");
    expect(records[0]?.line).toBe(2);
  });
});
