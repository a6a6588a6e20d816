// Rows replayed from memory although a column has more distinct values than its dictionary holds: the
// cells it could not take are kept in the row store as bytes (ESCAPED). Whatever the policy, the outputs
// must be those of reading the file a second time.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom, tempDir } from "../../../../test-support/index.js";
import type { EtlOptions } from "../options.js";
import { etlRunner, expectReplayAsReread } from "./etl-runner.test-util.js";

const tmp = tempDir("pipe-escaped-");
afterAll(tmp.cleanup);
const etl = etlRunner(tmp.dir);

/**
 * 72,000 rows: `amount` and `note` have more distinct values than a dictionary takes (65,535 values,
 * 4 MB), so their later cells are kept as bytes. Every 9th line repeats the line before it exactly (a
 * repeat of a stored record with such cells); every 13th row repeats an earlier row's values written
 * differently (padded, quoted: a duplicate only once cleaned); `score` is a number with a few words in
 * it (type mismatches); some notes hold quotes, commas and line breaks; one late note is 1.2 MB.
 */
function writeFile(): string {
  const next = seededRandom(7);
  const lines = ["id,amount,note,score,group,y"];
  const rows: string[][] = [];
  for (let i = 0; i < 72_000; i++) {
    if (i % 9 === 8) {
      lines.push(lines[lines.length - 1] as string);
      continue;
    }
    let row: string[];
    if (i % 13 === 12 && rows.length > 100) {
      const earlier = rows[Math.floor(next() * rows.length)] as string[];
      row = earlier.map((v, j) => (j === 1 ? ` ${v} ` : j === 4 ? `"${v}"` : v));
    } else {
      const amount = (next() * 1e6).toFixed(2);
      let note = `note ${i} ${"x".repeat(40 + Math.floor(next() * 80))}`;
      if (i % 17 === 0)
        note = `"said ""hi"", then
left ${i}"`;
      if (i === 70_001) note = "y".repeat(1_200_000);
      const score = i % 5003 === 0 ? "unknown" : String(Math.floor(next() * 1000));
      row = [String(100_000 + i), amount, note, score, `g${i % 7}`, next() < 0.3 ? "yes" : "no"];
      rows.push(row);
    }
    lines.push(row.join(","));
  }
  const path = join(tmp.dir, "escaped.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("cells past a full dictionary, kept as bytes in the row store", () => {
  const input = writeFile();
  const rules = { score: { type: "float" } } as const;

  it.each([
    ["duplicates dropped", { target: "y", duplicates: "drop", rules }],
    ["duplicates kept", { target: "y", duplicates: "keep", rules }],
    ["duplicates decided by the data", { target: "y", rules }],
    ["mismatches read as missing", { target: "y", duplicates: "drop", onTypeMismatch: "missing", rules }],
  ] as const)("%s: replaying the rows writes what reading the file again writes", async (_, options: EtlOptions) => {
    const replayed = await expectReplayAsReread(etl, input, options);
    // The file has what the test is about: repeated lines, duplicates once cleaned, mismatches.
    expect(replayed.report.duplicates.repeated_rows).toBeGreaterThan(8_000);
    if (options.onTypeMismatch !== "missing") expect(replayed.report.rejected_by_rule.type_mismatch).toBeGreaterThan(10);
  });

  it("counts identical pairs from the stored rows, the cells kept as bytes included", async () => {
    // One column past its dictionary, the others few-valued: chance predicts pairs, so they are counted.
    const next = seededRandom(11);
    const lines = ["amount,group,flag,y"];
    for (let i = 0; i < 80_000; i++) {
      if (i % 9 === 8) lines.push(lines[lines.length - 1] as string);
      else lines.push(`${i * 7 + Math.floor(next() * 7)},g${i % 7},${next() < 0.5 ? "a" : "b"},${next() < 0.3 ? "yes" : "no"}`);
    }
    const path = join(tmp.dir, "pairs.csv");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const replayed = await etl(path, { target: "y" });
    const reread = await etl(path, { target: "y", inMemoryCells: 0 });
    expect(replayed.report.second_pass).toBe("replayed from memory");
    expect(replayed.report.duplicates.observed_pairs).toBeGreaterThan(7_000);
    expect(replayed.report.duplicates).toEqual(reread.report.duplicates);
    expect(replayed.processedText).toBe(reread.processedText);
  });

  it("gives up keeping rows past its budget, after cells were kept as bytes, with the same outputs", async () => {
    const options = { target: "y", duplicates: "drop", rules, inMemoryCells: 700_000 } as const;
    const partly = await etl(input, options);
    const never = await etl(input, { ...options, inMemoryCells: 0 });
    expect(partly.report.second_pass).toBe("source read again");
    expect(partly.processedText).toBe(never.processedText);
    expect(partly.rejectedText).toBe(never.rejectedText);
    expect(partly.report).toEqual(never.report);
  });
});
