import { describe, expect, it } from "vitest";
import { RowStore } from "./row-store.js";

/** Rows r = 0..rows-1 at line r + 2: every third one repeats the record of the row before it. */
function fill(store: RowStore, rows: number, raggedEvery = 0): boolean {
  let last = -1;
  for (let r = 0; r < rows; r++) {
    if (raggedEvery > 0 && r % raggedEvery === 0 && !store.addRagged(1000 + r, [`ragged ${r}`])) return false;
    if (r % 3 === 2 && last >= 0) {
      if (!store.repeat(last, r + 2)) return false;
      continue;
    }
    const ids = store.begin(r + 2);
    ids[store.offset] = r % 65536;
    ids[store.offset + 1] = (r * 7) % 65536;
    last = store.commit();
    if (last < 0) return false;
  }
  return true;
}

describe("RowStore", () => {
  it("replays rows (repeats as their record) and ragged records in source order, across chunks, yielding every batch", () => {
    const store = new RowStore(2);
    expect(fill(store, 300_000, 50_000)).toBe(true);
    expect(store.rows).toBe(300_000);
    expect(store.records).toBe(200_000);
    const seen: string[] = [];
    let wrong = 0;
    const yields = [
      ...store.replay(
        (record, line) => {
          const r = line - 2;
          const source = r % 3 === 2 ? r - 1 : r;
          const ids = store.idsOf(record);
          if (ids[0] !== source % 65536 || ids[1] !== (source * 7) % 65536) wrong++;
          if (r % 50_000 === 0) seen.push(`row ${r}`);
        },
        (line, fields) => seen.push(`${fields[0]} at ${line}`),
        100_000,
      ),
    ];
    expect(wrong).toBe(0);
    expect(seen.slice(0, 4)).toEqual(["ragged 0 at 1000", "row 0", "ragged 50000 at 51000", "row 50000"]);
    expect(seen).toHaveLength(12);
    expect(yields).toEqual([100_000, 200_000, 300_000, 300_000]);
    expect(store.repeatsOf(0)).toBe(0);
    expect(store.repeatsOf(1)).toBe(1);
  });

  it("says when it passes its budget (a record costs its width, every row 4 more); abandoned, it refuses to replay", () => {
    const store = new RowStore(2, 1000);
    // 166 rows: 111 records (2 cells each) + 166 rows (4 each) = 886; 21 more (14 records) = 998; one more record passes 1000.
    expect(fill(store, 166)).toBe(true);
    expect(fill(store, 21)).toBe(true);
    expect(fill(store, 1)).toBe(false);
    store.abandon();
    expect(() => [
      ...store.replay(
        () => {},
        () => {},
      ),
    ]).toThrow(/read the source again/);
  });
});
