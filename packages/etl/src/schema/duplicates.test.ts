import { describe, expect, it } from "vitest";
import { RowStore } from "../internal/row-store.js";
import { CsvTokenizer, type RecordView } from "../internal/tokenizer.js";
import { PairsWhileProfiling } from "./duplicates.js";

/** Stores each line as a record with `repeats` more rows, as the profile pass does; returns the pairs counted from the store. */
function pairsOf(rows: { line: string; repeats?: number }[]): number {
  const store = new RowStore(2);
  const pairs = new PairsWhileProfiling(2);
  const tokenizer = new CsvTokenizer({ delimiter: "," });
  for (const { line, repeats = 0 } of rows) {
    tokenizer.push(Buffer.from(`${line}\n`), (view: RecordView) => {
      const ids = store.begin(store.rows + 2);
      ids[store.offset] = 0;
      ids[store.offset + 1] = 0;
      const record = store.commit();
      pairs.remember(record, view);
      for (let k = 0; k < repeats; k++) store.repeat(record, store.rows + 2);
    });
  }
  return pairs.countStored(store);
}

describe("PairsWhileProfiling.countStored (the identical pairs among the rows kept in memory)", () => {
  it("counts a record's repeats with it, and records of the same values stored apart together", () => {
    expect(
      pairsOf([
        { line: "1,a", repeats: 2 }, // three rows alike: 3 pairs
        { line: "1,b" },
        { line: "2,a", repeats: 1 }, // 1 pair
        { line: '1,"a"' }, // the first record's values, written differently: a fourth row alike, 3 more
        { line: "1,ab" },
        { line: "12,a" }, // not "1" + "2,a": fields stay apart
      ]),
    ).toBe(7);
  });

  it("is 0 when every row differs, and C(n, 2) when all are alike", () => {
    expect(pairsOf(Array.from({ length: 1000 }, (_, i) => ({ line: `${i},x` })))).toBe(0);
    expect(pairsOf([{ line: "7,x", repeats: 9 }])).toBe(45);
    expect(pairsOf(Array.from({ length: 10 }, () => ({ line: "7,x" })))).toBe(45);
  });
});
