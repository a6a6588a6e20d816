import { describe, expect, it } from "vitest";
import { CsvFormatError } from "../errors.js";
import { CsvParser, parseCsv } from "./parser.js";

const fields = (text: string, delimiter = ",") => parseCsv(text, { delimiter }).map((r) => r.fields);

describe("CsvParser", () => {
  it("reads quoted fields with delimiters, doubled quotes and newlines", () => {
    expect(fields('a,b\n"x, y","say ""hi"""\n"multi\nline",2\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["multi\nline", "2"],
    ]);
  });

  it("accepts \\n, \\r\\n and \\r line endings in one file and skips blank lines", () => {
    expect(fields("a,b\r\n1,2\r3,4\n\n5,6")).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
      ["5", "6"],
    ]);
  });

  it("skips lines of spaces and tabs alone, as pandas does, but keeps a quoted blank and a row of blank fields", () => {
    const records = parseCsv('a,b\n1,2\n   \n\t\n 3,4\n" "\n,\n  \n5,6\n', { delimiter: "," });
    expect(records.map((r) => [r.line, ...r.fields])).toEqual([
      [1, "a", "b"],
      [2, "1", "2"],
      [5, " 3", "4"],
      [6, " "],
      [7, "", ""],
      [9, "5", "6"],
    ]);
    // With tabs between fields, a line of tabs is a row of blank fields; of spaces alone, blank.
    expect(parseCsv("a\tb\n\t\n  \n1\t2\n", { delimiter: "\t" }).map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["", ""],
      ["1", "2"],
    ]);
  });

  it("gives each record the line it starts on, counting newlines inside quotes", () => {
    const records = parseCsv('h\n"a\nb"\nc\n', { delimiter: "," });
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("keeps empty fields, including trailing ones", () => {
    expect(fields("a,,c,\n,,,\n")).toEqual([
      ["a", "", "c", ""],
      ["", "", "", ""],
    ]);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    const text = 'id;name;note\r\n1;"Smith; John";"he said ""yes""\r\nthen left"\r\n2;Doe;\r\n';
    const whole = parseCsv(text, { delimiter: ";" });
    for (let cut = 1; cut < text.length; cut++) {
      const p = new CsvParser({ delimiter: ";" });
      const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()];
      expect(got, `cut at ${cut}`).toEqual(whole);
    }
  });

  it("names file, line and column of an unterminated quote", () => {
    const p = new CsvParser({ delimiter: ",", file: "bad.csv" });
    p.push('a,b\n1,"oops\n2,3\n');
    expect(() => p.end()).toThrowError(CsvFormatError);
    try {
      p.end();
    } catch (error) {
      expect((error as CsvFormatError).line).toBe(2);
      expect((error as CsvFormatError).column).toBe(2);
      expect((error as Error).message).toMatch(/^bad\.csv:2:2: .*unterminated quote/);
    }
  });

  it("rejects text after a closing quote, naming the place", () => {
    expect(() => parseCsv('a,b\n"x"y,1\n', { delimiter: ",", file: "f.csv" })).toThrowError(/f\.csv:2:1: unexpected character "y" after a closing quote/);
  });
});
