import { describe, expect, it } from "vitest";
import { ESCAPED, RowStore } from "./row-store.js";

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

  it("judges, once 4 MiB are read, whether the rows would need over twice the budget by the end", () => {
    const store = new RowStore(2, 1000);
    // 50 rows, 34 records of 2 cells (every third row repeats the one before): 34 × 2 + 50 × 4 = 268 two-byte units.
    expect(fill(store, 50)).toBe(true);
    const MiB = 1 << 20;
    expect(store.wontFit(4 * MiB, 28 * MiB)).toBe(false); // 268 × 7 = 1,876: under twice the budget
    expect(store.wontFit(4 * MiB, 32 * MiB)).toBe(true); // 2,144
    expect(store.wontFit(2 * MiB, 100 * MiB)).toBe(false); // too little read to judge
    expect(store.wontFit(4 * MiB, 4 * MiB)).toBe(false); // all read: the budget itself decides
  });

  it("keeps cells without an id as bytes, finds them again for a repeat far back, and frees what no later row reads", () => {
    // 300,000 rows of 3 cells; two records in three keep their middle cell as bytes (`v<record>`), the
    // third has an id there (past 255 by record 255: the column moves to two bytes with cells kept as
    // bytes already in it). Every 10th row repeats the record of the row 150,000 rows before it.
    const store = new RowStore(3, 1 << 26);
    const bytes = (record: number) => Buffer.from(`v${record}`.padEnd(1 + (record % 40), "."));
    const escaped = (record: number) => record % 3 !== 0;
    const recordOfRow: number[] = [];
    let refused = 0;
    for (let r = 0; r < 300_000; r++) {
      if (r % 10 === 9 && r >= 150_000) {
        const record = recordOfRow[r - 150_000] as number;
        if (!store.repeat(record, r + 2)) refused++;
        recordOfRow.push(record);
        continue;
      }
      const ids = store.begin(r + 2);
      const at = store.offset;
      const record = store.records;
      ids[at] = record % 100;
      if (escaped(record)) {
        const cell = bytes(record);
        store.escape(Buffer.concat([Buffer.from("xx"), cell]), 2, 2 + cell.length);
        ids[at + 1] = ESCAPED;
      } else ids[at + 1] = record % 1000;
      ids[at + 2] = record % 7;
      if (store.commit() !== record) refused++;
      recordOfRow.push(record);
    }
    expect(refused).toBe(0);
    let wrong = 0;
    const check = (record: number) => {
      const ids = store.idsOf(record);
      if (ids[0] !== record % 100 || ids[2] !== record % 7) wrong++;
      if (escaped(record)) {
        const cell = store.escapedCell(store.escapesOf(record));
        if (ids[1] !== ESCAPED || !cell.buffer.subarray(cell.start, cell.end).equals(bytes(record))) wrong++;
      } else if (ids[1] !== record % 1000 || store.escapesOf(record) !== -1) wrong++;
    };
    let rows = 0;
    for (const _ of store.replay(
      (record, line) => {
        if (recordOfRow[line - 2] !== record) wrong++;
        check(record);
        rows++;
      },
      () => {},
      16_384,
      { release: true },
    ));
    expect(rows).toBe(300_000);
    expect(wrong).toBe(0);
    // After the replay, the records repeated without bytes (their copies are counted then) are still there.
    for (let record = 0; record < store.records; record++) {
      if (store.repeatsOf(record) > 0 && !escaped(record)) check(record);
    }
    expect(wrong).toBe(0);
    // What no later row read is gone: the bytes of the first rows' cells read as nothing now.
    const first = store.escapedCell(store.escapesOf(1));
    expect(first.buffer.length).toBe(0);
  });

  it("keeps an empty cell as bytes, first or later", () => {
    const store = new RowStore(1);
    for (const text of ["", "a", ""]) {
      const ids = store.begin(store.rows + 2);
      store.escape(Buffer.from(text), 0, text.length);
      ids[store.offset] = ESCAPED;
      store.commit();
    }
    const texts = [0, 1, 2].map((record) => {
      const { buffer, start, end } = store.escapedCell(store.escapesOf(record));
      return buffer.toString("utf8", start, end);
    });
    expect(texts).toEqual(["", "a", ""]);
  });
});
