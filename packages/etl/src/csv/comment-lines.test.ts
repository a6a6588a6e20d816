import { describe, expect, it } from "vitest";
import type { ByteSource } from "../extract/source.js";
import { CommentLines, withoutCommentLines } from "./comment-lines.js";
import { openCsv } from "./open.js";
import { chunkedSource as memorySource, openedRecords } from "./push-chunks.test-util.js";

const comma = (c: number): boolean => c === 0x2c;
const emptied = (text: string, separates = comma) => {
  const lines = new CommentLines("#", separates);
  return Buffer.concat([lines.push(Buffer.from(text)), lines.end()]).toString();
};

async function records(source: ByteSource, options: Parameters<typeof openCsv>[1]) {
  const { csv, rows } = await openedRecords(source, options);
  return { columns: csv.columns, delimiter: csv.delimiter, rows };
}

describe("CommentLines", () => {
  it.each([
    ["# notice\na,b\n1,2\n", "\na,b\n1,2\n"],
    ["a,b\n  # note\r\n1,2\r\n", "a,b\n\r\n1,2\r\n"],
    ["a,b\n1,#2\n#3,4\n", "a,b\n1,#2\n\n"],
    ['a,b\n"x\n# not a comment",2\n', 'a,b\n"x\n# not a comment",2\n'],
    ['a,b\nq"x\n#c\n', 'a,b\nq"x\n\n'],
    ['a,b\n"say ""hi""\n#in",2\n#out\n', 'a,b\n"say ""hi""\n#in",2\n\n'],
    ["a,b\n   \n  x,1\n", "a,b\n   \n  x,1\n"],
    ["a,b\n1,2\n  ", "a,b\n1,2\n  "],
  ])("%j → %j", (input, expected) => {
    expect(emptied(input)).toBe(expected);
  });

  it("follows quotes on the file's own separators (a quote after a tab opens a field in a tab file)", () => {
    const tab = (c: number): boolean => c === 0x09;
    expect(emptied('a\tb\n1\t"x\n#y"\n#z\n', tab)).toBe('a\tb\n1\t"x\n#y"\n\n');
  });

  it("empties the same whatever the chunks (every cut of a tricky text)", () => {
    const text = Buffer.from('# top\r\n  a,"b\n# in"\n \t# c\n1,"""\n#"\n  2,3\n#end  ');
    const whole = emptied(text.toString());
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 2) {
        const lines = new CommentLines("#", comma);
        const parts = [text.subarray(0, i), text.subarray(i, j), text.subarray(j)].map((p) => Buffer.from(lines.push(p)));
        expect(Buffer.concat([...parts, lines.end()]).toString()).toBe(whole);
      }
    }
  });

  it("withoutCommentLines keeps each line's break", () => {
    expect(withoutCommentLines("# a\r\nx,y\n  #b\r1,2\n", "#")).toBe("\r\nx,y\n\r1,2\n");
  });
});

describe("openCsv with a comment character", () => {
  // matplotlib's sample Stocks.csv starts with "# Data source: https://finance.yahoo.com".
  const stocks = "# Data source: https://finance.yahoo.com\nDate,IBM,AAPL\n1990-01-01,10.97,0.24\n# a note between rows\n1990-02-01,11.55,0.25\n";

  it("skips the comment lines wherever they are; the others keep their numbers", async () => {
    expect(await records(memorySource("stocks.csv", stocks), { comment: "#" })).toEqual({
      columns: ["Date", "IBM", "AAPL"],
      delimiter: ",",
      rows: [
        [3, ["1990-01-01", "10.97", "0.24"]],
        [5, ["1990-02-01", "11.55", "0.25"]],
      ],
    });
  });

  it("without one, reads the notice as the header (what pandas does too)", async () => {
    const { columns } = await records(memorySource("stocks.csv", stocks), {});
    expect(columns).toEqual(["# Data source: https://finance.yahoo.com"]);
  });

  it("works with whitespace files, where blanks before the comment character are allowed", async () => {
    const text = "  # measured 2026\n  x   y  z\n  1   2  3\n    # skipped\n  4   5  6\n";
    expect(await records(memorySource("aligned.txt", text, 3), { comment: "#" })).toEqual({
      columns: ["x", "y", "z"],
      delimiter: "whitespace",
      rows: [
        [3, ["1", "2", "3"]],
        [5, ["4", "5", "6"]],
      ],
    });
  });

  it("refuses a comment character that cannot be one", async () => {
    await expect(openCsv(memorySource("a.csv", "a,b\n1,2\n"), { comment: "##" })).rejects.toThrow(/one ASCII character/);
    await expect(openCsv(memorySource("a.csv", "a,b\n1,2\n"), { comment: '"' })).rejects.toThrow(/other than a quote/);
    await expect(openCsv(memorySource("a.csv", "a,b\n1,2\n"), { comment: "," })).rejects.toThrow(/also the delimiter/);
    await expect(openCsv(memorySource("a.csv", "# only\n# notes\n"), { comment: "#" })).rejects.toThrow(/hold only comment lines/);
  });
});

describe("Excel's sep= line above the header", () => {
  it("names the delimiter and is left out; lines keep their numbers", async () => {
    for (const [text, delimiter] of [
      ["sep=;\r\nname;price\r\nA;1\r\nB;2\r\n", ";"],
      ["\ufeffsep=,\na,b\n1,2\n3,4\n", ","],
      ["sep=\t\na\tb\n1\t2\n3\t4\n", "\t"],
    ] as const) {
      const got = await records(memorySource("excel.csv", text, 2), {});
      expect(got.delimiter).toBe(delimiter);
      expect(got.rows.map(([line]) => line)).toEqual([3, 4]);
      expect(got.columns.length).toBe(2);
    }
  });
  it("gives way to a delimiter named by the user, and is not taken for a header", async () => {
    const got = await records(memorySource("excel.csv", "sep=;\na,b\n1,2\n"), { delimiter: "," });
    expect(got).toEqual({ columns: ["a", "b"], delimiter: ",", rows: [[3, ["1", "2"]]] });
  });
});
