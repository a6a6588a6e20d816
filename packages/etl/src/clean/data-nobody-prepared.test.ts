import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { survey } from "../../../../test-support/generate.mjs";
import { ADULT_COLUMNS, DATASETS, tempDir } from "../../../../test-support/index.js";
import { openCsv } from "../csv/open.js";
import { ConfigMismatchError } from "../errors.js";
import { openSource } from "../extract/source.js";
import type { EtlOptions } from "../options.js";
import { runEtl } from "../run-etl.js";
import { observedPairsByReading } from "../schema/duplicates.js";
import { etlRunner } from "./etl-runner.test-util.js";

// Data as users bring it: natural duplicates, files joined end to end, a corrupt value that changes
// a column's type under a rule that needs the type.
const tmp = tempDir("pipe-etl-data-");
afterAll(tmp.cleanup);
const etl = etlRunner(tmp.dir);
function inline(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

describe("duplicates: auto drops copies and keeps answers that happen to agree", () => {
  const surveyCsv = inline("survey.csv", survey());

  it("keeps the identical rows of a survey (different people, same answers), and says why", async () => {
    for (const inMemoryCells of [undefined, 0]) {
      const r = await etl(surveyCsv, { target: "satisfied", ...(inMemoryCells === 0 ? { inMemoryCells } : {}) });
      const d = r.report.duplicates;
      expect(d).toMatchObject({ policy: "auto", drop: false });
      expect(d.repeated_rows).toBeGreaterThan(1000);
      expect(d.expected_pairs).toBeGreaterThan(100);
      expect(d.observed_pairs).toBeLessThan(20 * d.expected_pairs);
      expect(d.reason).toMatch(/plausible by chance.*kept as separate observations/);
      expect(r.report.rejected_by_rule.duplicate_row).toBeUndefined();
      expect(r.report.rows_out).toBe(6366);
    }
  });

  it("counts the same identical pairs from the stored rows, on the way once the store gives up, and by reading again", async () => {
    const lines = survey(3000, 11).trimEnd().split("\n");
    // Repeated lines early (counted by the store, then handed over when it gives up mid-file).
    const input = inline("pairs.csv", `${[lines[0], ...lines.slice(1, 200), ...lines.slice(1, 200), ...lines.slice(1)].join("\n")}\n`);
    const counts: (number | null)[] = [];
    for (const inMemoryCells of [undefined, 6000, 0]) {
      const r = await etl(input, { target: "satisfied", ...(inMemoryCells !== undefined ? { inMemoryCells } : {}) });
      counts.push(r.report.duplicates.observed_pairs);
      expect(r.report.second_pass).toBe(inMemoryCells === undefined ? "replayed from memory" : "source read again");
    }
    const csv = await openCsv(openSource(input), {});
    await csv.close();
    const byReading = await observedPairsByReading(
      openSource(input),
      { delimiter: ",", hasHeader: true, columns: csv.columns, headerFields: csv.headerFields, encoding: "utf-8", reading: {} },
      4000,
    );
    expect(byReading).toBeGreaterThan(199);
    expect(counts).toEqual([byReading, byReading, byReading]);
  });

  it("drops Adult's 24 repeats: a continuous column makes a repeat a copy", async () => {
    const r = await etl(DATASETS.adult, { target: "income", columns: ADULT_COLUMNS });
    expect(r.report.duplicates).toMatchObject({ policy: "auto", drop: true, repeated_rows: 24 });
    expect(r.report.duplicates.expected_pairs).toBeLessThan(1);
    expect(r.report.duplicates.reason).toMatch(/implausible by chance.*fnlwgt alone has over 1,000 distinct values/);
    expect(r.report.rejected_by_rule).toEqual({ duplicate_row: 24 });
  });

  it("drops repeats far beyond what chance and correlated answers explain (a block of copied rows)", async () => {
    const lines = survey(400, 7).trimEnd().split("\n");
    const copies = Array.from({ length: 300 }, () => lines[5] as string);
    const r = await etl(inline("copied.csv", `${[...lines, ...copies].join("\n")}\n`), { target: "satisfied" });
    expect(r.report.duplicates.drop).toBe(true);
    expect(r.report.duplicates.reason).toMatch(/over 20× the .* predict by chance: the repeats look like copied records/);
  });

  it('"drop" and "keep" are obeyed, and dropDuplicates still works as their alias', async () => {
    for (const [options, drop] of [
      [{ duplicates: "drop" }, true],
      [{ duplicates: "keep" }, false],
      [{ dropDuplicates: true }, true],
      [{ dropDuplicates: false }, false],
      [{ dropDuplicates: true, duplicates: "keep" }, false],
    ] as const) {
      const r = await etl(surveyCsv, { target: "satisfied", ...options });
      expect(r.report.duplicates.drop, JSON.stringify(options)).toBe(drop);
      expect(r.report.rows_out + r.report.rows_rejected).toBe(6366);
      expect(r.report.rows_out).toBe(drop ? 6366 - r.report.duplicates.repeated_rows : 6366);
    }
  });
});

describe("repeated header rows", () => {
  it("are rejected as repeated_header, in rejected.csv with their line, and never reach the target as a class", async () => {
    const part = (k: number) => Array.from({ length: 40 }, (_, i) => `${k * 100 + i},${(i * 7) % 13}.5,${i % 2 ? "yes" : "no"}`);
    const text = ["id_,x,y", ...part(1), "id_,x,y", ...part(2), "id_,x,y", ...part(3)].join("\n");
    const input = inline("joined.csv", `${text}\n`);
    for (const inMemoryCells of [undefined, 0]) {
      const r = await etl(input, { target: "y", ...(inMemoryCells === 0 ? { inMemoryCells } : {}) });
      expect(r.report.rejected_by_rule).toEqual({ repeated_header: 2 });
      expect(r.report.class_counts).toEqual({ no: 60, yes: 60 });
      expect(r.rejected.slice(1).map((row) => row.slice(0, 4))).toEqual([
        ["42", "repeated_header", "", "the header row again (files joined end to end?)"],
        ["83", "repeated_header", "", "the header row again (files joined end to end?)"],
      ]);
      expect(r.schema.columns.find((c) => c.name === "x")?.type).toBe("float");
    }
  });
});

describe("a rule that needs a type, on a column read as another", () => {
  const rows = Array.from({ length: 60 }, (_, i) => `2026-0${1 + (i % 9)}-1${i % 9},${i % 2}`);
  rows[30] = "2O26-03-01,1"; // a letter O: the column is no longer all dates

  it("stops before any row is written, naming the rule, the column, the value and its line, and the fix", async () => {
    const input = inline("dates.csv", `signed,y\n${rows.join("\n")}\n`);
    const options: EtlOptions = { target: "y", rules: { signed: { maxDate: "2026-12-31" } } };
    const outputs = { processed: join(tmp.dir, "never.csv"), rejected: join(tmp.dir, "never-rejected.csv") };
    const run = runEtl(openSource(input), options, outputs);
    await expect(run).rejects.toThrow(ConfigMismatchError);
    await expect(runEtl(openSource(input), options, outputs)).rejects.toThrow(
      /etl\.rules\.signed\.maxDate needs a date column, but .*dates\.csv gives "signed" the type category; line 32 holds "2O26-03-01", which is not a date\. Set etl\.rules\.signed\.type to "date"/,
    );
    expect(existsSync(outputs.processed)).toBe(false);
    expect(existsSync(outputs.rejected)).toBe(false);
  });

  it("with type: date, the stray value is rejected as type_mismatch and the range rule applies", async () => {
    const late = [...rows, "2031-01-01,0"];
    const input = inline("dates-typed.csv", `signed,y\n${late.join("\n")}\n`);
    const r = await etl(input, { target: "y", rules: { signed: { type: "date", maxDate: "2026-12-31" } } });
    expect(r.report.rejected_by_rule).toEqual({ type_mismatch: 1, date_out_of_range: 1 });
  });

  it.each([
    ["min", { min: 0 }],
    ["max", { max: 10 }],
    ["zeroMeansMissing", { zeroMeansMissing: true }],
  ])("%s on a number column with a stray word says which line holds it", async (rule, rules) => {
    const values = Array.from({ length: 50 }, (_, i) => `${i % 10},${i % 2}`);
    values[7] = "seven,1";
    values[8] = "eight,0";
    values[9] = "nine,1";
    values[10] = "ten,0";
    const input = inline(`numbers-${rule}.csv`, `count,y\n${values.join("\n")}\n`);
    await expect(etl(input, { target: "y", rules: { count: rules } })).rejects.toThrow(
      new RegExp(`etl\\.rules\\.count\\.${rule} needs a numeric column, but .* gives "count" the type category; line 9 holds "seven", which is not a number`),
    );
  });
});

// House Prices (Kaggle, De Cock's Ames data) writes "NA" for no alley, no pool, no fence: a default missing
// token, so those columns read as mostly empty and were dropped without a word on the word.
describe("a column emptied by a missing token that may be a value", () => {
  const lines = ["Id,LotArea,Alley,Street,PoolQC,Expensive"];
  for (let i = 0; i < 500; i++) {
    const alley = i % 10 === 0 ? (i % 20 === 0 ? "Grvl" : "Pave") : i === 7 ? "" : "NA";
    lines.push([i + 1, 5000 + ((i * 37) % 9000), alley, i % 3 ? "Pave" : "Grvl", i % 50 === 0 ? "Gd" : "NA", (i * 37) % 9000 > 4500 ? "yes" : "no"].join(","));
  }
  const houses = inline("houses.csv", `${lines.join("\n")}\n`);

  it("is dropped with a reason and a warning naming the word and the fill that keeps it — which works, replayed or read again", async () => {
    for (const inMemoryCells of [undefined, 0]) {
      const r = await etl(houses, { target: "Expensive", ...(inMemoryCells === 0 ? { inMemoryCells } : {}) });
      const alley = r.report.dropped_columns.find((c) => c.name === "Alley");
      expect(alley?.reason).toBe(
        `mostly empty (90.0% missing): 449 of its cells are "NA", a missing token — if "NA" is a value here (none, not applicable), keep it as a category with --set 'etl.rules.Alley={"fill":"NA"}' (its blank cell takes it too)`,
      );
      expect(r.report.warnings).toEqual([
        `Alley is dropped as ${alley?.reason}`,
        expect.stringMatching(/^PoolQC is dropped as mostly empty \(98\.0% missing\): 490 of its cells are "NA",.*"fill":"NA"}'$/),
      ]);
    }
    const kept = await etl(houses, { target: "Expensive", rules: { Alley: { fill: "NA" }, PoolQC: { fill: "NA" } } });
    expect(kept.report.dropped_columns.map((c) => c.name)).toEqual(["Id"]);
    expect(kept.report.warnings).toEqual([]);
    expect(kept.schema.columns.find((c) => c.name === "Alley")?.categories?.map((c) => c.value)).toEqual(["NA", "Grvl", "Pave"]);
  });

  it("a column of blanks is dropped as before, without the note", async () => {
    const r = await etl(inline("blanks.csv", `a,b,y\n${Array.from({ length: 40 }, (_, i) => `${i % 5 === 0 ? "x" : ""},${i},${i % 2}`).join("\n")}\n`), {
      target: "y",
    });
    expect(r.report.dropped_columns.find((c) => c.name === "a")?.reason).toBe("mostly empty (80.0% missing)");
    expect(r.report.warnings).toEqual([]);
  });
});
