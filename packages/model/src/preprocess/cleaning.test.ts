import { DEFAULT_MISSING_TOKENS, makeCellNormaliser } from "@pipe/etl";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CleaningRules, cellCleaner, cleaningOf } from "./cleaning.js";

// The model cleans the cells it scores as @pipe/etl cleaned its training rows, without depending on that
// package: the two implementations must give the same text for every rule value and cell.
const cells = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "0",
    " 0 ",
    "0.0",
    "0x0",
    "-0",
    "1",
    "12.5",
    "NA",
    "na",
    "None",
    "?",
    "-",
    "999",
    "x",
    "X",
    " Paris ",
    "PARIS",
    "gold",
    "Gold",
    "premium",
    "PREMIUM",
    "Y",
    "y",
  ),
  fc.string({ maxLength: 4 }),
);
const rules: fc.Arbitrary<CleaningRules> = fc.record(
  {
    missingTokens: fc.array(fc.constantFrom("999", "-", "x", "", " NA "), { maxLength: 2 }),
    zeroMeansMissing: fc.boolean(),
    recode: fc.dictionary(fc.constantFrom("0", "1", "x", "gold", "", "PARIS"), fc.constantFrom("premium", "", "1", "Y"), { maxKeys: 3 }),
    otherwise: fc.constantFrom("other", "", "0"),
    case: fc.constantFrom("lower" as const, "upper" as const),
    fill: fc.constantFrom("0", " unknown ", "-1"),
  },
  { requiredKeys: [] },
);
const fileTokens = fc.oneof(fc.constant([...DEFAULT_MISSING_TOKENS]), fc.subarray([...DEFAULT_MISSING_TOKENS]), fc.constant(["NA"]));

describe("cellCleaner: @pipe/etl's makeCellNormaliser, in the model", () => {
  it("gives the same text for any rules and cell (a property)", () => {
    fc.assert(
      fc.property(fileTokens, rules, fc.array(cells, { minLength: 1, maxLength: 12 }), (tokens, r, texts) => {
        const ours = cellCleaner(tokens, r);
        const etl = makeCellNormaliser(tokens, r as Parameters<typeof makeCellNormaliser>[1]);
        for (const t of texts) expect(ours(t), `${JSON.stringify(r)} on ${JSON.stringify(t)} with ${JSON.stringify(tokens)}`).toBe(etl(t));
      }),
      { numRuns: 500 },
    );
  });
});

describe("cleaningOf: each column's cleaning from the ETL settings of a model's lineage", () => {
  const cleanerOf = cleaningOf({
    missingTokens: ["", "NA", "-"],
    rules: {
      glucose: { zeroMeansMissing: true },
      city: { case: "lower", recode: { NYC: "New York" } },
      visits: { fill: "0" },
      code: { missingTokens: ["999"] },
      age: { required: true, max: 120 } as CleaningRules,
      flag: { zeroMeansMissing: false },
    },
  });

  it("cleans with the file-wide tokens, the column's steps in the ETL's order (recode before case), then its fill", () => {
    expect(["0", " 0.0 ", "NA", "-", "85"].map((v) => cleanerOf("glucose")?.(v))).toEqual(["", "", "", "", "85"]);
    expect(["NYC", " Paris ", "NA"].map((v) => cleanerOf("city")?.(v))).toEqual(["new york", "paris", ""]);
    expect(["", "NA", "3"].map((v) => cleanerOf("visits")?.(v))).toEqual(["0", "0", "3"]);
    expect(["999", "998"].map((v) => cleanerOf("code")?.(v))).toEqual(["", "998"]);
  });

  it("gives nothing for a column whose rules only check (or are off), nor for one without rules", () => {
    expect(cleanerOf("age")).toBeUndefined();
    expect(cleanerOf("flag")).toBeUndefined();
    expect(cleanerOf("income")).toBeUndefined();
    expect(cleanerOf("__proto__")).toBeUndefined();
    expect(cleaningOf(undefined)("glucose")).toBeUndefined();
  });
});
