import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ColumnProfile } from "./profile.js";
import { hashString1, hashString2 } from "./row-hash-set.js";
import { numberKind } from "./values.js";

/** Everything a profile exposes, in a comparable form (the counted values in their order). */
function facts(p: ColumnProfile) {
  return {
    nonMissing: p.nonMissing,
    missing: p.missing,
    numeric: p.numeric,
    integer: p.integer,
    boolean: p.boolean,
    date: p.date,
    min: p.min,
    max: p.max,
    counts: [...p.counts],
    distinctCapped: p.distinctCapped,
    unique: p.unique,
    allDistinct: p.allDistinct,
    nonNumericValues: [...p.nonNumericValues],
    nonNumericExamples: p.nonNumericExamples,
    nonDateExamples: p.nonDateExamples,
  };
}

describe("ColumnProfile.addPlainMany", () => {
  // A plain number added from its bytes (its value, hashes and, only where kept, its text) must leave
  // the profile exactly as addMany of its text does, among other cells, past the thousand values counted.
  const cell = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -50, max: 1150 }).map(String) },
    { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toPrecision(17)) },
    { weight: 1, arbitrary: fc.constantFrom("", "abc", "true", "2024-01-02", "x1") },
  );
  it("profiles as addMany does", () => {
    fc.assert(
      // Short runs, and long ones that pass the thousand values counted and then repeat them.
      fc.property(
        fc.oneof(
          fc.array(fc.tuple(cell, fc.integer({ min: 1, max: 3 })), { maxLength: 200 }),
          fc.array(fc.tuple(cell, fc.integer({ min: 1, max: 3 })), { minLength: 4000, maxLength: 6000 }),
        ),
        (cells) => {
          const byText = new ColumnProfile("x");
          const byBytes = new ColumnProfile("x");
          cells.forEach(([text, count], i) => {
            byText.addMany(text, count, i + 1);
            const kind = numberKind(text);
            if (kind === 0 || text === "") byBytes.addMany(text, count, i + 1);
            else byBytes.addPlainMany(Number(text), kind === 2, hashString1(text), hashString2(text), count, i + 1, () => text);
          });
          expect(facts(byBytes)).toEqual(facts(byText));
        },
      ),
      { numRuns: 60, seed: 20261206 },
    );
  });

  it("makes no text for a value it neither shows nor counts", () => {
    const p = new ColumnProfile("x", { trackDistinct: false });
    for (let v = 0; v < 1000; v++) p.addMany(String(v), 1, v + 1);
    let made = 0;
    const text = (s: string) => () => {
      made++;
      return s;
    };
    p.addPlainMany(5000, true, hashString1("5000"), hashString2("5000"), 1, 1001, text("5000"));
    expect(made).toBe(0);
    expect(p.distinctCapped).toBe(true);
    p.addPlainMany(7, true, hashString1("7"), hashString2("7"), 2, 1002, text("7"));
    expect(made).toBe(0);
    expect(p.counts.get("7")).toBe(3);
  });
});
