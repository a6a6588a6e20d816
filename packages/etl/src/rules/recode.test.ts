import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_MISSING_TOKENS } from "../internal/values.js";
import { emptyCellCounts, makeCellNormaliser } from "./normalise.js";

describe("recode with otherwise", () => {
  it("maps the values the map names, leaves the values it yields, and gives every other value `otherwise`", () => {
    const counts = emptyCellCounts();
    const normalise = makeCellNormaliser(DEFAULT_MISSING_TOKENS, { recode: { "Electronic check": "echeck", "Mailed check": "mail" }, otherwise: "auto" });
    expect(["Electronic check", "echeck", " mail ", "Bank transfer", "auto", "NA"].map((v) => normalise(v, counts))).toEqual([
      "echeck",
      "echeck",
      "mail",
      "auto",
      "auto",
      "",
    ]);
    // A value left as the map yields it is not counted as recoded; nor is one already `otherwise`.
    expect(counts.recoded).toBe(2);
    // Nor a value the map keeps as it is (the recode pipe suggests for a count target: "0" against the others).
    const kept = emptyCellCounts();
    const twoClasses = makeCellNormaliser(DEFAULT_MISSING_TOKENS, { recode: { "0": "0" }, otherwise: "other" });
    expect(["0", "0", "1", "3", "other"].map((v) => twoClasses(v, kept))).toEqual(["0", "0", "other", "other", "other"]);
    expect(kept.recoded).toBe(2);
  });

  it("leaves a yielded value as the column's case rule spells it (the processed table's spelling)", () => {
    const normalise = makeCellNormaliser(DEFAULT_MISSING_TOKENS, { recode: { p: "Paris" }, otherwise: "Elsewhere", case: "upper" });
    expect(["p", "PARIS", "Paris", "paris", "ELSEWHERE", "Lyon"].map((v) => normalise(v))).toEqual([
      "PARIS",
      "PARIS",
      "PARIS",
      "ELSEWHERE",
      "ELSEWHERE",
      "ELSEWHERE",
    ]);
  });

  // A model scores the ETL's processed rows (`pipe predict` on dataset_processed.csv) by cleaning them with
  // the rules it was trained under: cleaning a cleaned cell again must change nothing. (Keys mixed in case
  // so that no processed spelling is a key: a map whose outputs are its keys chains by design.)
  it("cleans a cleaned cell to itself (a property)", () => {
    const rules = fc.record(
      {
        missingTokens: fc.array(fc.constantFrom("999", "-", "NA"), { maxLength: 2 }),
        zeroMeansMissing: fc.boolean(),
        recode: fc.dictionary(fc.constantFrom("Gold", "xY", "aB"), fc.constantFrom("premium", "Y", "unknown", ""), { maxKeys: 3 }),
        otherwise: fc.constantFrom("other", "Other"),
        case: fc.constantFrom("lower" as const, "upper" as const),
        // (A fill is written as given, after the case rule: a word of another case would be respelt.)
        fill: fc.constantFrom("0", " 42 ", "-1"),
      },
      { requiredKeys: [] },
    );
    const cells = fc.oneof(
      fc.constantFrom("", " ", "0", "Gold", "GOLD", "gold", "premium", "PREMIUM", "Y", "y", "other", "NA", "999", " xY "),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(rules, fc.array(cells, { minLength: 1, maxLength: 12 }), (r, texts) => {
        const normalise = makeCellNormaliser(DEFAULT_MISSING_TOKENS, r);
        const tokens = new Set([...DEFAULT_MISSING_TOKENS, ...(r.missingTokens ?? [])]);
        for (const t of texts) {
          const once = normalise(t);
          // (A case rule can spell a word as a missing token, "nA" as "NA": read again, it is missing.)
          if (tokens.has(once)) continue;
          expect(normalise(once), `${JSON.stringify(r)} on ${JSON.stringify(t)}`).toBe(once);
        }
      }),
      { numRuns: 500 },
    );
  });
});
