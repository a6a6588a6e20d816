import { describe, expect, it } from "vitest";
import { detectDelimiter, detectHeader } from "./detect.js";
import { parseCsv } from "./parser.js";
import { chunkedSource, openedRecords } from "./push-chunks.test-util.js";
import { WhitespaceRuns, whitespaceToTabs } from "./whitespace.js";

describe("WhitespaceRuns", () => {
  it.each([
    ["a b c\n", "a\tb\tc\n"],
    ["  a   b\t\t c  \n", "a\tb\tc\n"],
    ["a b\r\n1  2 \r\n", "a\tb\r\n1\t2\r\n"],
    ["   \n\t\na b\n", "\n\na\tb\n"],
    ['"x y" "a\tb"  c\n', '"x y"\t"a\tb"\tc\n'],
    ['"say ""hi"" there" 2\n', '"say ""hi"" there"\t2\n'],
    ['"two\nlines"  3\n', '"two\nlines"\t3\n'],
    ['a"b c\n', 'a"b\tc\n'],
    ['"" x\n', '""\tx\n'],
    ["last   ", "last"],
  ])("%j → %j", (input, expected) => {
    expect(whitespaceToTabs(input)).toBe(expected);
  });

  it("rewrites the same whatever the chunks (every cut of a tricky text)", () => {
    const text = Buffer.from(' a  "q  ""r"" \t s"\t\t1 \r\n  "x"y  z \n\n  é   ü\n"""" "a""b" end  ');
    const whole = Buffer.from(new WhitespaceRuns().push(text));
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 3) {
        const runs = new WhitespaceRuns();
        const parts = [text.subarray(0, i), text.subarray(i, j), text.subarray(j)].map((p) => Buffer.from(runs.push(p)));
        expect(Buffer.concat(parts).equals(whole)).toBe(true);
      }
    }
  });

  it("never adds or removes a line break (line numbers stay the file's)", () => {
    const text = 'a b\n  \n"1\n2" 3\r\n4   5\n';
    const lines = (s: string) => s.split(/\r\n|\n|\r/).length;
    expect(lines(whitespaceToTabs(text))).toBe(lines(text));
    expect(parseCsv(whitespaceToTabs(text), { delimiter: "\t" }).map((r) => [r.line, r.fields])).toEqual([
      [1, ["a", "b"]],
      [3, ["1\n2", "3"]],
      [5, ["4", "5"]],
    ]);
  });
});

describe("whitespace-separated files", () => {
  // The layout of R's write.table and of aligned columns (sklearn's linnerud data: "Chins Situps Jumps").
  const aligned = "Chins Situps Jumps   Pulse\n  5    162    60      50\n  2    110    60      52\n 12    101   101      58\n";
  const rWrite = '"name" "city" "age"\n"Doe, J" "New York" 31\n"Roe, K" "Paris" NA\n';

  it("are detected when no single character splits every line alike", () => {
    expect(detectDelimiter(aligned)).toBe("whitespace");
    expect(detectDelimiter(rWrite)).toBe("whitespace");
    expect(detectHeader(aligned, "whitespace")).toBe(true);
  });

  it("do not take over files a single character splits (values with spaces, padded fields)", () => {
    expect(detectDelimiter("first name,home city,age\nJohn Smith,New York,30\nJane Doe,Rome,25\n")).toBe(",");
    expect(detectDelimiter("39, State-gov, 77516, Bachelors\n50, Self-emp-not-inc, 83311, Bachelors\n")).toBe(",");
    expect(detectDelimiter("a b\tc d\n1 2\t3 4\n")).toBe("\t");
    expect(detectDelimiter("a b c\n1 2\n3 4 5\n")).toBe(",");
  });

  it("open with their columns and records, lines as in the file", async () => {
    const { csv, rows } = await openedRecords(chunkedSource("aligned.txt", aligned, 7));
    expect(csv.delimiter).toBe("whitespace");
    expect(csv.hasHeader).toBe(true);
    expect(csv.columns).toEqual(["Chins", "Situps", "Jumps", "Pulse"]);
    expect(rows).toEqual([
      [2, ["5", "162", "60", "50"]],
      [3, ["2", "110", "60", "52"]],
      [4, ["12", "101", "101", "58"]],
    ]);
  });

  it("are read the same when the delimiter is given, and quoted values keep their spaces", async () => {
    const { csv, rows } = await openedRecords(chunkedSource("r.txt", rWrite, 7), { delimiter: "whitespace" });
    expect(csv.columns).toEqual(["name", "city", "age"]);
    expect(rows.map(([, fields]) => fields)).toEqual([
      ["Doe, J", "New York", "31"],
      ["Roe, K", "Paris", "NA"],
    ]);
  });

  it("keep a byte-order mark out of the first name, and a header longer than the sample whole", async () => {
    const long = Array.from({ length: 9000 }, (_, i) => `c${i}`).join("   ");
    const text = `\ufeff  ${long}\n${Array.from({ length: 9000 }, (_, i) => String(i)).join(" ")}\n`;
    const { csv, rows } = await openedRecords(chunkedSource("wide.txt", text, 4096));
    expect(csv.delimiter).toBe("whitespace");
    expect(csv.columns.length).toBe(9000);
    expect(csv.columns[0]).toBe("c0");
    expect(rows[0]?.[1].length).toBe(9000);
  });
});
