import { describe, expect, it } from "vitest";
import { decimalComma, decimalCommaColumns } from "./decimal-commas.js";
import { NumberFields } from "./number-fields.js";
import type { openCsv } from "./open.js";
import { chunkedSource, openedRecords } from "./push-chunks.test-util.js";

const SEMICOLON = 0x3b;
const rewrite = (text: string, columns: ReadonlySet<number> | "all" = "all", delimiter = SEMICOLON) => {
  const d = new NumberFields(delimiter, columns === "all" ? decimalComma : new Map([...columns].map((j) => [j, decimalComma])));
  return Buffer.concat([d.push(Buffer.from(text)), d.end()]).toString();
};

describe("decimal commas", () => {
  it.each([
    ["13,44;-0,5;,5;1,5E-3; 2,25 \n", "13.44;-0.5;.5;1.5E-3; 2.25 \n"],
    ["1.234,5;1 234;12.345.678,9\n", "1234.5;1234;12345678.9\n"],
    ["12;1,2,3;a,b;Smith, J;1,5x;E,5\n", "12;1,2,3;a,b;Smith, J;1,5x;E,5\n"],
    ['"1,5";1,5\r\n"x"";1,5";2,5\n', '"1,5";1.5\r\n"x"";1,5";2.5\n'],
    ["1,5", "1.5"],
    [`${"1".repeat(70)},5;3,5\n`, `${"1".repeat(70)},5;3.5\n`],
  ])("%j → %j", (input, expected) => {
    expect(rewrite(input)).toBe(expected);
  });

  it("rewrites only the columns chosen, counted from each line's start", () => {
    expect(rewrite("1,5;2,5;3,5\n4,5;5,5;6,5\n", new Set([1]))).toBe("1,5;2.5;3,5\n4,5;5.5;6,5\n");
  });

  it("rewrites the same whatever the chunks (every cut)", () => {
    const text = Buffer.from('a;b;c\n13,44;"x;\n1,5";-0,25\r\n,5;Smith, J;1,5E-3\n7;8,9;"""1,2"""\n1,5');
    const whole = rewrite(text.toString());
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 2) {
        const d = new NumberFields(SEMICOLON, decimalComma);
        const parts = [text.subarray(0, i), text.subarray(i, j), text.subarray(j)].map((p) => Buffer.from(d.push(p)));
        expect(Buffer.concat([...parts, d.end()]).toString()).toBe(whole);
      }
    }
  });
});

describe("decimalCommaColumns", () => {
  const missing = new Set(["", "NA"]);
  it("finds the columns whose values are all decimal-comma numbers or integers, one with its comma", () => {
    const rows = [
      ["13,44", "12", "1,5", "x", "1.5"],
      ["7", "14", "NA", "2,5", "2.5"],
      [" ", "15", "2,25", "3", "3"],
    ];
    expect([...decimalCommaColumns(rows, missing)]).toEqual([0, 2]);
  });
});

describe("openCsv and decimal commas", () => {
  // A spreadsheet's export where the comma is the decimal mark: ";"-separated.
  const euro = "name;price;qty;code\nA;13,44;2;1,2\nB;7,5;3;x\nC;;4;3\n";

  const rows = async (text: string, options: Parameters<typeof openCsv>[1] = {}) => {
    const { csv, rows } = await openedRecords(chunkedSource("euro.csv", text), options);
    return { rows: rows.map(([, fields]) => fields), decimalCommas: csv.numberForms?.find((f) => f.form === "decimal comma")?.columns };
  };

  it("reads the detected columns' decimal commas as points, and says which", async () => {
    expect(await rows(euro)).toEqual({
      rows: [
        ["A", "13.44", "2", "1,2"],
        ["B", "7.5", "3", "x"],
        ["C", "", "4", "3"],
      ],
      decimalCommas: ["price"],
    });
  });
  it('reads every column\'s with decimal ",", none with "."', async () => {
    expect((await rows(euro, { decimal: "," })).rows[0]).toEqual(["A", "13.44", "2", "1.2"]);
    expect(await rows(euro, { decimal: "." })).toEqual({ rows: expect.arrayContaining([["A", "13,44", "2", "1,2"]]), decimalCommas: undefined });
  });
  it("reads a column's grouped amounts met past the sample it was chosen from (a file sorted by amount)", async () => {
    const small = Array.from({ length: 12_000 }, (_, i) => `r${i};${i % 900},${i % 10}`);
    const text = `name;amount\n${small.join("\n")}\nbig;1.234,5\nbigger;12 345 678,25\nlone;2.000\n`;
    expect(text.length).toBeGreaterThan(128 * 1024);
    const { rows: read, decimalCommas } = await rows(text);
    expect(decimalCommas).toEqual(["amount"]);
    expect(read.slice(-3)).toEqual([
      ["big", "1234.5"],
      ["bigger", "12345678.25"],
      ["lone", "2000"],
    ]);
    expect(read[1]).toEqual(["r1", "1.1"]);
  });
  it("leaves comma-separated files alone (a comma there separates fields)", async () => {
    expect((await rows('name,price\nA,"13,44"\n')).rows).toEqual([["A", "13,44"]]);
  });
});
