import { describe, expect, it } from "vitest";
import { formatCsvRow } from "./format.js";
import { CsvRowBytes } from "./row-bytes.js";
import { TextRowBatcher } from "./text-row-batcher.js";

const SEP = "\u001f";

/** Cells of every kind a table hands out: blanks, padding, quotes, commas, line breaks, non-ASCII, long text. */
function rows(n: number): string[][] {
  const odd = ["", " padded ", 'say "hi"', "a,b", "two\nlines", "Renée Ørsted", "😀 emoji", "x".repeat(5000)];
  return Array.from({ length: n }, (_, i) => [String(i % 7), odd[i % odd.length] as string, `id-${i}`, i % 3 === 0 ? "" : "yes"]);
}

describe("TextRowBatcher", () => {
  it("gives each cell its text, the same id to the same value in a column, and each row its line, by cells or joined", () => {
    const input = rows(6000);
    const batcher = new TextRowBatcher(4);
    input.forEach((cells, i) => {
      if (i % 2 === 0) batcher.add(10 + i, cells);
      else batcher.addJoined(10 + i, cells.join(SEP), SEP);
    });
    expect(batcher.size).toBe(6000);
    const batch = batcher.take();
    expect(batcher.size).toBe(0);
    expect(batch.rows).toBe(6000);
    const idOf = Array.from({ length: 4 }, () => new Map<string, number>());
    for (let i = 0; i < batch.rows; i++) {
      expect(batch.lines[i]).toBe(10 + i);
      expect((batch.first[i + 1] as number) - (batch.first[i] as number)).toBe(4);
      for (let k = 0; k < 4; k++) {
        const o = (batch.first[i] as number) + k;
        const want = (input[i] as string[])[k] as string;
        expect(batch.text(o)).toBe(want);
        const id = batch.ids[o] as number;
        // Past 4,096 distinct values a column's new values have no id (column 2: one value a row).
        if (id < 0) continue;
        expect(batcher.valueText(k, id)).toBe(want);
        const seen = (idOf[k] as Map<string, number>).get(want);
        if (seen === undefined) (idOf[k] as Map<string, number>).set(want, id);
        else expect(id).toBe(seen);
      }
    }
    expect(Array.from(batch.ids).some((id) => id < 0)).toBe(true);
  });

  it("writes rows back as formatCsvRow writes their cells (CsvRowBytes.record)", () => {
    const input = rows(200);
    const batcher = new TextRowBatcher(4);
    for (const [i, cells] of input.entries()) batcher.addJoined(i + 1, cells.join(SEP), SEP);
    const batch = batcher.take();
    const out = new CsvRowBytes();
    for (let i = 0; i < batch.rows; i++) {
      out.record(batch, i);
      out.endRow();
    }
    expect(Buffer.from(out.take()).toString("utf8")).toBe(input.map((cells) => formatCsvRow(cells)).join(""));
  });

  it("refuses a row whose cells do not match the table's columns, naming its line", () => {
    const batcher = new TextRowBatcher(3);
    expect(() => batcher.add(1, ["a", "b"])).toThrow(/a row of 2 cells where the table has 3 columns/);
    expect(() => batcher.addJoined(7, `a${SEP}b`, SEP)).toThrow(/where the table has 3 columns \(line 7\)/);
    expect(() => batcher.addJoined(8, `a${SEP}b${SEP}c${SEP}d`, SEP)).toThrow(/line 8/);
    expect(() => batcher.addJoined(9, "a,b,c", "é")).toThrow(/one character below U\+0080/);
    expect(batcher.size).toBe(0);
  });
});
