import { describe, expect, it } from "vitest";
import { groupedDecimalComma, groupedDecimalCommaColumns } from "./grouped-decimal-commas.js";
import { NumberFields } from "./number-fields.js";
import type { openCsv } from "./open.js";
import { chunkedSource, openedRecords } from "./push-chunks.test-util.js";

const SEMICOLON = 0x3b;
const rewrite = (text: string | Buffer, delimiter = SEMICOLON) => {
  const d = new NumberFields(delimiter, groupedDecimalComma);
  return Buffer.concat([d.push(Buffer.from(text)), d.end()]).toString("latin1");
};
const NBSP = "\u00a0";
const NNBSP = "\u202f";

describe("decimal commas with grouped thousands", () => {
  it.each([
    ["1.234,56;12.345.678;-1.000,5;+2.000,\n", "1234.56;12345678;-1000.5;+2000.\n"],
    [`1 234,5;1${NBSP}234,5;1${NNBSP}234,5; 9 999 \n`, "1234.5;1234.5;1234.5;9999\n"],
    // Ungrouped, as the same column also holds them; and a lone group, which such a column means so.
    ["12,5;7;1.234\n", "12.5;7;1234\n"],
    // Not such numbers: mixed separators, a short group, letters, dates.
    ["1.234 567;1.23,4;1.2345,6;1.234x;01.02.2024;1.234,5,6\n", "1.234 567;1.23,4;1.2345,6;1.234x;01.02.2024;1.234,5,6\n"],
  ])("%j → %j", (input, expected) => {
    expect(rewrite(Buffer.from(input, "utf8"))).toBe(Buffer.from(expected, "utf8").toString("latin1"));
  });

  it("reads a Latin-1 no-break space (one byte) as UTF-8's (two)", () => {
    expect(rewrite(Buffer.from([0x31, 0xa0, 0x32, 0x33, 0x34, 0x2c, 0x35, 0x0a]))).toBe("1234.5\n");
  });

  it("reads quoted ones in a comma-separated file, and leaves the field's quotes", () => {
    expect(rewrite('"1.234,5",x,"1 000"\n', 0x2c)).toBe('"1234.5",x,"1000"\n');
  });

  it("rewrites the same whatever the chunks (every cut, through a two-byte space)", () => {
    const text = Buffer.from(`a;b\n1.234,56;"x;\n1.234,5"\r\n1${NBSP}234,5;12,5\n7;1.000.000\n`, "utf8");
    const whole = rewrite(text);
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 3) {
        const d = new NumberFields(SEMICOLON, groupedDecimalComma);
        const parts = [text.subarray(0, i), text.subarray(i, j), text.subarray(j)].map((p) => Buffer.from(d.push(p)));
        expect(Buffer.concat([...parts, d.end()]).toString("latin1")).toBe(whole);
      }
    }
  });
});

describe("groupedDecimalCommaColumns", () => {
  const missing = new Set(["", "NA"]);
  it("finds the columns whose values are all such numbers, decimal-comma numbers or integers, one grouped beyond doubt", () => {
    const rows = [
      ["1.234,56", "1.234", "1 234", "1.234.567", "1.234,5", "12,5"],
      ["12,5", "2.500", "12", "NA", "x", "7"],
      ["7", "3.125", "5 000,25", "2.000", "3", "1,5"],
    ];
    // Column 1's lone groups may be decimals (1.234 as an English file writes it); column 4 holds a word; column 5 no group.
    expect([...groupedDecimalCommaColumns(rows, missing)]).toEqual([0, 2, 3]);
  });
});

describe("openCsv and decimal commas with grouped thousands", () => {
  // A German spreadsheet's export: ";"-separated, amounts as 1.234,56.
  const german = "name;amount;qty;ref\nA;1.234,56;2,5;1.234\nB;987,5;3;2.5\nC;12.345,00;;3.75\nD;NA;4;4\n";

  const rows = async (text: string, options: Parameters<typeof openCsv>[1] = {}) => {
    const { csv, rows } = await openedRecords(chunkedSource("german.csv", text), options);
    return { rows: rows.map(([, fields]) => fields), forms: csv.numberForms };
  };

  it("reads the amounts plainly, the decimal commas of another column too, and leaves a column of decimal points", async () => {
    expect(await rows(german)).toEqual({
      rows: [
        ["A", "1234.56", "2.5", "1.234"],
        ["B", "987.5", "3", "2.5"],
        ["C", "12345.00", "", "3.75"],
        ["D", "NA", "4", "4"],
      ],
      forms: [
        { form: "grouped decimal comma", columns: ["amount"] },
        { form: "decimal comma", columns: ["qty"] },
      ],
    });
  });
  it('reads every column so with decimal ",", and none with "."', async () => {
    expect((await rows(german, { decimal: "," })).rows[0]).toEqual(["A", "1234.56", "2.5", "1234"]);
    expect((await rows(german, { decimal: "." })).rows[0]).toEqual(["A", "1.234,56", "2,5", "1.234"]);
  });
  it("reads French amounts grouped by no-break spaces", async () => {
    const french = `nom;montant\nA;1${NNBSP}234,5\nB;12${NBSP}000\nC;7,25\n`;
    expect(await rows(french)).toEqual({
      rows: [
        ["A", "1234.5"],
        ["B", "12000"],
        ["C", "7.25"],
      ],
      forms: [{ form: "grouped decimal comma", columns: ["montant"] }],
    });
  });
});

describe("a form the caller knows (a model's training file) for a column its sample cannot tell", () => {
  // `1.234` alone may be one and a quarter; where the training file wrote `1.234,56`, it is 1234.
  const text = "betrag;kurs;kanal\n1.234;1.234;web\n8.500;2.5;web\n250;3;tel\n";
  it("reads the column so when every value fits the form; the others as the sample says", async () => {
    const { rows } = await openedRecords(chunkedSource("new.csv", text), { numberForms: { betrag: "grouped decimal comma", kurs: "grouped decimal comma" } });
    // kurs holds 2.5, which no grouped number is: read as written.
    expect(rows.map(([, r]) => r)).toEqual([
      ["1234", "1.234", "web"],
      ["8500", "2.5", "web"],
      ["250", "3", "tel"],
    ]);
  });
  it("reads it as written without the hint (the sample alone cannot tell)", async () => {
    const { rows } = await openedRecords(chunkedSource("new.csv", text));
    expect(rows.map(([, r]) => r[0])).toEqual(["1.234", "8.500", "250"]);
  });
});
