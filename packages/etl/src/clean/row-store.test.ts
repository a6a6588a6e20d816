import { describe, expect, it } from "vitest";
import { RowStore } from "./row-store.js";

function fill(store: RowStore, rows: number, raggedEvery = 0) {
  for (let r = 0; r < rows; r++) {
    if (raggedEvery > 0 && r % raggedEvery === 0) store.addRagged(1000 + r, [`ragged ${r}`]);
    const ids = store.begin(r + 2);
    ids[store.offset] = r % 65536;
    ids[store.offset + 1] = (r * 7) % 65536;
    store.commit();
  }
}

describe("RowStore", () => {
  it("replays rows and ragged records in source order, across chunks, yielding every batch", () => {
    const store = new RowStore(2);
    fill(store, 300_000, 50_000);
    const seen: string[] = [];
    let ok = true;
    const yields = [
      ...store.replay(
        (ids, offset, line) => {
          const r = line - 2;
          if (ids[offset] !== r % 65536 || ids[offset + 1] !== (r * 7) % 65536) ok = false;
          if (r % 50_000 === 0) seen.push(`row ${r}`);
        },
        (line, fields) => seen.push(`${fields[0]} at ${line}`),
        100_000,
      ),
    ];
    expect(ok).toBe(true);
    expect(seen.slice(0, 4)).toEqual(["ragged 0 at 1000", "row 0", "ragged 50000 at 51000", "row 50000"]);
    expect(seen).toHaveLength(12);
    expect(yields).toEqual([100_000, 200_000, 300_000, 300_000]);
  });

  it("gives up, freeing its rows, past its cell budget", () => {
    const store = new RowStore(2, 1000);
    fill(store, 499);
    expect(store.abandoned).toBe(false);
    fill(store, 2);
    expect(store.abandoned).toBe(true);
    expect(() => [
      ...store.replay(
        () => {},
        () => {},
      ),
    ]).toThrow(/read the source again/);
  });
});
