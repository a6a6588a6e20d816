import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "@pipe/etl";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// The broken-CSV corpus: each case either fails with one line naming the file (and line and column
// where there is one), a non-zero exit and no outputs, or finishes with every rejected row explained.
const tmp = tempDir("pipe-corpus-");
afterAll(tmp.cleanup);

/** 40 good rows: a number, a category, a two-class target. */
function rows(n = 40, sep = ","): string[] {
  return Array.from({ length: n }, (_, i) => [String((i * 7) % 23), ["red", "green", "blue"][i % 3], i % 2 ? "yes" : "no"].join(sep));
}

/** `text` as Windows-1252 bytes (its characters past Latin-1 are €, “, ” and – here). */
function windows1252(text: string): Buffer {
  const high: Record<string, number> = { "€": 0x80, "“": 0x93, "”": 0x94, "–": 0x96 };
  return Buffer.from([...text].map((c) => high[c] ?? c.charCodeAt(0)));
}

/** 40 rows whose target is written yes/no and, on every third row, YES/NO. */
const twoCaseTarget = `a,b,y\n${rows()
  .map((r, i) => (i % 3 === 0 ? r.replace(/(yes|no)$/, (m) => m.toUpperCase()) : r))
  .join("\n")}\n`;

/** scikit-learn's data file layout: a line of counts and class names, then rows of numbers without names. */
const sklearnStyle = `40,6,malignant,benign\n${Array.from(
  { length: 40 },
  (_, i) => `${(i * 7) % 23}.5,${i % 5}.25,${i * 3}.1,${(i * 11) % 17}.3,${i % 4}.5,${i}.75,${i % 2}`,
).join("\n")}\n`;

/** 40 rows whose last column is a price (many values: a quantity to regress, not two classes). */
const priced = `a,b,price\n${rows()
  .map((r, i) => r.replace(/(yes|no)$/, String(100 + ((i * 37) % 61) * 2.5)))
  .join("\n")}\n`;

/** 70,000 small amounts (1.4 MB: past the sample, a first read of up to 1 MiB), then ten grouped by thousands, quoted. */
const sortedAmounts = `id,amount,y\n${Array.from({ length: 70010 }, (_, i) =>
  [`${1000000 + i}`, i < 70000 ? `${(i % 999) + 0.5}` : `"1,${String(i - 70000).padStart(3, "0")}.50"`, i % 2 ? "yes" : "no"].join(","),
).join("\n")}\n`;

interface Case {
  name: string;
  content: string | Buffer;
  args?: string[];
  target?: string;
  expect: { code: 0 } | { code: 1 | 2; message: RegExp };
  check?: (out: string) => void;
}

const rejectedRows = (out: string) => parseCsv(readFileSync(join(out, "rejected.csv"), "utf8"), { delimiter: "," }).map((r) => r.fields);
const report = (out: string) => JSON.parse(readFileSync(join(out, "etl_report.json"), "utf8"));
const schema = (out: string) => JSON.parse(readFileSync(join(out, "dataset_processed.schema.json"), "utf8"));

const cases: Case[] = [
  { name: "empty file", content: "", expect: { code: 1, message: /^pipe: \S+empty-file\.csv:1: the file is empty/ } },
  { name: "header only", content: "a,b,y\n", expect: { code: 1, message: /header but no data rows/ } },
  {
    name: "no header",
    content: `${rows()
      .map((r) => r.replace(/yes|no/, (m) => (m === "yes" ? "1" : "0")).replace(/red|green|blue/, "7"))
      .join("\n")}\n`,
    target: "column_3",
    expect: { code: 0 },
    check: (out) => expect(report(out).has_header).toBe(false),
  },
  {
    name: "ragged rows",
    content: `a,b,y\n${rows().join("\n")}\n1,red\n2,red,yes,extra\n`,
    expect: { code: 0 },
    check: (out) => {
      const r = rejectedRows(out);
      expect(r.slice(1).map((x) => [x[0], x[1], x[3]])).toEqual([
        ["42", "ragged_row", "expected 3 fields, found 2"],
        ["43", "ragged_row", "expected 3 fields, found 4"],
      ]);
    },
  },
  {
    name: "unterminated quote",
    content: `a,b,y\n${rows(5).join("\n")}\n3,"red,yes\n4,blue,no\n`,
    expect: { code: 1, message: /^pipe: \S+unterminated-quote\.csv:7:2: a quoted field is never closed/ },
  },
  {
    name: "mixed line endings",
    content: `a,b,y\r\n${rows(20).join("\r\n")}\n${rows(20).join("\r")}\r`,
    expect: { code: 0 },
    check: (out) => expect(report(out).rows_in).toBe(40),
  },
  { name: "UTF-8 BOM", content: `\ufeffa,b,y\n${rows().join("\n")}\n`, expect: { code: 0 }, check: (out) => expect(schema(out).columns[0].name).toBe("a") },
  {
    name: "Latin-1 bytes",
    content: Buffer.from(`a,b,y\n${rows().join("\n").replaceAll("green", "gr\xfcn")}\n`, "latin1"),
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).encoding).toBe("windows-1252");
      expect(readFileSync(join(out, "dataset_processed.csv"), "utf8")).toContain("grün");
    },
  },
  {
    name: "Excel's CSV on Windows (Windows-1252: € and curly quotes in 0x80–0x9F), amounts with a decimal comma",
    content: windows1252(
      `a;b;y;note\n${rows(40, ";")
        .map((r, i) => `${r.replace(/^\d+/, (n) => `${n},5 €`)};“ok” – ${i % 3}`)
        .join("\r\n")}\r\n`,
    ),
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).encoding).toBe("windows-1252");
      expect(report(out).warnings).toContain(
        "amounts with a currency sign and a decimal comma (1.234,50 € as 1234.50; Excel's accounting zero, - €, as 0) read as numbers in: a",
      );
      const processed = readFileSync(join(out, "dataset_processed.csv"), "utf8");
      expect(processed.split("\n")[1]).toMatch(/^0\.5,red,no,“ok” – 0$/u);
    },
  },
  {
    name: "a 1 MB field",
    content: `a,b,note,y\n${rows()
      .map((r, i) => r.replace(/,(yes|no)$/, `,${i === 3 ? "x".repeat(1 << 20) : `n${i}`},$1`))
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => expect(report(out).rows_out).toBe(40),
  },
  {
    name: "duplicate and blank column names",
    content: `a,a,,y\n${rows()
      .map((r) => r.replace(",", ",1,"))
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => {
      // Renamed "a_2" and "column_3"; a_2 holds one value only, so it is dropped as constant.
      expect(schema(out).columns.map((c: { name: string }) => c.name)).toEqual(["a", "column_3", "y"]);
      expect(report(out).dropped_columns).toEqual([{ name: "a_2", reason: "constant (one value)" }]);
      expect(report(out).warnings.slice(0, 2)).toEqual([
        "column 3 has no name in the header (pandas writes its index so): read as column_3",
        "the header names several columns alike: read a (column 2) as a_2 — rename them in the file to choose the names",
      ]);
    },
  },
  {
    name: "target column missing",
    content: `a,b,label\n${rows().join("\n")}\n`,
    expect: { code: 2, message: /^pipe: target column "y" is not in \S+; its columns are: a, b, label\. Pass --target/ },
  },
  {
    name: "a target with one class",
    content: `a,b,y\n${rows()
      .map((r) => r.replace(/yes$/, "no"))
      .join("\n")}\n`,
    expect: { code: 1, message: /target "y" has 1 class \(no\); a binary classifier needs two/ },
  },
  {
    name: "a target with three classes",
    content: `a,b,y\n${rows()
      .map((r, i) => (i % 5 === 0 ? r.replace(/(yes|no)$/, "maybe") : r))
      .join("\n")}\n`,
    expect: {
      code: 1,
      message: /target "y" has 3 classes .*etl\.rules\.y\.recode and \.otherwise, e\.g\. \{"recode": \{"(yes|no)": "(yes|no)"\}, "otherwise": "other"\}/,
    },
  },
  {
    name: "a target spelled in two cases (Yes, yes, No, no)",
    content: twoCaseTarget,
    expect: {
      code: 1,
      message:
        /target "y" has 4 classes \(.*\), two once spelled alike \(upper and lower case, 1 and 1\.0\): .*--set 'etl\.rules\.y=\{"recode":\{"NO":"no","YES":"yes"\}\}'\n$/,
    },
  },
  {
    name: "the target spelled in two cases, with the rule the message gave",
    content: twoCaseTarget,
    args: ["--set", 'etl.rules.y={"recode":{"YES":"yes","NO":"no"}}'],
    expect: { code: 0 },
    check: (out) => expect(report(out).class_counts).toEqual({ no: 20, yes: 20 }),
  },
  {
    name: "a target with three classes and the positive one named",
    content: `a,b,y\n${rows()
      .map((r, i) => (i % 5 === 0 ? r.replace(/(yes|no)$/, "maybe") : r))
      .join("\n")}\n`,
    args: ["--positive", "maybe"],
    expect: {
      code: 1,
      message:
        /e\.g\. \{"recode": \{"maybe": "maybe"\}, "otherwise": "not maybe"\} \("maybe" against all the others\): --set 'etl\.rules\.y=\{"recode": \{"maybe": "maybe"\}, "otherwise": "not maybe"\}'\n$/,
    },
  },
  {
    name: "the same, with the rule the message gave",
    content: `a,b,y\n${rows()
      .map((r, i) => (i % 5 === 0 ? r.replace(/(yes|no)$/, "maybe") : r))
      .join("\n")}\n`,
    args: ["--positive", "maybe", "--set", 'etl.rules.y={"recode": {"maybe": "maybe"}, "otherwise": "not maybe"}'],
    expect: { code: 0 },
    check: (out) => expect(report(out).class_counts).toEqual({ maybe: 8, "not maybe": 32 }),
  },
  {
    name: "an all-empty column",
    content: `a,empty,b,y\n${rows()
      .map((r) => r.replace(",", ",,"))
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => expect(report(out).dropped_columns).toEqual([{ name: "empty", reason: "all values missing" }]),
  },
  {
    name: "a numeric column with one stray word",
    content: `a,b,y\n${rows()
      .map((r, i) => (i === 9 ? r.replace(/^\d+/, "oops") : r))
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => {
      const r = rejectedRows(out);
      expect(r[1]?.slice(0, 4)).toEqual(["11", "type_mismatch", "a", '"oops" is not a number']);
    },
  },
  {
    name: "semicolon delimiter",
    content: `a;b;y\n${rows(40, ";").join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => expect(report(out).delimiter).toBe(";"),
  },
  { name: "tab delimiter", content: `a\tb\ty\n${rows(40, "\t").join("\n")}\n`, expect: { code: 0 }, check: (out) => expect(report(out).delimiter).toBe("\t") },
  {
    name: "comment lines (a notice above the header)",
    content: `# exported by a tool\na,b,y\n${rows().join("\n")}\n`,
    expect: { code: 2, message: /the first line starts with "#": if it is a comment, pass --comment "#"/ },
  },
  {
    name: "comment lines, with --comment",
    content: `# exported by a tool\na,b,y\n${rows()
      .map((r, i) => (i === 9 ? `# a note\n${r.replace(/^\d+/, "oops")}` : r))
      .join("\n")}\n`,
    args: ["--comment", "#"],
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).rows_in).toBe(40);
      // The stray word's line as the file numbers it: the comment lines still count.
      expect(rejectedRows(out)[1]?.slice(0, 2)).toEqual(["13", "type_mismatch"]);
    },
  },
  {
    name: "Excel's sep= line above the header",
    content: `sep=;\r\na;b;y\r\n${rows(40, ";").join("\r\n")}\r\n`,
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).delimiter).toBe(";");
      expect(report(out).rows_in).toBe(40);
    },
  },
  {
    name: "years as column names (a header of numbers, told by the target's name in it)",
    content: `id,2019,2020,y\n${rows()
      .map((r, i) => `${i},${r.replace(/red|green|blue/, (m) => String(m.length))}`.replace(/,(yes|no)$/, ",$1"))
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).has_header).toBe(true);
      expect(report(out).rows_out).toBe(40);
      expect(schema(out).columns.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(["2019", "2020", "y"]));
      // pipe predict tells such a header by the model's columns in it.
      expect(pipe(["train", "--out", out, "--trees", "5", "--quiet"], tmp.dir).code).toBe(0);
      const scoring = join(out, "to-score.csv");
      writeFileSync(scoring, "id,2019,2020\n1,3,5\n2,4,4\n3,5,3\n");
      const scored = pipe(["predict", "--model", join(out, "model.json"), "--input", scoring, "--output", join(out, "scored.csv"), "--quiet"], tmp.dir);
      expect(scored.stderr).toBe("");
      expect(readFileSync(join(out, "scored.csv"), "utf8").split("\n")[0]).toBe("id,2019,2020,probability,prediction,label,warnings,error");
    },
  },
  {
    name: "lines of spaces between rows and at the end (read as blank lines, as pandas does)",
    content: `a,b,y\n${rows(20).join("\n")}\n   \n${rows(20).join("\n")}\n\t \n`,
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).rows_in).toBe(40);
      expect(rejectedRows(out)).toHaveLength(1);
    },
  },
  {
    name: "dates written day first (German) and month first (American Excel), read as ISO dates",
    content: `a,b,y,de,us\n${rows()
      .map((r, i) => `${r},${13 + (i % 10)}.0${1 + (i % 9)}.2024,${1 + (i % 9)}/${13 + (i % 10)}/2024`)
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => {
      const types = Object.fromEntries(schema(out).columns.map((c: { name: string; type: string }) => [c.name, c.type]));
      expect(types).toMatchObject({ de: "date", us: "date" });
      expect(report(out).warnings).toContain("dates written day first (31.12.2024 or 31/12/2024 as 2024-12-31) read as dates in: de");
      expect(readFileSync(join(out, "dataset_processed.csv"), "utf8").split("\n")[1]).toMatch(/,2024-01-13,2024-01-13$/u);
    },
  },
  {
    name: "Excel's #N/A and pandas' <NA> in a column of numbers (pandas' default missing values)",
    content: `a,b,y\n${rows()
      .map((r, i) => (i % 10 === 3 ? r.replace(/^\d+/, i % 20 === 3 ? "#N/A" : "<NA>") : r))
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).rows_out).toBe(40);
      const a = schema(out).columns.find((c: { name: string }) => c.name === "a");
      expect(a.type).toBe("integer");
      expect(a.missing).toBe(4);
    },
  },
  {
    name: "the column names on line 2, under a line of counts (as scikit-learn's data files have them)",
    content: `40,3,,\na,b,y\n${rows().join("\n")}\n`,
    expect: {
      code: 2,
      message:
        /target column "y" is not in .*; its columns are: column_1, column_2, column_3, column_4 \(line 2 names the columns: pass --skip-lines 1 to skip the line above it, which is not the header\)/,
    },
  },
  {
    name: "a line of counts and class names above rows without names (scikit-learn's breast_cancer.csv)",
    content: sklearnStyle,
    target: "column_7",
    expect: {
      code: 2,
      message:
        /its columns are: 40, 6, malignant, benign \(the first line has 4 fields and the lines below it 7: if that line is not the header, pass --skip-lines 1, with --no-header when no line names the columns\)/,
    },
  },
  {
    name: "the same, the first line read as a row (its words not told from a header)",
    content: `40,2,no,yes\n${rows().join("\n")}\n`,
    target: "column_3",
    expect: {
      code: 1,
      message:
        /40 of the 41 rows of .* do not have the 4 fields of its first line \(the first of them has 3\): if that line is not the header, pass --skip-lines 1 \(with --no-header when no line names the columns\); if the fields are split wrongly, pass --delimiter/,
    },
  },
  {
    name: "the same with --skip-lines 1 --no-header",
    content: sklearnStyle,
    target: "column_7",
    args: ["--skip-lines", "1", "--no-header"],
    expect: { code: 0 },
    check: (out) => expect(report(out).rows_in).toBe(40),
  },
  {
    name: "the line of counts above the names, with --skip-lines",
    content: `40,3,,\na,b,y\n${rows().join("\n")}\n`,
    args: ["--skip-lines", "1"],
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).rows_in).toBe(40);
      expect(schema(out).columns.map((c: { name: string }) => c.name)).toEqual(["a", "b", "y"]);
    },
  },
  {
    name: "an Excel accounting column: zeros written as dashes, negatives in parentheses",
    content: `a,b,y\n${rows()
      .map((r, i) => r.replace(/^\d+/, i % 6 === 0 ? '"$ -   "' : i % 6 === 1 ? `"($${i}.50)"` : `"$${i},250.00"`))
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).rows_out).toBe(40);
      expect(schema(out).columns.find((c: { name: string }) => c.name === "a").type).toBe("float");
      expect(report(out).warnings).toContain(
        "negative amounts in parentheses ((1,234.50) as -1234.50; Excel's accounting zero, -, as 0) read as numbers in: a",
      );
      const first = readFileSync(join(out, "dataset_processed.csv"), "utf8").split("\n").slice(1, 4);
      expect(first.map((l) => l.split(",")[0])).toEqual(["0", "-1.50", "2250.00"]);
    },
  },
  {
    name: "amounts grouped by thousands only past the sample (a file sorted by amount), without --thousands",
    content: sortedAmounts,
    expect: { code: 0 },
    check: (out) => {
      // The limit --thousands is for: the sample showed plain numbers only, the later grouped ones make the column text; its reason says so.
      expect(report(out).dropped_columns).toContainEqual({
        name: "amount",
        reason:
          'free text (over 1000 distinct values): numbers but for 10 such as "1,000.50" (line 70002), their thousands grouped; --thousands , reads them all as numbers',
      });
    },
  },
  {
    name: "the same with --thousands ,",
    content: sortedAmounts,
    args: ["--thousands", ","],
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).rows_rejected).toBe(0);
      expect(schema(out).columns.find((c: { name: string }) => c.name === "amount").type).toBe("float");
      const last = readFileSync(join(out, "dataset_processed.csv"), "utf8").trimEnd().split("\n").at(-1) as string;
      expect(last).toBe("1009.50,yes");
    },
  },
  {
    name: "a numeric target of many values (a quantity to regress: a price)",
    content: priced,
    target: "price",
    expect: {
      code: 1,
      message:
        /make two classes of this one with etl\.rules\.price\.discretize, e\.g\. cut at its median, the upper half positive: --set 'etl\.rules\.price=\{"discretize": \{"method": "quantile", "bins": 2\}\}'/,
    },
  },
  {
    name: "the same target cut at its median with the advised rule",
    content: priced,
    target: "price",
    args: ["--set", 'etl.rules.price={"discretize": {"method": "quantile", "bins": 2}}'],
    expect: { code: 0 },
    check: (out) => {
      const rep = report(out);
      const bins = Object.keys(rep.class_counts).sort();
      expect(bins).toHaveLength(2);
      expect(rep.positive_class).toMatch(/^\(/u);
      expect(bins.reduce((n: number, b: string) => n + rep.class_counts[b], 0)).toBe(40);
    },
  },
  {
    name: "the same target cut at a given price",
    content: priced,
    target: "price",
    args: ["--set", 'etl.rules.price={"discretize": {"method": "cuts", "cuts": [200]}}'],
    expect: { code: 0 },
    check: (out) => {
      const rep = report(out);
      expect(rep.positive_class).toBe("(200, 250]");
      expect(Object.keys(rep.class_counts).sort()).toEqual(["(200, 250]", "[100, 200]"]);
      // The rows above 200 are the positive class, as the file holds them.
      const prices = priced
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => Number(l.split(",")[2]));
      expect(rep.class_counts["(200, 250]"]).toBe(prices.filter((p) => p > 200).length);
      expect(rep.discretised).toEqual([{ name: "price", method: "cuts", edges: [100, 200, 250] }]);
    },
  },
  {
    name: "a title block above the header (an export's name, date and a blank line), with --skip-lines",
    content: `Customer export, all regions\r\nGenerated 2024-05-01 by "CRM"\r\n\r\na,b,y\r\n${rows()
      .map((r, i) => (i === 9 ? r.replace(/^\d+/, "oops") : r))
      .join("\r\n")}\r\n`,
    args: ["--skip-lines", "3"],
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).rows_in).toBe(40);
      expect(report(out).has_header).toBe(true);
      // The stray word's line as the file numbers it: the skipped lines still count.
      expect(rejectedRows(out)[1]?.slice(0, 2)).toEqual(["14", "type_mismatch"]);
    },
  },
  {
    name: "a title block above the header, without --skip-lines",
    content: `Customer export, all regions\nGenerated 2024-05-01\n\na,b,y\n${rows().join("\n")}\n`,
    expect: { code: 2, message: /line 4 names the columns: pass --skip-lines 3 to skip the 3 lines above it/ },
  },
  {
    name: "--skip-lines past the end of the file",
    content: `a,b,y\n${rows(3).join("\n")}\n`,
    args: ["--skip-lines", "10"],
    expect: { code: 1, message: /the file holds nothing after the 10 line\(s\) skipped at its start/ },
  },
  {
    name: "infinite values in a column of numbers (numpy's and pandas' inf)",
    content: `a,b,y\n${rows()
      .map((r, i) => (i % 10 === 3 ? r.replace(/^\d+/, i % 20 === 3 ? "inf" : "-inf") : r))
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).warnings).toContain("infinite values (inf, -inf, Infinity) read as missing in: a");
      expect(report(out).rows_out).toBe(40);
      expect(schema(out).columns.find((c: { name: string }) => c.name === "a").type).toMatch(/integer|float/);
    },
  },
  {
    name: "columns aligned with runs of spaces",
    content: `  a    b   y\n${rows(40, "  ")
      .map((r) => `   ${r}\t`)
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).delimiter).toBe("whitespace");
      expect(report(out).rows_out).toBe(40);
    },
  },
  {
    name: "trailing delimiters",
    content: `a,b,y,\n${rows()
      .map((r) => `${r},`)
      .join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => expect(report(out).dropped_columns).toEqual([{ name: "column_4", reason: "all values missing" }]),
  },
  {
    name: "2,000 columns",
    content: `${Array.from({ length: 1999 }, (_, j) => `f${j}`).join(",")},y\n${Array.from({ length: 60 }, (_, i) => `${Array.from({ length: 1999 }, (_, j) => String(((i + 1) * (j + 2) + i * i) % 11)).join(",")},${i % 2}`).join("\n")}\n`,
    expect: { code: 0 },
    check: (out) => expect(schema(out).columns.filter((c: { role: string }) => c.role === "feature").length).toBe(1999),
  },
  {
    name: "the header row again (two exports joined)",
    content: `a,b,y\n${rows(20).join("\n")}\na,b,y\n${rows(20).join("\n")}\n`,
    args: ["--set", 'etl.duplicates="keep"'],
    expect: { code: 0 },
    check: (out) => {
      expect(report(out).rejected_by_rule).toEqual({ repeated_header: 1 });
      expect(rejectedRows(out)[1]?.slice(0, 2)).toEqual(["22", "repeated_header"]);
      expect(Object.keys(report(out).class_counts).sort()).toEqual(["no", "yes"]);
    },
  },
  {
    name: "a date rule on a column read as category",
    content: `signed,y\n${Array.from({ length: 30 }, (_, i) => `2026-0${1 + (i % 9)}-1${i % 9},${i % 2 ? "yes" : "no"}`).join("\n")}\n2O26-01-01,yes\n`,
    args: ["--set", "etl.rules.signed.maxDate=2026-12-31"],
    expect: {
      code: 2,
      message:
        /^pipe: etl\.rules\.signed\.maxDate needs a date column, but \S+ gives "signed" the type category; line 32 holds "2O26-01-01", which is not a date\. Set etl\.rules\.signed\.type to "date"/,
    },
  },
];

const summary = { cases: 0, errors: 0, finished: 0 };
afterAll(() => {
  console.log(
    `compass: broken-CSV corpus: ${summary.cases} cases, ${summary.finished} finished runs with every row accounted for, ${summary.errors} one-line errors`,
  );
});

describe.each(cases)("$name", (c) => {
  const file = join(
    tmp.dir,
    `${c.name
      .replace(/[^a-z0-9]+/gi, "-")
      .replace(/^-|-$/g, "")
      .toLowerCase()}.csv`,
  );
  writeFileSync(file, c.content);
  const out = join(tmp.dir, `out-${file.split("/").pop()}`);
  const stage = c.expect.code === 0 ? ["etl"] : ["run"];
  const r = pipe([...stage, "--input", file, "--target", c.target ?? "y", "--out", out, "--quiet", ...(c.args ?? [])], tmp.dir);

  it(c.expect.code === 0 ? "finishes and accounts for every row" : "fails with one line, the right exit code and no outputs", () => {
    summary.cases++;
    expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
    expect(r.code).toBe(c.expect.code);
    if (c.expect.code === 0) {
      summary.finished++;
      const rep = report(out);
      expect(rep.rows_in).toBe(rep.rows_out + rep.rows_rejected);
      c.check?.(out);
    } else {
      summary.errors++;
      expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toMatch((c.expect as { message: RegExp }).message);
      expect(existsSync(out) ? readdirSync(out).filter((f) => !f.startsWith(".")) : []).toEqual([]);
    }
  });
});
