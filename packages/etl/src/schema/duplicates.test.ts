import { describe, expect, it } from "vitest";
import { ESCAPED, RowStore } from "../internal/row-store.js";
import { observedPairs } from "./duplicates.js";

/** A record of a dictionary id and a cell kept as bytes; its repeats as later rows. */
function add(store: RowStore, id: number, bytes: string, repeats = 0): void {
  const ids = store.begin(store.rows + 2);
  ids[store.offset] = id;
  const cell = Buffer.from(bytes);
  store.escape(cell, 0, cell.length);
  ids[store.offset + 1] = ESCAPED;
  const record = store.commit();
  for (let k = 0; k < repeats; k++) store.repeat(record, store.rows + 2);
}

describe("observedPairs (the identical pairs among the stored rows)", () => {
  it("tells rows apart by the bytes of their cells kept as bytes, and pairs identical records stored apart", () => {
    const store = new RowStore(2);
    add(store, 1, "a", 2); // three rows alike: 3 pairs
    add(store, 1, "b"); // differs from the first in its kept bytes only
    add(store, 2, "a"); // differs in its id only
    add(store, 1, "a"); // a fourth row like the first (stored apart, as when the line was written differently): 3 more
    add(store, 1, "ab");
    expect(observedPairs(store)).toBe(6);
  });
});
