import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCsvRow } from "./format.js";
import { CsvRowBytes } from "./row-bytes.js";

// Everything that changes how a field is written: quotes, delimiters, newlines, edge spaces, 2-, 3- and
// 4-byte UTF-8, and lone surrogates (written as U+FFFD, as Buffer.from writes them).
const cell = fc.string({
  unit: fc.constantFrom("a", "b", " ", ",", ";", '"', "\n", "\r", "\t", "é", "€", "😀", "0", "\u0000", "\ud800", "\udc00"),
  maxLength: 12,
});

describe("CsvRowBytes", () => {
  it.each([",", ";", "\t", "|"])("writes the UTF-8 of formatCsvRow's text, row for row, with delimiter %j", (delimiter) => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }), (rows) => {
        const out = new CsvRowBytes(delimiter);
        for (const r of rows) out.row(r);
        const expected = Buffer.from(rows.map((r) => formatCsvRow(r, delimiter)).join(""), "utf8");
        expect(Buffer.from(out.take()).equals(expected)).toBe(true);
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it("writes a row field by field as it writes the whole row, and starts over after take", () => {
    const out = new CsvRowBytes();
    out.field(" x");
    out.field('say "hi"');
    out.field("");
    out.endRow();
    out.field("");
    out.endRow();
    expect(Buffer.from(out.take()).toString("utf8")).toBe(`" x","say ""hi""",\n""\n`);
    out.row(["ü"]);
    expect(Buffer.from(out.take()).toString("utf8")).toBe("ü\n");
  });

  it("grows past its first buffer", () => {
    const out = new CsvRowBytes();
    const long = "€".repeat(50_000);
    out.row([long, long]);
    expect(Buffer.from(out.take()).toString("utf8")).toBe(`${long},${long}\n`);
  });

  it("refuses a delimiter that is not one byte", () => {
    expect(() => new CsvRowBytes("::")).toThrow(RangeError);
    expect(() => new CsvRowBytes("§")).toThrow(/one-byte delimiter/);
  });
});
