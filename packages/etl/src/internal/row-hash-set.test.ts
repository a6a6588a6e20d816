import { describe, expect, it } from "vitest";
import { RowHashSet } from "./row-hash-set.js";

describe("RowHashSet", () => {
  it("finds the first line of a repeated row, and tells rows apart by their field boundaries", () => {
    const s = new RowHashSet(4);
    expect(s.addOrGet(["a", "b"], 2)).toBe(-1);
    expect(s.addOrGet(["ab", ""], 3)).toBe(-1);
    expect(s.addOrGet(["", "ab"], 4)).toBe(-1);
    expect(s.addOrGet(["a", "b"], 5)).toBe(2);
  });
  it("grows and keeps every row through many inserts", () => {
    const s = new RowHashSet(2);
    for (let i = 0; i < 50_000; i++) expect(s.addOrGet([String(i), "x"], i)).toBe(-1);
    for (let i = 0; i < 50_000; i += 997) expect(s.addOrGet([String(i), "x"], -5)).toBe(i);
  });
});
