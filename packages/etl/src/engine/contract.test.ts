import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goldenCases } from "../../../../test-support/fixtures/etl-golden-cases.mjs";
import { tempDir } from "../../../../test-support/index.js";
import { parseCsv } from "../csv/parser.js";
import { openSource } from "../extract/source.js";
import type { EtlOptions } from "../options.js";
import { runEtl } from "../run-etl.js";
import { runCsvEtlInEngine } from "./csv-in-engine.js";
import type { Engine } from "./engine.js";
import { ENGINES } from "./engines.test-util.js";

// One contract, every back end: the same ETL runs natively and in each engine must keep the same
// rows, reject the same ones for the same reasons, and give the same schema and report.
const tmp = tempDir("pipe-engine-contract-");
afterAll(tmp.cleanup);

/**
 * A file that meets every rule and every odd row: dates (the ISO and V8 legacy forms, impossible ones,
 * a range, an order across columns), required and allowed values, case, recode with otherwise, zero
 * as missing, integers that are fractions, white space beyond spaces, bins by width with index labels
 * and by quantile, rows with the wrong number of fields, the header again, and repeats.
 */
function everyRule(): { input: string; options: EtlOptions }[] {
  const rows = ["id_code,start,end,amount,count,grade,city,note,label"];
  const starts = [
    "2020-01-05",
    "2020-02-30",
    "2020-01-15T10:00Z",
    "2020-01-15 10:00+0530",
    "2019-12-31T24:00",
    "2020-13-01",
    "2021-06-01",
    "",
    "2020-03-01T10:00:00.1234",
  ];
  const cities = [" paris", "Lyon\u00a0", "\u3000nice", "PARIS", "lyon", "Marseille", "N/A", "?", "lille"];
  for (let i = 0; i < 240; i++) {
    const start = starts[i % starts.length] as string;
    const end = i % 7 === 0 ? "2020-01-01" : "2020-12-31";
    const amount = i % 11 === 0 ? "0" : i % 13 === 0 ? "abc" : String((i * 7.25) % 500);
    const count = i % 17 === 0 ? "3.5" : i % 19 === 0 ? "" : String(i % 40);
    const grade = ["A", "b", "C", "d", "E"][i % 5] as string;
    const city = JSON.parse(`"${cities[i % cities.length]}"`) as string;
    const note = i % 23 === 0 ? '"has, comma"' : `n${i % 3}`;
    const label = i % 29 === 0 ? "" : i % 3 === 0 ? "yes" : "no";
    rows.push([`C${i}`, start, end, amount, count, grade, city, note, label].join(","));
    // The same row but for a city the rules clean to the same value: a repeat once cleaned, not as written.
    if (i % 37 === 0) rows.push([`C${i}`, start, end, amount, count, grade, " Marseille ", note, label].join(","));
    if (i === 50) rows.push("short,row");
    if (i === 90) rows.push(rows[0] as string);
    if (i % 31 === 0) rows.push(rows[rows.length - 1] as string);
  }
  const input = join(tmp.dir, "every-rule.csv");
  writeFileSync(input, `${rows.join("\n")}\n`);
  // Under a line of counts read as the header: most rows have another field count, the same refusal everywhere.
  const counted = join(tmp.dir, "every-rule-counted.csv");
  writeFileSync(counted, `240,9\n${rows.slice(1).join("\n")}\n`);
  // Amounts grouped by thousands only in the last rows (past where the form is looked for: the first read).
  const sorted = join(tmp.dir, "sorted-amounts.csv");
  writeFileSync(
    sorted,
    `id,amount,label\n${Array.from({ length: 70010 }, (_, i) => `${i},${i < 70000 ? (i % 999) + 0.5 : `"1,${String(i - 70000).padStart(3, "0")}.50"`},${i % 3 ? "no" : "yes"}`).join("\n")}\n`,
  );
  // The same under a title block (skipped with skipLines: every line number two further on).
  const titled = join(tmp.dir, "every-rule-titled.csv");
  writeFileSync(titled, `Export of 2024-05-01, all cities\r\n\r\n${rows.join("\n")}\n`);
  const rules: EtlOptions["rules"] = {
    start: { type: "date", minDate: "2020-01-01", maxDate: "2021-01-01" },
    end: { type: "date" },
    amount: { type: "float", zeroMeansMissing: true, discretize: { method: "quantile", bins: 4 } },
    count: { type: "integer", required: true, max: 35, discretize: { method: "width", bins: 3, labels: "index" } },
    grade: { case: "upper", allowed: ["A", "B", "C", "D"] },
    city: { case: "lower", recode: { paris: "Paris", lyon: "Lyon", nice: "nice" }, otherwise: "elsewhere" },
  };
  // A header as pandas writes it with its index (a blank first name), and a name written twice: the same renaming and warnings.
  const unnamed = join(tmp.dir, "unnamed-columns.csv");
  writeFileSync(unnamed, `,score,score,label\n${Array.from({ length: 60 }, (_, i) => `${i},${i % 7},${i % 5},${i % 3 ? "no" : "yes"}`).join("\n")}\n`);
  const dateOrder: EtlOptions["dateOrder"] = [{ before: "start", after: "end" }];
  return [
    { input, options: { target: "label", rules, dateOrder, duplicates: "drop" } },
    { input: titled, options: { target: "label", rules, dateOrder, duplicates: "drop", skipLines: 2 } },
    { input: counted, options: { target: "column_2", header: true } },
    { input: counted, options: { target: "9", header: true } },
    { input: sorted, options: { target: "label" } },
    { input: unnamed, options: { target: "label" } },
    { input, options: { target: "label", rules, dateOrder, duplicates: "keep", onTypeMismatch: "missing" } },
    { input, options: { target: "label", duplicates: "auto", dropIdentifiers: false } },
    // Missing cells filled: blanks, tokens and zeros read as missing, in features and in the target.
    {
      input,
      options: {
        target: "label",
        rules: { city: { fill: "unknown" }, count: { fill: "0" }, amount: { zeroMeansMissing: true, fill: "-1" }, label: { fill: "no" } },
      },
    },
    // A target that missing tokens ("N/A", "?") empty in some rows: the same warning (two classes) ...
    { input, options: { target: "city", rules: { city: { case: "lower", recode: { paris: "Paris" }, otherwise: "elsewhere" } } } },
    // ... and the same note in the refusal of its many classes.
    { input, options: { target: "city" } },
    // Columns dropped as mostly empty: by blanks (start), and by missing tokens (city's "N/A" and "?"), which
    // the reason and a warning name with the fill that keeps the word as a value.
    { input, options: { target: "label", maxMissingShare: 0.1 } },
    // A rule on a column of another type stops both before any row is written, with the same message.
    { input, options: { target: "label", rules: { amount: { min: 1 } } } },
    // A numeric target cut in two (its bins are the classes; a word in it read as missing rejects the row).
    { input, options: { target: "amount", rules: { amount: { type: "float", discretize: { method: "quantile", bins: 2 } } }, onTypeMismatch: "missing" } },
    // ... at a given number (the upper bin positive) ...
    { input, options: { target: "count", rules: { count: { discretize: { method: "cuts", cuts: [20] } } } } },
    // ... at its least value (the zeros against the rest) ...
    { input, options: { target: "count", rules: { count: { discretize: { method: "cuts", cuts: [0] } } } } },
    // ... and in three, which a binary classifier cannot take: the same message.
    { input, options: { target: "count", rules: { count: { discretize: { method: "width", bins: 3 } } } } },
  ];
}

describe.each(ENGINES)("$name", ({ name, open }) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await open();
  });
  afterAll(async () => engine?.close());

  it.each([...goldenCases, ...everyRule().map((c, k) => ({ ...c, name: `every rule ${k + 1}` }))])("$name: the same outcome as the native ETL", async (c) => {
    const base = join(tmp.dir, `${name}-${c.name.replace(/\W+/g, "_")}`);
    const native = { processed: `${base}.native.csv`, rejected: `${base}.native.rej.csv` };
    const pushed = { processed: `${base}.engine.csv`, rejected: `${base}.engine.rej.csv` };
    const a = await runEtl(openSource(c.input), c.options, native).catch((error: Error) => error);
    const b = await runCsvEtlInEngine(engine, openSource(c.input), c.options, pushed).catch((error: Error) => error);
    if (a instanceof Error || b instanceof Error) {
      expect(String(b)).toEqual(String(a));
      return;
    }
    const rows = (path: string) => parseCsv(readFileSync(path, "utf8"), { delimiter: "," }).map((r) => r.fields);
    expect(rows(pushed.processed)).toEqual(rows(native.processed));
    expect(rows(pushed.rejected)).toEqual(rows(native.rejected));
    // The very bytes, too: every field quoted as the native writers quote it (a rejected row's raw cells as they came).
    expect(readFileSync(pushed.processed, "utf8")).toEqual(readFileSync(native.processed, "utf8"));
    expect(readFileSync(pushed.rejected, "utf8")).toEqual(readFileSync(native.rejected, "utf8"));
    expect(b.schema).toEqual(a.schema);
    const { second_pass: _, ...reportA } = a.report;
    const { second_pass: __, ...reportB } = b.report;
    expect(reportB).toEqual(reportA);
  });
});
