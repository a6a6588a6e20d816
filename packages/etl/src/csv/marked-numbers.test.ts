import { describe, expect, it } from "vitest";
import {
  currencyColumns,
  currencyDecimalCommaColumns,
  currencySign,
  currencySignDecimalComma,
  infinity,
  infinityColumns,
  parenthesizedColumns,
  parenthesizedNegative,
  percentColumns,
  percentDecimalCommaColumns,
  percentSign,
  percentSignDecimalComma,
} from "./marked-numbers.js";
import { NumberFields, type NumberForm } from "./number-fields.js";
import { chunkedSource, openedRecords } from "./push-chunks.test-util.js";

const rewrite = (form: NumberForm, text: string) => {
  const f = new NumberFields(0x2c, form);
  return Buffer.concat([f.push(Buffer.from(text)), f.end()]).toString();
};

describe("percentSign", () => {
  it.each([
    ["13.56%,7%,-0.5 %,.5%,12\n", "13.56,7,-0.5 ,.5,12\n"],
    ['"10.65%",%,5%%,x%,1.2.3%\n', '"10.65",%,5%%,x%,1.2.3%\n'],
  ])("%j → %j", (input, expected) => {
    expect(rewrite(percentSign, input)).toBe(expected);
  });
});

describe("currencySign", () => {
  it.each([
    ['"$1,234.50",$7,-$12.5,$-3,"€ 2,000",£7,¥100,12\n', '"1234.50",7,-12.5,-3,"2000",7,100,12\n'],
    ['"1,234",$,$1.2.3,US$5,$x\n', '"1234",$,$1.2.3,US$5,$x\n'],
    // Excel's accounting zero: a dash, with or without the sign and its padding; two dashes are not one.
    ['"$ -   ", - ,$-,-,"-  $",--,$ - 5\n', '"0",0,0,0,"0",--,$ - 5\n'],
  ])("%j → %j", (input, expected) => {
    expect(rewrite(currencySign, input)).toBe(expected);
  });
  it("reads a column of accounting amounts whose zeros are dashes, and not a column of dashes alone", async () => {
    const missing = new Set([""]);
    expect([
      ...currencyColumns(
        [
          ["$ -", " - "],
          ["$1,200.00", "-"],
          ["$ -   ", "x"],
        ],
        missing,
      ),
    ]).toEqual([0]);
    const text = 'item,amount\nrent,"$1,200.00"\nfee,"$ -   "\ntax,$12.50\n';
    const { csv, rows: read } = await openedRecords(chunkedSource("ledger.csv", text, 3));
    expect(read.map(([, fields]) => fields)).toEqual([
      ["rent", "1200.00"],
      ["fee", "0"],
      ["tax", "12.50"],
    ]);
    expect(csv.numberForms).toEqual([{ form: "currency sign", columns: ["amount"] }]);
  });
});

describe("negatives in parentheses", () => {
  it.each([
    ['(100),"(1,234.56)",($12.50),( € 7 ),(3$),"$1,000",250.5,-4\n', '-100,"-1234.56",-12.50,-7,-3,"1000",250.5,-4\n'],
    ["(),(x),(1)2,((1)),(1.2.3),(-5)\n", "(),(x),(1)2,((1)),(1.2.3),(-5)\n"],
    ['"$ -   ",(3),-\n', '"0",-3,0\n'],
  ])("%j → %j", (input, expected) => {
    expect(rewrite(parenthesizedNegative, input)).toBe(expected);
  });
  it("finds the columns that hold one, and reads an accounting export's amounts", async () => {
    const rows = [
      ["(100)", "100", "(a)", "$5"],
      ["$1,200", "(7", "x", "(3)"],
      ["", "8", "", "2.5"],
    ];
    expect([...parenthesizedColumns(rows, new Set([""]))]).toEqual([0, 3]);
    const text = 'account,balance\ncash,"$1,200.00"\nloan,"($5,000.00)"\nfees,(12.5)\n';
    const { csv, rows: read } = await openedRecords(chunkedSource("ledger.csv", text, 4));
    expect(read.map(([, fields]) => fields)).toEqual([
      ["cash", "1200.00"],
      ["loan", "-5000.00"],
      ["fees", "-12.5"],
    ]);
    expect(csv.numberForms).toEqual([{ form: "negative in parentheses", columns: ["balance"] }]);
  });
});

describe("with a decimal comma", () => {
  const semicolons = (form: NumberForm, text: string) => {
    const f = new NumberFields(0x3b, form);
    return Buffer.concat([f.push(Buffer.from(text)), f.end()]).toString();
  };
  it.each([
    ["1.234,56 €;€ 12,50;-7,5 €;€-3;1 234,5 €;1\u00a0234\u00a0€;12,5;7\n", "1234.56;12.50;-7.5;-3;1234.5;1234;12.5;7\n"],
    ["1.23,4 €;€;12,5,5 €;EUR 5;1.234,5 $ x\n", "1.23,4 €;€;12,5,5 €;EUR 5;1.234,5 $ x\n"],
    ["- €;€ -; -   ;1.234,50 €\n", "0;0;0;1234.50\n"],
  ])("amounts %j → %j", (input, expected) => {
    expect(semicolons(currencySignDecimalComma, input)).toBe(expected);
  });
  it.each([
    ["13,5 %;7%;-0,25 %;1.000,5%;12,5;3\n", "13.5;7;-0.25;1000.5;12.5;3\n"],
    ["%;5 %%;x %;1,2,3 %\n", "%;5 %%;x %;1,2,3 %\n"],
  ])("percentages %j → %j", (input, expected) => {
    expect(semicolons(percentSignDecimalComma, input)).toBe(expected);
  });
  it("finds the columns that hold them, and leaves those a decimal point reads to the other forms", async () => {
    const rows = [
      ["1.234,50 €", "13,5 %", "$1,200", "5%", "12,5 €"],
      ["7", "2", "$3", "6%", "x"],
      ["", "0,5", "450", "", "3 €"],
    ];
    const missing = new Set([""]);
    expect([...currencyDecimalCommaColumns(rows, missing)]).toEqual([0, 2]);
    expect([...percentDecimalCommaColumns(rows, missing)]).toEqual([1, 3]);
    // A German export: each column gets the form that reads all its values, a decimal point's first.
    const text = "id;betrag;anteil;preis;rate\n1;1.234,50 €;13,5 %;$1,200;5%\n2;7;2;$3;6%\n3;;0,5;450;\n";
    const { csv, rows: read } = await openedRecords(chunkedSource("german.csv", text, 5));
    expect(read.map(([, fields]) => fields)).toEqual([
      ["1", "1234.50", "13.5", "1200", "5"],
      ["2", "7", "2", "3", "6"],
      ["3", "", "0.5", "450", ""],
    ]);
    expect(csv.numberForms).toEqual([
      { form: "currency sign", columns: ["preis"] },
      { form: "currency sign, decimal comma", columns: ["betrag"] },
      { form: "percent sign", columns: ["rate"] },
      { form: "percent sign, decimal comma", columns: ["anteil"] },
    ]);
  });
});

describe("infinity", () => {
  it.each([
    ["inf,-inf,+Infinity,INF, -inf ,1.5,-2\n", ",,,,,1.5,-2\n"],
    ['"inf",info,infinite,fine,-,1e5\n', '"inf",info,infinite,fine,-,1e5\n'],
  ])("%j → %j", (input, expected) => {
    expect(rewrite(infinity, input)).toBe(expected);
  });
  it("finds the columns of numbers holding an infinity, and reads those as missing", async () => {
    expect([
      ...infinityColumns(
        [
          ["1.5", "inf", "x"],
          ["-inf", "2", "inf"],
          ["3", "", "y"],
        ],
        new Set([""]),
      ),
    ]).toEqual([0, 1]);
    const { csv, rows } = await openedRecords(chunkedSource("ratios.csv", "ratio,name\n1.5,a\ninf,b\n-inf,c\n2,info\n"));
    expect(rows.map(([, f]) => f)).toEqual([
      ["1.5", "a"],
      ["", "b"],
      ["", "c"],
      ["2", "info"],
    ]);
    expect(csv.numberForms).toEqual([{ form: "infinity", columns: ["ratio"] }]);
  });
});

describe("detection and reading", () => {
  it("finds the columns whose values carry the sign (or none), one at least with it", () => {
    const rows = [
      ["13.5%", "$1,200", "7", "5%"],
      ["7", "$3", "8", "x"],
      ["", "450", "9", "6%"],
    ];
    const missing = new Set([""]);
    expect([...percentColumns(rows, missing)]).toEqual([0]);
    expect([...currencyColumns(rows, missing)]).toEqual([1]);
  });

  it("reads a LendingClub-like file's rates and amounts as numbers, and says which form each column had", async () => {
    const text = 'id,int_rate,loan,term\n1, 10.65%,"$5,000", 36 months\n2,15.27%,"$2,500", 60 months\n3,,$800, 36 months\n';
    const { csv, rows } = await openedRecords(chunkedSource("loans.csv", text, 3));
    expect(rows.map(([, fields]) => fields)).toEqual([
      ["1", " 10.65", "5000", " 36 months"],
      ["2", "15.27", "2500", " 60 months"],
      ["3", "", "800", " 36 months"],
    ]);
    expect(csv.numberForms).toEqual([
      { form: "currency sign", columns: ["loan"] },
      { form: "percent sign", columns: ["int_rate"] },
    ]);
  });

  it("lets a column of amounts hold the values configured as missing: a dash so configured stays missing, not Excel's zero", async () => {
    const text = 'id,loan\n1,"$5,000"\n2,-\n3,$800\n4,N/A\n';
    const opened = async (missingTokens?: string[]) => await openedRecords(chunkedSource("loans.csv", text), missingTokens ? { missingTokens } : {});
    const byDefault = await opened();
    expect(byDefault.csv.numberForms).toEqual([{ form: "currency sign", columns: ["loan"] }]);
    expect(byDefault.rows.map(([, fields]) => fields[1])).toEqual(["5000", "0", "800", "N/A"]);
    const dashMissing = await opened(["", "-", "N/A"]);
    expect(dashMissing.csv.numberForms).toEqual([{ form: "currency sign", columns: ["loan"] }]);
    expect(dashMissing.rows.map(([, fields]) => fields[1])).toEqual(["5000", "-", "800", "N/A"]);
  });
});
