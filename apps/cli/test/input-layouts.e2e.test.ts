import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "@pipe/api";
import { parseCsv } from "@pipe/etl";
import { PipeModel } from "@pipe/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// Inputs laid out as other tools write them — columns aligned with runs of spaces (R's write.table, many
// scientific and UCI files), comment lines, UTF-16 — the Telco data written each way must give what its
// comma-separated original gives.
const tmp = tempDir("pipe-input-layouts-");
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
const etl = (input: string, out: string, flags: string[] = [], stderr = "") => {
  const r = pipe(["etl", "--input", input, "--target", "Churn", "--out", join(tmp.dir, out), "--quiet", ...flags], tmp.dir);
  expect(r.stderr).toBe(stderr);
  expect(r.code).toBe(0);
  return JSON.parse(file(out, "etl_report.json")) as {
    delimiter: string;
    rows_in: number;
    rows_out: number;
    rows_rejected: number;
    cells: unknown;
    warnings: string[];
  };
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

describe("what Windows and spreadsheets write", () => {
  it("reads a spreadsheet's export where the comma is the decimal mark (;-separated, 29,85) as its original", () => {
    const euro = join(tmp.dir, "telco-euro.csv");
    const rows = parseCsv(readFileSync(comma, "utf8"), { delimiter: "," }).map((r) => r.fields.map((v) => v.replace(/^(-?\d+)\.(\d+)$/u, "$1,$2")).join(";"));
    writeFileSync(euro, `${rows.join("\r\n")}\r\n`);
    expect(readFileSync(euro, "utf8")).toMatch(/;29,85;29,85;No\r\n/u);
    const said = 'numbers written with a decimal comma (13,44 as 13.44; etl.decimal "." keeps them as text) read as numbers in: MonthlyCharges, TotalCharges';
    const report = etl(euro, "euro", [], `warning: ${said}\n`);
    expect(report.delimiter).toBe(";");
    expect(report.warnings).toContain(said);
    expect(file("euro", "dataset_processed.csv")).toBe(file("comma", "dataset_processed.csv"));
    expect(scored(euro, "euro-scored.csv")).toEqual(scored(comma, "comma-scored-4.csv"));
  });

  it("reads a German spreadsheet's export (;-separated, 29,85 and 1.889,5: thousands grouped by dots) as its original", () => {
    const german = join(tmp.dir, "telco-german.csv");
    const local = (v: string) => (/^-?\d+(\.\d+)?$/u.test(v) ? v.replace(".", ",").replace(/^(-?\d+)(\d{3})(?=,|$)/u, "$1.$2") : v);
    const rows = parseCsv(readFileSync(comma, "utf8"), { delimiter: "," }).map((r) => r.fields.map(local).join(";"));
    writeFileSync(german, `${rows.join("\r\n")}\r\n`);
    expect(readFileSync(german, "utf8")).toMatch(/;56,95;1\.889,5;No\r\n/u);
    const grouped = "numbers with a decimal comma and their thousands grouped by dots or spaces (1.234,56 as 1234.56) read as numbers in: TotalCharges";
    const plain = 'numbers written with a decimal comma (13,44 as 13.44; etl.decimal "." keeps them as text) read as numbers in: MonthlyCharges';
    const report = etl(german, "german", [], `warning: ${grouped}\nwarning: ${plain}\n`);
    expect(report.warnings).toEqual(expect.arrayContaining([grouped, plain]));
    expect(file("german", "dataset_processed.csv")).toBe(file("comma", "dataset_processed.csv"));
    expect(scored(german, "german-scored.csv")).toEqual(scored(comma, "comma-scored-9.csv"));
  });

  it("scores a file whose numbers cannot show their form (1.889 alone) in the form the training file wrote (1.889,5: 1889)", () => {
    const local = (v: string) => (/^-?\d+(\.\d+)?$/u.test(v) ? v.replace(".", ",").replace(/^(-?\d+)(\d{3})(?=,|$)/u, "$1.$2") : v);
    const rows = parseCsv(readFileSync(comma, "utf8"), { delimiter: "," }).map((r) => r.fields.map(local).join(";"));
    const german = join(tmp.dir, "telco-german-2.csv");
    writeFileSync(german, `${rows.join("\r\n")}\r\n`);
    const trained = join(tmp.dir, "german-model");
    const run = pipe(["run", "--input", german, "--target", "Churn", "--out", trained, "--trees", "10", "--no-png", "--quiet"], tmp.dir);
    expect(run.code, run.stderr).toBe(0);
    // Whole amounts, as a later export may hold only: 1.889 is 1889 there, not one and a bit.
    const newRows = (charges: string[]) => `tenure;MonthlyCharges;TotalCharges\n${charges.map((c, i) => `${10 + i};70;${c}`).join("\n")}\n`;
    const ambiguous = join(tmp.dir, "german-new.csv");
    writeFileSync(ambiguous, newRows(["1.889", "5.200", "120"]));
    const plain = join(tmp.dir, "plain-new.csv");
    writeFileSync(plain, newRows(["1889", "5200", "120"]));
    const probabilities = (input: string) => {
      const output = `${input}.scored.csv`;
      const p = pipe(["predict", "--model", join(trained, "model.json"), "--input", input, "--output", output, "--quiet"], tmp.dir);
      expect(p.code, p.stderr).toBe(0);
      const [head, ...body] = parseCsv(readFileSync(output, "utf8"), { delimiter: "," }).map((r) => r.fields);
      return body.map((r) => r[(head as string[]).indexOf("probability")]);
    };
    expect(probabilities(ambiguous)).toEqual(probabilities(plain));
    // A file whose sample does not keep to the form (a plain 5200.5 beside 1.889,5): the reader leaves the
    // column as it is, and the model reads the values in the training file's form that no plain number has.
    const mixed = join(tmp.dir, "mixed-new.csv");
    writeFileSync(mixed, newRows(["1.889,5", "5200.5", "120"]));
    const plainMixed = join(tmp.dir, "plain-mixed-new.csv");
    writeFileSync(plainMixed, newRows(["1889.5", "5200.5", "120"]));
    expect(probabilities(mixed)).toEqual(probabilities(plainMixed));
  });

  it("serves that model: a record's text in the training file's form (29,85; 1.889,5) is read so, plain numbers plainly", async () => {
    const model = PipeModel.parse(readFileSync(join(tmp.dir, "german-model", "model.json")), "model.json");
    const app = createApp({ model });
    const post = (record: Record<string, unknown>) =>
      app.request("/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(record) });
    const probability = async (record: Record<string, unknown>) => {
      const res = await post(record);
      expect(res.status, JSON.stringify(record)).toBe(200);
      return ((await res.json()) as { probability: number }).probability;
    };
    const numbers = { tenure: 10, MonthlyCharges: 70.5, TotalCharges: 1889.5 };
    const expected = await probability(numbers);
    expect(await probability({ tenure: "10", MonthlyCharges: "70,5", TotalCharges: "1.889,5" })).toBe(expected);
    expect(await probability({ tenure: 10, MonthlyCharges: "70.5", TotalCharges: "1889.5" })).toBe(expected);
    // Plain numeric text is read plainly: 1.889 is one and a bit here, as JSON's 1.889 is.
    expect(await probability({ ...numbers, TotalCharges: "1.889" })).toBe(await probability({ ...numbers, TotalCharges: 1.889 }));
    const info = (await (await app.request("/model")).json()) as { features: { name: string; number_form?: string }[] };
    expect(info.features.find((f) => f.name === "TotalCharges")?.number_form).toBe("grouped decimal comma");
    expect(info.features.find((f) => f.name === "MonthlyCharges")?.number_form).toBe("decimal comma");
    expect(info.features.find((f) => f.name === "tenure")?.number_form).toBeUndefined();
    for (const [field, value, message] of [
      ["MonthlyCharges", "70,5,5", 'must be a number (or numeric text, or as the training file wrote it: 29,85), got "70,5,5"'],
      ["TotalCharges", "1,889.5", 'must be a number (or numeric text, or as the training file wrote it: 1.234,56), got "1,889.5"'],
      ["tenure", "10,5", 'must be a number, got "10,5"'],
    ] as const) {
      const refused = await post({ ...numbers, [field]: value });
      expect(refused.status, value).toBe(422);
      expect(((await refused.json()) as { errors: { path: string; message: string }[] }).errors[0]).toEqual({ path: field, message });
    }
  });

  it('reads a report\'s numbers with grouped thousands ("1,889.5", quoted) as its original', () => {
    const grouped = join(tmp.dir, "telco-grouped.csv");
    const group = (v: string) =>
      /^\d{4,}(\.\d+)?$/u.test(v) ? `"${v.replace(/^(\d+)(\d{3})/u, "$1,$2")}"` : v.includes(",") || v.includes('"') ? `"${v.replaceAll('"', '""')}"` : v;
    const rows = parseCsv(readFileSync(comma, "utf8"), { delimiter: "," }).map((r) => r.fields.map(group).join(","));
    writeFileSync(grouped, `${rows.join("\n")}\n`);
    expect(readFileSync(grouped, "utf8")).toMatch(/,"1,889\.5",No\n/u);
    const said = "numbers with their thousands grouped by commas (1,234.5 as 1234.5) read as numbers in: TotalCharges";
    const report = etl(grouped, "grouped", [], `warning: ${said}\n`);
    expect(report.warnings).toContain(said);
    expect(file("grouped", "dataset_processed.csv")).toBe(file("comma", "dataset_processed.csv"));
    expect(scored(grouped, "grouped-scored.csv")).toEqual(scored(comma, "comma-scored-5.csv"));
  });

  it('reads amounts with a currency sign ("$1,889.5") as its original', () => {
    const dollars = join(tmp.dir, "telco-dollars.csv");
    const money = (v: string, j: number) =>
      j >= 18 && /^\d+(\.\d+)?$/u.test(v) ? `"$${v.replace(/^(\d+)(\d{3})/u, "$1,$2")}"` : v.includes(",") ? `"${v}"` : v;
    const rows = parseCsv(readFileSync(comma, "utf8"), { delimiter: "," }).map((r) => r.fields.map(money).join(","));
    writeFileSync(dollars, `${rows.join("\n")}\n`);
    expect(readFileSync(dollars, "utf8")).toMatch(/,"\$56\.95","\$1,889\.5",No\n/u);
    const said = "amounts with a currency sign ($1,234.50 as 1234.50; Excel's accounting zero, $ -, as 0) read as numbers in: MonthlyCharges, TotalCharges";
    expect(etl(dollars, "dollars", [], `warning: ${said}\n`).warnings).toContain(said);
    expect(file("dollars", "dataset_processed.csv")).toBe(file("comma", "dataset_processed.csv"));
  });

  it('reads UTF-16 text (Excel\'s "Unicode Text": tab-separated, with a byte-order mark) as its UTF-8 conversion, saying so', () => {
    const unicodeText = join(tmp.dir, "telco-unicode.txt");
    const rows = parseCsv(readFileSync(comma, "utf8"), { delimiter: "," }).map((r) => r.fields.join("\t"));
    writeFileSync(unicodeText, Buffer.from(`\ufeff${rows.join("\r\n")}\r\n`, "utf16le"));
    const said = `${unicodeText} is UTF-16LE text: read as its UTF-8 conversion (the outputs are UTF-8)`;
    const report = etl(unicodeText, "utf16", [], `warning: ${said}\n`);
    expect(report.delimiter).toBe("\t");
    expect(report.warnings).toContain(said);
    expect(file("utf16", "dataset_processed.csv")).toBe(file("comma", "dataset_processed.csv"));
    expect(scored(unicodeText, "utf16-scored.csv")).toEqual(scored(comma, "comma-scored-3.csv"));
  });

  it("refuses a zip archive (or an .xlsx workbook) saying what to pass instead, in the ETL and in pipe predict", () => {
    const zip = join(tmp.dir, "telco.zip");
    // A zip's local file header: what an archive or a workbook starts with.
    writeFileSync(zip, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), Buffer.alloc(200, 7)]));
    const e = pipe(["etl", "--input", zip, "--target", "Churn", "--out", join(tmp.dir, "zip"), "--quiet"], tmp.dir);
    expect(e.code).toBe(2);
    expect(e.stderr).toBe(
      `pipe: ${zip} is a zip archive (an Excel .xlsx workbook is one too), not a CSV: unzip it, or save the sheet as CSV, and pass the CSV\n`,
    );
    const p = pipe(["predict", "--model", join(model, "model.json"), "--input", zip, "--output", join(tmp.dir, "zip.csv"), "--quiet"], tmp.dir);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/is a zip archive/);
  });

  it("refuses an image or another binary file saying what it is (a PNG named .csv failed on a quote at line 144)", () => {
    const png = join(tmp.dir, "chart.csv");
    writeFileSync(png, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 0x22)]));
    const e = pipe(["etl", "--input", png, "--target", "Churn", "--out", join(tmp.dir, "png"), "--quiet"], tmp.dir);
    expect(e.code).toBe(2);
    expect(e.stderr).toBe(`pipe: ${png} is a PNG image, not a CSV: pass the data as a CSV file\n`);
    const blob = join(tmp.dir, "weights.csv");
    writeFileSync(blob, Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 37) % 256)));
    const p = pipe(["predict", "--model", join(model, "model.json"), "--input", blob, "--output", join(tmp.dir, "blob.csv"), "--quiet"], tmp.dir);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(
      /^pipe: \S+weights\.csv is a binary file \(\d+ of its first 2000 bytes are control characters, 8 of them NUL, which text does not hold\), not a CSV/,
    );
  });

  it("refuses JSON Lines saying how to convert it (it failed on a stray quote as a broken CSV), in the ETL and in pipe predict", () => {
    const jsonl = join(tmp.dir, "telco.jsonl");
    writeFileSync(jsonl, '{"tenure": 1, "Contract": "Month-to-month", "Churn": "No"}\n{"tenure": 34, "Contract": "One year", "Churn": "No"}\n');
    const e = pipe(["etl", "--input", jsonl, "--target", "Churn", "--out", join(tmp.dir, "jsonl"), "--quiet"], tmp.dir);
    expect(e.code).toBe(2);
    expect(e.stderr).toBe(
      `pipe: ${jsonl} is JSON Lines (a JSON record a line), not a CSV: pipe reads CSV and Parquet files and DuckDB or ClickHouse tables; convert it first, e.g. with DuckDB: duckdb -c "COPY (SELECT * FROM read_json('${jsonl}')) TO 'data.parquet'" and pass data.parquet\n`,
    );
    const p = pipe(["predict", "--model", join(model, "model.json"), "--input", jsonl, "--output", join(tmp.dir, "jsonl.csv"), "--quiet"], tmp.dir);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/is JSON Lines/);
  });
});
