import { join } from "node:path";
import { DEFAULT_MISSING_TOKENS, openSource, readCsv, readProcessed, runEtl } from "@pipe/etl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import type { CellBatch } from "./cell-outcomes.js";
import { FeatureError } from "./errors.js";
import { builtWalker } from "./forest/wasm/walker.js";
import { PipeModel } from "./model.js";
import { CellScorer, NO_FIELDS } from "./score-cells.js";
import { trainModel } from "./train.js";

const tmp = tempDir();
afterAll(tmp.cleanup);

let model: PipeModel;
let columns: string[];
let rows: string[][];

beforeAll(async () => {
  const out = { processed: join(tmp.dir, "t.csv"), rejected: join(tmp.dir, "t.rej.csv") };
  const { schema } = await runEtl(openSource(DATASETS.titanic), { target: "Survived" }, out);
  const table = await readProcessed(out.processed, schema);
  ({ model } = await trainModel(table, table.featureKinds, table.y, {
    target: "Survived",
    classes: [schema.negativeClass, schema.positiveClass],
    positiveClass: schema.positiveClass,
    testSize: 0.3,
    seed: 42,
    dataSha256: "test",
    createdAt: "2026-01-01T00:00:00.000Z",
    forest: { nEstimators: 30 },
  }));
  const csv = await readCsv(openSource(DATASETS.titanic));
  columns = csv.columns;
  rows = [];
  for await (const r of csv.records) rows.push(r.fields);
});

/** The record a row of cells makes for predictEachAsync: the model's columns, trimmed, missing tokens as missing (the last column of a name wins). */
function recordOf(cols: readonly string[], cells: readonly string[], missing: ReadonlySet<string>) {
  const used = new Set(model.inputFields.features.map((f) => f.name));
  const record: Record<string, string | undefined> = {};
  let present = 0;
  cols.forEach((c, j) => {
    if (!used.has(c)) return;
    const v = (cells[j] ?? "").trim();
    record[c] = missing.has(v) ? undefined : v;
    if (record[c] !== undefined) present++;
  });
  return present === 0 ? undefined : record;
}

/**
 * The rows as a CellBatch (a CSV read as bytes): each column's values numbered as met, except every
 * `noIdEvery`-th cell, left without an id (as a value past a full dictionary is), read from its text.
 */
function asBatch(width: number, cells: readonly string[][], noIdEvery: number): { batch: CellBatch; valueText: (column: number, id: number) => string } {
  const values = Array.from({ length: width }, () => new Map<string, number>());
  const texts: string[] = [];
  const ids: number[] = [];
  const first = [0];
  for (const row of cells) {
    row.forEach((v, k) => {
      texts.push(v);
      const column = values[k];
      if (!column || texts.length % noIdEvery === 0) ids.push(-1);
      else {
        if (!column.has(v)) column.set(v, column.size);
        ids.push(column.get(v) as number);
      }
    });
    first.push(texts.length);
  }
  const byId = values.map((m) => [...m.keys()]);
  // The cells' bytes too, as a CSV read as bytes has them (plain numbers are read from them).
  const encoded = texts.map((t) => Buffer.from(t, "utf8"));
  const starts = new Int32Array(texts.length);
  const ends = new Int32Array(texts.length);
  let at = 0;
  encoded.forEach((b, o) => {
    starts[o] = at;
    at += b.length;
    ends[o] = at;
  });
  const bytes = new Uint8Array(Buffer.concat(encoded));
  return {
    batch: { rows: cells.length, first: Int32Array.from(first), ids: Int32Array.from(ids), text: (o) => texts[o] as string, bytes, starts, ends },
    valueText: (column, id) => (byId[column] as string[])[id] as string,
  };
}

/** What CellScorer must give: predictEachAsync on the rows' records, row by row; and the same encoding from value ids as from the text. */
async function expectSameAsRecords(cols: readonly string[], cells: readonly string[][], missing: ReadonlySet<string>) {
  const scorer = new CellScorer(model, cols, missing);
  const got = await scorer.score(cells);
  const byText = scorer.encode(cells);
  for (const noIdEvery of [1, 7, Number.POSITIVE_INFINITY]) {
    const { batch, valueText } = asBatch(cols.length, cells, noIdEvery);
    const encode = scorer.batchEncoder(valueText);
    const { release, ...first } = encode(batch);
    expect(first).toEqual(byText);
    // A second batch of the same values is decided from what the first one kept, in the matrix the first one handed back.
    release?.();
    const { release: _, ...second } = encode(batch);
    expect(second).toEqual(byText);
    expect(second.X[0]?.buffer).toBe(first.X[0]?.buffer);
  }
  const records = cells.map((r) => recordOf(cols, r, missing));
  const each = await model.predictEachAsync(records.flatMap((r) => (r ? [r] : [])));
  let k = 0;
  records.forEach((record, i) => {
    const want = record ? each[k++] : undefined;
    if (want === undefined) expect(got.errors.get(i)).toBe(NO_FIELDS);
    else if (want instanceof FeatureError) {
      expect(got.errors.get(i)).toBe(want.message);
      expect(got.probability[i]).toBeNaN();
    } else {
      expect(got.errors.has(i)).toBe(false);
      expect(got.probability[i]).toBe(want.probability);
      expect(got.prediction[i]).toBe(want.prediction);
      expect(scorer.labels[got.prediction[i] as 0 | 1]).toBe(want.label);
      expect(got.warnings[i] ?? []).toEqual(want.warnings);
    }
  });
  return got;
}

describe("CellScorer", () => {
  it("scores a table's rows exactly as predictEachAsync scores the records they make", async () => {
    await expectSameAsRecords(columns, rows, new Set(DEFAULT_MISSING_TOKENS));
  });

  it("reads blanks, spaces and missing tokens as missing, and keeps each row's warnings and errors in its place", async () => {
    const age = columns.indexOf("Age");
    const sex = columns.indexOf("Sex");
    const edited = rows.slice(0, 40).map((r, i) => {
      const cells = [...r];
      if (i % 5 === 0) cells[age] = "  ";
      if (i % 5 === 1) cells[age] = " NA ";
      if (i % 5 === 2) cells[age] = "abc"; // not a number: this row's error
      if (i % 5 === 3) cells[sex] = "unknown"; // unseen: pooled, with a warning
      if (i % 7 === 0) cells[age] = ` ${cells[age]} `;
      return cells;
    });
    // A row whose model columns are all blank, and a short row.
    edited.push(
      columns.map(() => ""),
      ["1"],
    );
    const got = await expectSameAsRecords(columns, edited, new Set(DEFAULT_MISSING_TOKENS));
    expect(got.errors.get(2)).toMatch(/Age.*not a number/);
    expect(got.errors.get(40)).toBe(NO_FIELDS);
    expect(got.warnings[3]?.join(" ")).toMatch(/Sex: "unknown" was not seen/);
    expect(got.warnings[4]).toBeUndefined();
  });

  it("ignores columns the model does not use, finds its columns in any order, and takes the last of two columns of one name", async () => {
    const order = [...columns.keys()].reverse();
    const cols = [...order.map((j) => columns[j] as string), "extra", "Age"];
    const cells = rows.slice(0, 50).map((r, i) => [...order.map((j) => r[j] as string), "x", i % 2 ? "80" : ""]);
    const missing = new Set(["", "NA", "?"]);
    await expectSameAsRecords(cols, cells, missing);
    const scorer = new CellScorer(model, cols, missing);
    expect(cells.map((r) => scorer.recordOf(r))).toEqual(cells.map((r) => recordOf(cols, r, missing)));
    expect(scorer.recordOf(cols.map(() => " NA "))).toBeUndefined();
  });

  it("gives the same scores encoded then scored as scored at once", async () => {
    const scorer = new CellScorer(model, columns, new Set(DEFAULT_MISSING_TOKENS));
    const once = await scorer.score(rows);
    const twice = await scorer.scoreEncoded(scorer.encode(rows), { meanwhile: async () => undefined });
    expect(twice).toEqual(once);
  });

  it("scores after warmUp as before it, the trees then laid out for single rows", async () => {
    const fresh = PipeModel.parse(model.serialize());
    const packed = fresh.state.forest.packedTrees();
    const missing = new Set(DEFAULT_MISSING_TOKENS);
    const records = rows.slice(0, 20).map((r) => recordOf(columns, r, missing) ?? {});
    const before = records.map((r) => fresh.predict(r).probability);
    expect(builtWalker(packed)).toBeUndefined();
    fresh.warmUp();
    expect(builtWalker(packed)).toBeDefined();
    expect(records.map((r) => fresh.predict(r).probability)).toEqual(before);
  });
});
