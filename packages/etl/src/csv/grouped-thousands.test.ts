import { describe, expect, it } from "vitest";
import { groupedThousands, groupedThousandsColumns } from "./grouped-thousands.js";
import { NumberFields } from "./number-fields.js";
import { chunkedSource, openedRecords } from "./push-chunks.test-util.js";

const COMMA = 0x2c;
const grouped = (delimiter: number, columns: Iterable<number>) => new NumberFields(delimiter, new Map([...columns].map((j) => [j, groupedThousands])));
const rewrite = (text: string, columns: ReadonlySet<number> = new Set([0, 1, 2, 3])) => {
  const g = grouped(COMMA, columns);
  return Buffer.concat([g.push(Buffer.from(text)), g.end()]).toString();
};

describe("grouped thousands", () => {
  it.each([
    ['"1,234","-12,345,678.9",1234,"7"\n', '"1234","-12345678.9",1234,"7"\n'],
    ['"1,23","12,3456","a,b","1,234x"\n', '"1,23","12,3456","a,b","1,234x"\n'],
    ['"1,""234","1,234"x,"1,\n234",5\n', '"1,""234","1,234"x,"1,\n234",5\n'],
    ['"1,234"', '"1234"'],
    ['"1,234', '"1,234'],
    ['" 1,234 ",2\r\n', '" 1234 ",2\r\n'],
    // Swiss apostrophes (and ’), SI spaces (plain, no-break, narrow), one separator throughout.
    ['1\'234.5,"1 234 567",1\u2019000,1\u00a0234.25\n', '1234.5,"1234567",1000,1234.25\n'],
    ["1\u202f000,1'234 567,1 23,'1234\n", "1000,1'234 567,1 23,'1234\n"],
  ])("%j → %j", (input, expected) => {
    expect(rewrite(input)).toBe(expected);
  });

  it("rewrites unquoted fields too where commas do not separate them (a tab-separated file)", () => {
    const g = grouped(0x09, [0]);
    expect(Buffer.concat([g.push(Buffer.from(" 1,234 \t2\n1,000")), g.end()]).toString()).toBe(" 1234 \t2\n1000");
  });

  it("rewrites only the columns chosen, counted from each line's start (quoted delimiters and breaks not counted)", () => {
    expect(rewrite('"1,234","2,345"\n"a,\nb","3,456"\n', new Set([1]))).toBe('"1,234","2345"\n"a,\nb","3456"\n');
  });

  it("rewrites the same whatever the chunks (every cut)", () => {
    const text = Buffer.from('a,b,c\n"1,234","x,\n""y""","-9,876.5"\r\n"12,345",1,234\n"1,2""3",7,"8,888"\n"5,555"');
    const whole = rewrite(text.toString(), new Set([0, 2]));
    expect(whole).toBe('a,b,c\n"1234","x,\n""y""","-9876.5"\r\n"12345",1,234\n"1,2""3",7,"8888"\n"5555"');
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 2) {
        const g = grouped(COMMA, [0, 2]);
        const parts = [text.subarray(0, i), text.subarray(i, j), text.subarray(j)].map((p) => Buffer.from(g.push(p)));
        expect(Buffer.concat([...parts, g.end()]).toString()).toBe(whole);
      }
    }
  });
});

describe("groupedThousandsColumns", () => {
  it("finds the columns of grouped or plain numbers, one at least grouped", () => {
    const rows = [
      ["1,234", "12", "1,234", "1,23", "1,234.5"],
      ["7", "14,5", "x", "4", "NA"],
      ["", "15", "2", "3", "999.25"],
    ];
    expect([...groupedThousandsColumns(rows, new Set(["", "NA"]))]).toEqual([0, 4]);
  });
});

describe("openCsv and grouped thousands", () => {
  const read = async (text: string) => {
    const { csv, rows } = await openedRecords(chunkedSource("report.csv", text));
    const of = (form: string) => csv.numberForms?.find((f) => f.form === form)?.columns;
    return { rows: rows.map(([, fields]) => fields), grouped: of("grouped thousands"), decimal: of("decimal comma") };
  };
  it("reads a comma file's quoted grouped numbers without their commas, and says which columns", async () => {
    expect(await read('name,revenue,units\nA,"1,234,567.89",12\nB,950.5,"1,500"\nC,,7\n')).toEqual({
      rows: [
        ["A", "1234567.89", "12"],
        ["B", "950.5", "1500"],
        ["C", "", "7"],
      ],
      grouped: ["revenue", "units"],
      decimal: undefined,
    });
  });
  it('with thousands "," reads grouped numbers in every column wherever they first appear; not with a decimal comma too', async () => {
    // Every column is read so (id too), as decimal "," does: nothing depends on what the sample held.
    const text = 'id,amount\n1,12.5\n2,7\n3,"1,250.75"\n4,"2,000"\n';
    const { csv, rows } = await openedRecords(chunkedSource("sorted.csv", text, 20), { thousands: "," });
    expect(rows.map(([, fields]) => fields[1])).toEqual(["12.5", "7", "1250.75", "2000"]);
    expect(csv.numberForms).toEqual([{ form: "grouped thousands", columns: ["id", "amount"] }]);
    await expect(openedRecords(chunkedSource("sorted.csv", text), { thousands: ",", decimal: "," })).rejects.toThrow(
      'the comma cannot be both the decimal mark and the thousands separator: drop decimal "," or thousands ","',
    );
  });
  it("reads Swiss apostrophes and SI spaces unquoted; a space-grouped column without decimals reads the same either way", async () => {
    const { rows, grouped } = await read('ch,si,n\n1\'234.50,1 234.5,1 000\n12.25,7,2 500\n3,"12 345.75",9\n');
    expect(rows).toEqual([
      ["1234.50", "1234.5", "1000"],
      ["12.25", "7", "2500"],
      ["3", "12345.75", "9"],
    ]);
    expect(grouped).toEqual(["ch", "si"]);
  });
  it("takes 1,234 in a ;-separated file for a decimal comma, and 1,234.5 for grouped thousands", async () => {
    expect(await read("a;b\n1,234;1,234.5\n2,5;7\n")).toEqual({
      rows: [
        ["1.234", "1234.5"],
        ["2.5", "7"],
      ],
      grouped: ["b"],
      decimal: ["a"],
    });
  });
});
