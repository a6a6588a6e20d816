import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "@pipe/etl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// Files whose columns are aligned with runs of spaces (R's write.table, many scientific and UCI files):
// the Telco data written that way must give what its comma-separated original gives.
const tmp = tempDir("pipe-whitespace-");
const comma = DATASETS.telco;
const aligned = join(tmp.dir, "telco.txt");

/** `text` (CSV) laid out in aligned columns: values padded to their column's width, those with a space, a quote or nothing quoted. */
function alignedColumns(text: string): string {
  const rows = parseCsv(text, { delimiter: "," }).map((r) => r.fields.map((v) => (/^[^\s"]+$/.test(v) ? v : `"${v.replaceAll('"', '""')}"`)));
  const widths = (rows[0] as string[]).map((_, j) => Math.max(...rows.map((r) => (r[j] as string).length)));
  return rows.map((r) => `  ${r.map((v, j) => v.padEnd((widths[j] as number) + 1 + (j % 3))).join(" ")}  \n`).join("");
}

const model = join(tmp.dir, "model");

beforeAll(() => {
  writeFileSync(aligned, alignedColumns(readFileSync(comma, "utf8")));
  const r = pipe(["run", "--input", comma, "--target", "Churn", "--out", model, "--trees", "10", "--no-png", "--quiet"], tmp.dir);
  if (r.code !== 0) throw new Error(r.stderr);
}, 120_000);
afterAll(() => tmp.cleanup());

const file = (out: string, name: string) => readFileSync(join(tmp.dir, out, name), "utf8");
/** `pipe predict`'s scored rows of `input`, as fields. */
const scored = (input: string, name: string, flags: string[] = []) => {
  const p = pipe(["predict", "--model", join(model, "model.json"), "--input", input, "--output", join(tmp.dir, name), "--quiet", ...flags], tmp.dir);
  expect(p.stderr).toBe("");
  expect(p.code).toBe(0);
  return parseCsv(readFileSync(join(tmp.dir, name), "utf8"), { delimiter: "," }).map((row) => row.fields);
};
const etl = (input: string, out: string, flags: string[] = []) => {
  const r = pipe(["etl", "--input", input, "--target", "Churn", "--out", join(tmp.dir, out), "--quiet", ...flags], tmp.dir);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(file(out, "etl_report.json")) as { delimiter: string; rows_in: number; rows_out: number; rows_rejected: number; cells: unknown };
};

describe("a whitespace-aligned file", () => {
  it("is detected, and pipe etl keeps, rejects and writes exactly what the comma-separated original gives", () => {
    expect(readFileSync(aligned, "utf8")).toMatch(/^ {2}customerID {2,}gender/);
    const original = etl(comma, "comma");
    const report = etl(aligned, "aligned");
    expect(report.delimiter).toBe("whitespace");
    expect(report.rows_in).toBe(7043);
    expect({ ...report, delimiter: "," }).toMatchObject({
      rows_in: original.rows_in,
      rows_out: original.rows_out,
      rows_rejected: original.rows_rejected,
      cells: original.cells,
    });
    expect(file("aligned", "dataset_processed.csv")).toBe(file("comma", "dataset_processed.csv"));
    expect(file("aligned", "rejected.csv")).toBe(file("comma", "rejected.csv"));
  });

  it("is read the same with --delimiter whitespace or its alias space", () => {
    for (const d of ["whitespace", "space"]) {
      expect(etl(aligned, `given-${d}`, ["--delimiter", d]).delimiter).toBe("whitespace");
      expect(file(`given-${d}`, "dataset_processed.csv")).toBe(file("comma", "dataset_processed.csv"));
    }
  });

  it("is scored by pipe predict as its original is", () => {
    const fromComma = scored(comma, "comma-scored.csv");
    const fromAligned = scored(aligned, "aligned-scored.csv");
    expect(fromAligned.length).toBe(7044);
    expect(fromAligned).toEqual(fromComma);
  });
});

describe("comment lines", () => {
  // As matplotlib's sample Stocks.csv: a notice above the header; here notes between rows too.
  const noted = join(tmp.dir, "noted.csv");
  beforeAll(() => {
    const lines = readFileSync(comma, "utf8").split("\n");
    const withNotes = lines.flatMap((line, i) => (i > 0 && i % 500 === 0 ? ["# checked up to here", line] : [line]));
    writeFileSync(noted, `# Data source: IBM sample data\n#   exported 2026-12-07\n${withNotes.join("\n")}`);
  });

  it("stop the ETL with a hint when nobody said they are comments", () => {
    const r = pipe(["etl", "--input", noted, "--target", "Churn", "--out", join(tmp.dir, "noted-no"), "--quiet"], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the first line starts with "#": if it is a comment, pass --comment "#"/);
  });

  it("are skipped with --comment: the same rows and outputs as the file without them", () => {
    const report = etl(noted, "noted", ["--comment", "#"]);
    expect(report.rows_in).toBe(7043);
    expect(file("noted", "dataset_processed.csv")).toBe(file("comma", "dataset_processed.csv"));
  });

  it("are skipped by pipe predict with --comment: the same scores", () => {
    expect(scored(noted, "noted-scored.csv", ["--comment", "#"])).toEqual(scored(comma, "comma-scored-2.csv"));
  });
});
