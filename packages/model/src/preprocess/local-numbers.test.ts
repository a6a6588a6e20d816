import fc from "fast-check";
import { describe, expect, it } from "vitest";
// The ETL's readers of a training file's local numbers: the model must read a record's numbers as they did.
import { decimalComma } from "../../../etl/src/csv/decimal-commas.js";
import { groupedThousands } from "../../../etl/src/csv/grouped-thousands.js";
import { type LocalNumberForm, plainOfLocalNumber } from "./local-numbers.js";

const PLAIN = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

describe("plainOfLocalNumber", () => {
  it.each<[string, LocalNumberForm, string]>([
    ["29,85", "decimal comma", "29.85"],
    [" -0,5 ", "decimal comma", "-0.5"],
    [",5", "decimal comma", ".5"],
    ["1,5E-3", "decimal comma", "1.5E-3"],
    ["1.234,56", "decimal comma", "1234.56"],
    ["1.234,56", "grouped decimal comma", "1234.56"],
    ["12.345.678", "grouped decimal comma", "12345678"],
    ["1\u00a0234,5", "grouped decimal comma", "1234.5"],
    ["29,85", "grouped decimal comma", "29.85"],
    ["1,234,567.5", "grouped thousands", "1234567.5"],
    ["1'234.50", "grouped thousands", "1234.50"],
    ["1 234", "grouped thousands", "1234"],
  ])("reads %j in the training file's form (%s) as the plain numeric text %j", (text, form, plain) => {
    expect(plainOfLocalNumber(text, form)).toBe(plain);
  });

  it("leaves plain numeric text to be read plainly, whatever the form (a single value cannot show its column's form)", () => {
    for (const form of ["decimal comma", "grouped decimal comma", "grouped thousands"] as const)
      for (const plain of ["1.234", "234.567", "12", "-3.5e2", " 7 "]) expect(plainOfLocalNumber(plain, form)).toBeUndefined();
  });

  it("does not read what the form does not fit", () => {
    expect(plainOfLocalNumber("1,234.5", "decimal comma")).toBeUndefined();
    expect(plainOfLocalNumber("1.234,56", "grouped thousands")).toBeUndefined();
    expect(plainOfLocalNumber("12,34,567", "grouped thousands")).toBeUndefined();
    expect(plainOfLocalNumber("1.23,4", "grouped decimal comma")).toBeUndefined();
    expect(plainOfLocalNumber("1.234 567,5", "grouped decimal comma")).toBeUndefined();
    expect(plainOfLocalNumber("seven", "decimal comma")).toBeUndefined();
    expect(plainOfLocalNumber("", "decimal comma")).toBeUndefined();
  });

  // The ETL's reading of a field's bytes, as plain text (undefined: not of the form): both comma forms read as decimalComma does.
  const etlForm = { "decimal comma": decimalComma, "grouped decimal comma": decimalComma, "grouped thousands": groupedThousands };
  function etlReads(form: LocalNumberForm, text: string): string | undefined {
    const bytes = etlForm[form].plain(Array.from(Buffer.from(text, "utf8")));
    return bytes === undefined ? undefined : Buffer.from(bytes).toString("utf8");
  }

  const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
  const written = fc
    .record({
      sign: fc.constantFrom("", "-", "+"),
      head: digits(1, 4),
      separator: fc.constantFrom(".", ",", " ", "\u00a0", "\u202f", "'", "\u2019"),
      groups: fc.array(digits(2, 4), { maxLength: 3 }),
      mark: fc.constantFrom("", ",", "."),
      tail: digits(0, 3),
      exponent: fc.constantFrom("", "e3", "E-2"),
      space: fc.constantFrom("", " "),
    })
    .map(
      ({ sign, head, separator, groups, mark, tail, exponent, space }) =>
        `${space}${sign}${[head, ...groups].join(separator)}${mark}${mark ? tail : ""}${exponent}${space}`,
    );

  it("reads every text that is no plain number as the ETL reads it in a column of that form (a property)", () => {
    fc.assert(
      fc.property(written, fc.constantFrom<LocalNumberForm>("decimal comma", "grouped decimal comma", "grouped thousands"), (text, form) => {
        if (PLAIN.test(text)) return;
        const ours = plainOfLocalNumber(text, form);
        const theirs = etlReads(form, text);
        expect(ours === undefined, `${form}: ${JSON.stringify(text)} ours ${ours} theirs ${theirs}`).toBe(theirs === undefined);
        if (ours !== undefined) expect(Number(ours), `${form}: ${JSON.stringify(text)}`).toBe(Number(theirs));
      }),
      { numRuns: 3000 },
    );
  });
});
