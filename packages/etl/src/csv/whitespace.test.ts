import { describe, expect, it } from "vitest";
import type { ByteSource } from "../extract/source.js";
import { detectDelimiter, detectHeader } from "./detect.js";
import { openCsv } from "./open.js";
import { parseCsv } from "./parser.js";
import { WhitespaceRuns, whitespaceToTabs } from "./whitespace.js";

/** The bytes in chunks of `chunk` (small: the rewriting carries its state across them). */
function memorySource(name: string, bytes: Buffer, chunk = 7): ByteSource {
  return {
    name,
    size: async () => bytes.length,
    async *open() {
      for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
    },
  };
}

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
    const csv = await openCsv(memorySource("aligned.txt", Buffer.from(aligned)));
    expect(csv.delimiter).toBe("whitespace");
    expect(csv.hasHeader).toBe(true);
    expect(csv.columns).toEqual(["Chins", "Situps", "Jumps", "Pulse"]);
    const rows: [number, string[]][] = [];
    for await (const _ of csv.scan((v) => rows.push([v.line, Array.from({ length: v.count }, (_, k) => v.bytes.toString("utf8", v.starts[k], v.ends[k]))])));
    expect(rows).toEqual([
      [2, ["5", "162", "60", "50"]],
      [3, ["2", "110", "60", "52"]],
      [4, ["12", "101", "101", "58"]],
    ]);
  });

  it("are read the same when the delimiter is given, and quoted values keep their spaces", async () => {
    const csv = await openCsv(memorySource("r.txt", Buffer.from(rWrite)), { delimiter: "whitespace" });
    const rows: string[][] = [];
    for await (const _ of csv.scan((v) => rows.push(Array.from({ length: v.count }, (_, k) => v.bytes.toString("utf8", v.starts[k], v.ends[k]))))) {
    }
    expect(csv.columns).toEqual(["name", "city", "age"]);
    expect(rows).toEqual([
      ["Doe, J", "New York", "31"],
      ["Roe, K", "Paris", "NA"],
    ]);
  });

  it("keep a byte-order mark out of the first name, and a header longer than the sample whole", async () => {
    const long = Array.from({ length: 9000 }, (_, i) => `c${i}`).join("   ");
    const text = `\ufeff  ${long}\n${Array.from({ length: 9000 }, (_, i) => String(i)).join(" ")}\n`;
    const csv = await openCsv(memorySource("wide.txt", Buffer.from(text), 4096));
    expect(csv.delimiter).toBe("whitespace");
    expect(csv.columns.length).toBe(9000);
    expect(csv.columns[0]).toBe("c0");
    let count = 0;
    for await (const _ of csv.scan((v) => {
      count = v.count;
    })) {
    }
    expect(count).toBe(9000);
  });
});
