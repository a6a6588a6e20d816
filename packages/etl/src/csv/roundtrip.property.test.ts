import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCsvRow } from "./format.js";
import { CsvParser, parseCsv } from "./parser.js";

// Strings with the characters that break naive CSV code: quotes, delimiters, newlines, unicode.
const cell = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", ";", '"', "\n", "\r", "\t", "é", "€", "😀", "0", "1", "\u0000"), maxLength: 12 });

describe("CSV write-then-read (property)", () => {
  it.each([",", ";", "\t", "|"])("returns the same records for arbitrary strings with delimiter %j", (delimiter) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 20 })),
        (records) => {
          const text = records.map((r) => formatCsvRow(r, delimiter)).join("");
          expect(parseCsv(text, { delimiter }).map((r) => r.fields)).toEqual(records);
        },
      ),
      { numRuns: 300, seed: 20261129 },
    );
  });

  it("parses the same records whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (records, cutsRaw) => {
          const text = records.map((r) => formatCsvRow(r)).join("");
          const cuts = [...new Set(cutsRaw.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const parser = new CsvParser({ delimiter: "," });
          const got = [];
          let prev = 0;
          for (const c of [...cuts, text.length]) {
            got.push(...parser.push(text.slice(prev, c)));
            prev = c;
          }
          got.push(...parser.end());
          expect(got.map((r) => r.fields)).toEqual(records);
        },
      ),
      { numRuns: 300, seed: 20261129 },
    );
  });
});
