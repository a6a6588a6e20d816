import { binLabelOf, binLabelsOf } from "@pipe/etl";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binCleaner } from "./bins.js";

// The model bins raw numbers as the ETL binned the training rows, without depending on @pipe/etl: the two
// must give the same label for every number and set of edges.
describe("binCleaner: @pipe/etl's binning of a discretised column, in the model", () => {
  it("gives a number the ETL's label (a property over edges, numbers as text, both label styles)", () => {
    const edges = fc.uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 8 }).map((e) => e.sort((a, b) => a - b));
    const texts = fc.oneof(
      fc.double({ min: -2e6, max: 2e6, noNaN: true }).map(String),
      fc.integer({ min: -100, max: 100 }).map((n) => ` ${n} `),
      fc.constantFrom("0", "-0", "+5", ".5", "5.", "1e3", "-2.5E-1"),
    );
    fc.assert(
      fc.property(edges, fc.constantFrom("integer", "float"), fc.array(texts, { minLength: 1, maxLength: 10 }), (e, type, values) => {
        const labels = binLabelsOf({ type, bins: e }) as string[];
        const bin = binCleaner({ edges: e, labels });
        for (const v of values) expect(bin(v), `${v} in ${JSON.stringify(e)}`).toBe(binLabelOf({ edges: e, labels }, v));
      }),
      { numRuns: 300 },
    );
  });

  it("leaves a blank missing and anything else as it is (a label already, as the processed file holds it; a word)", () => {
    const bin = binCleaner({ edges: [0, 9, 29], labels: ["[0, 9]", "(9, 29]"] });
    expect(["", "  ", "[0, 9]", "(9, 29]", "long", "12", "-3", "100"].map(bin)).toEqual(["", "", "[0, 9]", "(9, 29]", "long", "(9, 29]", "[0, 9]", "(9, 29]"]);
  });
});
