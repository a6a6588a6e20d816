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

  it.each([",", ";"])("writes encoded, numeric and joined fields as field() writes their text, delimiter %j", (delimiter) => {
    const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0.1 + 0.2, -0, 1e21, 5e-324, Number.NaN));
    const piece = fc.oneof(
      { arbitrary: fc.constantFrom("age: missing, imputed with 37", 'x: "Unseen" was not seen', " padded ", "ü", "a;b", "😀"), weight: 3 },
      { arbitrary: cell, weight: 1 },
    );
    const item = fc.oneof(
      fc.record({ kind: fc.constant("encoded" as const), value: cell }),
      fc.record({ kind: fc.constant("number" as const), value: number }),
      fc.record({ kind: fc.constant("joined" as const), value: fc.array(piece, { maxLength: 4 }), separator: fc.constantFrom("; ", " ", ",", "") }),
    );
    // One writer across every run: its cache of joined parts fills up and is read back.
    const fast = new CsvRowBytes(delimiter);
    fc.assert(
      fc.property(fc.array(fc.array(item, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 10 }), (rows) => {
        const plain = new CsvRowBytes(delimiter);
        for (const row of rows) {
          for (const it of row) {
            if (it.kind === "encoded") {
              fast.encodedField(CsvRowBytes.encode(it.value, delimiter));
              plain.field(it.value);
            } else if (it.kind === "number") {
              fast.numberField(it.value);
              plain.field(String(it.value));
            } else {
              fast.joinedField(it.value, it.separator);
              plain.field(it.value.join(it.separator));
            }
          }
          fast.endRow();
          plain.endRow();
        }
        expect(Buffer.from(fast.take()).toString("utf8")).toBe(Buffer.from(plain.take()).toString("utf8"));
      }),
      { numRuns: 400, seed: 20261207 },
    );
  });

  it("refuses a delimiter that is not one byte", () => {
    expect(() => new CsvRowBytes("::")).toThrow(RangeError);
    expect(() => new CsvRowBytes("§")).toThrow(/one-byte delimiter/);
  });
});
