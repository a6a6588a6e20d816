import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_MISSING_TOKENS, formatCsvRow, openSource, readCsv } from "@pipe/etl";
import { CellScorer, PipeModel } from "@pipe/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, seededRandom, tempDir } from "../../../test-support/index.js";
import { LabelledScores } from "../src/commands/labelled-scores.js";
import type { PipeConfig } from "../src/config.js";
import { pipe } from "./cli.js";

// `pipe predict` reads a CSV without a target column as bytes (no string per cell: each column's
// values decided once, each row's cells copied to the output as they are). What it writes must be
// what scoring the rows' text writes: these files are scored here from their text (readCsv's
// records, CellScorer, formatCsvRow) and compared byte for byte with the CLI's output.
const tmp = tempDir("pipe-predict-bytes-");
const out = join(tmp.dir, "titanic");
let model: PipeModel;
let rows: string[][];
let header: string[];
beforeAll(async () => {
  for (const args of [["etl"], ["train", "--trees", "10"]]) {
    const r = pipe([...args, "--input", DATASETS.titanic, "--target", "Survived", "--out", out, "--quiet"], tmp.dir);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  model = PipeModel.parse(readFileSync(join(out, "model.json")), "model.json");
  const csv = await readCsv(openSource(DATASETS.titanic));
  const target = csv.columns.indexOf("Survived");
  header = csv.columns.filter((_, j) => j !== target);
  rows = [];
  for await (const r of csv.records) rows.push(r.fields.filter((_, j) => j !== target));
}, 180_000);
afterAll(tmp.cleanup);

/** What `pipe predict` writes for `file`, computed from the rows' text. */
async function scoredFromText(file: string, options: Parameters<typeof readCsv>[1] = {}): Promise<string> {
  const csv = await readCsv(openSource(file), options);
  const records = [];
  for await (const r of csv.records) records.push(r);
  const scorer = new CellScorer(model, csv.columns, new Set(DEFAULT_MISSING_TOKENS));
  const scores = await scorer.score(records.map((r) => r.fields));
  const lines = [formatCsvRow([...csv.columns, "probability", "prediction", "label", "warnings", "error"])];
  records.forEach(({ fields, line }, i) => {
    const error = scores.errors.get(i);
    const prediction = scores.prediction[i] as 0 | 1;
    lines.push(
      formatCsvRow(
        error !== undefined
          ? [...fields, "", "", "", "", `line ${line}: ${error}`]
          : [...fields, String(scores.probability[i]), String(prediction), scorer.labels[prediction], scores.warnings[i]?.join("; ") ?? "", ""],
      ),
    );
  });
  return lines.join("");
}

function predict(file: string, flags: string[] = [], warning = ""): string {
  const scored = join(tmp.dir, "scored.csv");
  const r = pipe(["predict", "--model", join(out, "model.json"), "--input", file, "--output", scored, "--quiet", ...flags], tmp.dir);
  if (warning) expect(r.stderr).toContain(warning);
  else expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return readFileSync(scored, "utf8");
}

/** Titanic's rows (no target), many times, with cells edited: blanks, missing tokens, unseen levels, bad numbers, quotes, short and long rows. */
function editedRows(copies: number): string[][] {
  const random = seededRandom(3);
  const age = header.indexOf("Age");
  const sex = header.indexOf("Sex");
  const name = header.indexOf("Name");
  const fare = header.indexOf("Fare");
  const edited: string[][] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const row of rows) {
      const cells = [...row];
      // A column of many values (past a dictionary's fill) on every row.
      cells[header.indexOf("Ticket")] = `T-${copy}-${cells[0]}`;
      const u = random();
      if (u < 0.05) cells[age] = "";
      else if (u < 0.08) cells[age] = " NA ";
      else if (u < 0.09) cells[age] = "abc";
      else if (u < 0.12) cells[sex] = "unknown";
      else if (u < 0.14) cells[name] = `Renée "Zoë" Ørsted, ${copy}`;
      else if (u < 0.15) cells[name] = u < 0.145 ? ` padded ${copy} ` : `trailing ${copy} `;
      else if (u < 0.16) cells.length = 3;
      else if (u < 0.17) cells.push("extra", 'fields, "quoted"');
      else if (u < 0.18) cells[name] = "two\nlines";
      // A double written in full (17 significant digits, as pandas and DuckDB write them).
      else if (u < 0.3) cells[fare] = String(Math.PI * (1 + random()));
      edited.push(cells);
    }
  }
  return edited;
}

describe("pipe predict reading a CSV as bytes", () => {
  it("writes what scoring the rows' text writes, byte for byte: quotes, blanks, errors, short and long rows, 18,000 rows", async () => {
    const file = join(tmp.dir, "edited.csv");
    writeFileSync(file, [header, ...editedRows(20)].map((r) => formatCsvRow(r)).join(""));
    const scored = predict(file);
    expect(scored).toBe(await scoredFromText(file));
    expect(scored).toMatch(/line \d+: Age: ""abc"" is not a number/);
    expect(scored).toMatch(/Sex: ""unknown"" was not seen in training/);
  });

  it("reads a file with a title block above its header with --skip-lines, errors numbered by the file's own lines", async () => {
    const file = join(tmp.dir, "titled.csv");
    const body = [header, ...editedRows(2)].map((r) => formatCsvRow(r)).join("");
    writeFileSync(file, `Passenger list, export of 2024-05-01\n"Source: ""manifest"", page 1"\n\n${body}`);
    const scored = predict(file, ["--skip-lines", "3"]);
    expect(scored).toBe(await scoredFromText(file, { skipLines: 3 }));
    // The same rows as the file without its title, each error's line 3 further on.
    const plain = join(tmp.dir, "untitled.csv");
    writeFileSync(plain, body);
    const shifted = predict(plain).replace(/line (\d+):/g, (_, n) => `line ${Number(n) + 3}:`);
    expect(scored).toBe(shifted);
    expect(scored).toMatch(/line \d+: Age: ""abc"" is not a number/);
  });

  it("does the same for CRLF line ends, a Latin-1 file, and a UTF-8 file with a stray byte past its first megabyte", async () => {
    const lines = [header, ...editedRows(20)].map((r) => formatCsvRow(r));
    const crlf = join(tmp.dir, "crlf.csv");
    writeFileSync(crlf, lines.join("").replaceAll("\n", "\r\n"));
    expect(predict(crlf)).toBe(await scoredFromText(crlf));

    const latin1 = join(tmp.dir, "latin1.csv");
    writeFileSync(latin1, Buffer.from([...lines.join("")].map((c) => (c.charCodeAt(0) > 0xff ? "?" : c)).join(""), "latin1"));
    const scoredLatin1 = predict(latin1);
    expect(scoredLatin1).toBe(await scoredFromText(latin1));
    expect(scoredLatin1).toContain("Renée");

    const stray = join(tmp.dir, "stray.csv");
    const bytes = Buffer.from(lines.join(""), "utf8");
    const at = bytes.indexOf("Renée", 1 << 20);
    expect(at).toBeGreaterThan(0);
    bytes[at + 3] = 0xff; // é's first byte: no longer UTF-8
    writeFileSync(stray, bytes);
    const scoredStray = predict(stray);
    expect(scoredStray).toBe(await scoredFromText(stray));
    expect(scoredStray).toContain("Ren\ufffd");
  });

  it("does the same for a semicolon-separated file with a byte-order mark, and a headerless one read with --columns", async () => {
    const rowsOut = editedRows(2);
    const semicolon = join(tmp.dir, "semicolon.csv");
    writeFileSync(semicolon, `\ufeff${[header, ...rowsOut].map((r) => formatCsvRow(r, ";")).join("")}`);
    expect(predict(semicolon)).toBe(await scoredFromText(semicolon));

    const headerless = join(tmp.dir, "headerless.csv");
    writeFileSync(headerless, rowsOut.map((r) => formatCsvRow(r)).join(""));
    const scored = predict(headerless, ["--no-header", "--columns", header.join(",")]);
    expect(scored).toBe(await scoredFromText(headerless, { header: false, columns: header }));
    expect(scored.split("\n")[0]).toBe(`${header.join(",")},probability,prediction,label,warnings,error`);
  });

  it("reads the labels of a file that has the target column from its bytes: the same scores and the same metrics as from its text", async () => {
    const csv = await readCsv(openSource(DATASETS.titanic));
    const target = csv.columns.indexOf("Survived");
    const full: string[][] = [];
    for await (const r of csv.records) full.push(r.fields);
    const random = seededRandom(11);
    const labelled: string[][] = [];
    for (let copy = 0; copy < 20; copy++) {
      full.forEach((row, i) => {
        const cells = [...row];
        const u = random();
        // Labels as a held-out file has them: padded, blank, missing tokens, unknown ones (over 4,096 distinct:
        // past the column's dictionary, read from the bytes), and rows too short to hold the column.
        if (u < 0.05) cells[target] = ` ${cells[target]} `;
        else if (u < 0.1) cells[target] = "";
        else if (u < 0.12) cells[target] = "NA";
        else if (u < 0.4) cells[target] = `maybe-${copy}-${i}`;
        else if (u < 0.42) cells.length = 1;
        else if (u < 0.44) cells[csv.columns.indexOf("Age")] = "abc";
        labelled.push(cells);
      });
    }
    const file = join(tmp.dir, "labelled.csv");
    writeFileSync(file, [csv.columns, ...labelled].map((r) => formatCsvRow(r)).join(""));
    const scored = predict(file, [], "have a label in Survived that is not one of the model's classes");
    expect(scored).toBe(await scoredFromText(file));

    // The metrics pipe predict writes beside the scores, against the same tally made from the rows' text.
    const records = [];
    for await (const r of (await readCsv(openSource(file))).records) records.push(r);
    const scorer = new CellScorer(model, csv.columns, new Set(DEFAULT_MISSING_TOKENS));
    const scores = await scorer.score(records.map((r) => r.fields));
    const expected = LabelledScores.of(model, csv.columns, { etl: {} } as PipeConfig) as LabelledScores;
    records.forEach((r, i) => {
      expected.addLabel(r.fields[target] ?? "", scores.errors.has(i) ? undefined : (scores.probability[i] as number));
    });
    const summary = expected.summary();
    expect(Object.keys(summary.unknown_labels).length).toBeGreaterThan(4096);
    expect(summary.rows_missing_label).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(tmp.dir, "scored.metrics.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(summary)));
  });
});
