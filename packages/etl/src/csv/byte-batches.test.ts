import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../../test-support/index.js";
import type { ByteSource } from "../extract/source.js";
import type { CsvByteBatch } from "./byte-batches.js";
import { formatCsvRow } from "./format.js";
import { readCsv } from "./read.js";
import { CsvRowBytes } from "./row-bytes.js";

/** A source serving `text` in chunks of `size` bytes (records and characters split across chunks). */
function chunked(text: string, size: number): ByteSource {
  const bytes = Buffer.from(text, "utf8");
  return {
    name: "memory.csv",
    size: async () => bytes.length,
    async *open() {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    },
  };
}

/** Every record of the batches, as the text of its fields by the bytes (`text`) and by the ids (`valueText`). */
async function readByBytes(text: string, chunk: number, rows: number, release = false) {
  const csv = await readCsv(chunked(text, chunk));
  const batches: CsvByteBatch[] = [];
  const records: { line: number; fields: string[]; byId: (string | undefined)[] }[] = [];
  for await (const batch of csv.byteBatches(rows)) {
    batches.push(batch);
    for (let i = 0; i < batch.rows; i++) {
      const first = batch.first[i] as number;
      const count = (batch.first[i + 1] as number) - first;
      const fields = Array.from({ length: count }, (_, k) => batch.text(first + k));
      const byId = fields.map((_, k) => {
        const id = batch.ids[first + k] as number;
        return id < 0 ? undefined : csv.valueText(k, id);
      });
      records.push({ line: batch.lines[i] as number, fields, byId });
    }
    if (release) csv.releaseBatch(batch);
  }
  return { csv, batches, records };
}

async function readByText(text: string) {
  const records = [];
  for await (const r of (await readCsv(chunked(text, 1 << 20))).records) records.push(r);
  return records;
}

const TRICKY = [
  "id,name,note,amount",
  '1,"Smith, Jo","said ""hi""",10',
  '2,Émile,"two\nlines",',
  "3,  padded  ,,7.5",
  "4,short",
  "5,long,a,b,extra,fields",
  '6,"","""",0',
  "7,日本,naïve,-1\r",
  "8,Smith, Jo,9",
  "",
  "9,last,row,1",
].join("\n");

describe("CsvStream.byteBatches", () => {
  it("gives every record's fields as readCsv's records do, in chunks of any size, whatever the batch size", async () => {
    const expected = await readByText(TRICKY);
    for (const chunk of [1, 3, 7, 64, 1 << 20]) {
      for (const rows of [1, 2, 4, 100]) {
        const { records, batches } = await readByBytes(TRICKY, chunk, rows);
        expect(records.map(({ line, fields }) => ({ line, fields }))).toEqual(expected);
        // A value's id reads back its text; fields past the header's four columns have none.
        for (const r of records) {
          r.fields.forEach((f, k) => {
            if (k < 4) expect(r.byId[k]).toBe(f);
            else expect(r.byId[k]).toBeUndefined();
          });
        }
        // Each batch holds at least the rows asked for, but the last.
        for (const b of batches.slice(0, -1)) expect(b.rows).toBeGreaterThanOrEqual(rows);
      }
    }
  });

  it("gives the same records when each batch is handed back once read, its arrays then holding a later batch", async () => {
    const random = seededRandom(11);
    const lines = ["id,colour,note"];
    for (let i = 0; i < 3000; i++) lines.push(`${i},${["red", "green", "blue"][Math.floor(random() * 3)]},${random() < 0.1 ? '"a, b"' : "x".repeat(i % 50)}`);
    const text = lines.join("\n");
    const kept = await readByBytes(text, 1000, 200);
    const released = await readByBytes(text, 1000, 200, true);
    expect(released.records).toEqual(kept.records);
    // Handed back, a batch's arrays collect the one after next (the next was collected while it was read).
    const [b0, , b2] = released.batches as [CsvByteBatch, CsvByteBatch, CsvByteBatch];
    expect(b2.ids.buffer).toBe(b0.ids.buffer);
    expect(b2.bytes.buffer).toBe(b0.bytes.buffer);
    // Kept, every batch has arrays of its own.
    const [k0, , k2] = kept.batches as [CsvByteBatch, CsvByteBatch, CsvByteBatch];
    expect(k2.ids.buffer).not.toBe(k0.ids.buffer);
  });

  it("gives one id per distinct value of a column, and -1 once the column's dictionary is full (the text still read from the bytes)", async () => {
    const random = seededRandom(7);
    const lines = ["id,colour"];
    for (let i = 0; i < 9000; i++) lines.push(`${i},${["red", "green", "blue"][Math.floor(random() * 3)]}`);
    const { records, batches } = await readByBytes(lines.join("\n"), 4096, 512);
    expect(records.map((r) => Number(r.fields[0]))).toEqual(Array.from({ length: 9000 }, (_, i) => i));
    const colourIds = new Map<string, Set<number>>();
    let idsOfId = 0;
    for (const b of batches) {
      for (let i = 0; i < b.rows; i++) {
        const o = b.first[i] as number;
        const colour = b.text(o + 1);
        const set = colourIds.get(colour) ?? new Set();
        set.add(b.ids[o + 1] as number);
        colourIds.set(colour, set);
        if ((b.ids[o] as number) >= 0) idsOfId++;
      }
    }
    expect([...colourIds.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    // The id column's dictionary took its first 4,096 values and no more.
    expect(idsOfId).toBe(4096);
    expect(records.every((r) => r.byId[0] === undefined || r.byId[0] === r.fields[0])).toBe(true);
  });

  it("can be read once, like the stream's other faces, and its values are read after it", async () => {
    const csv = await readCsv(chunked(TRICKY, 16));
    expect(() => csv.valueText(0, 0)).toThrow(/byteBatches/);
    for await (const _ of csv.byteBatches()) {
      // drained
    }
    await expect(async () => {
      for await (const _ of csv.records) {
        // a second pass
      }
    }).rejects.toThrow(/scanned once/);
  });
});

describe("CsvRowBytes.fieldBytes", () => {
  it("writes the bytes field() writes for their text: quoted and doubled alike", () => {
    const random = seededRandom(11);
    const pieces = ["a", " ", ",", '"', "\n", "\r", "é", "日本", "x".repeat(20), ";", "\t"];
    const values = ["", " ", '"', "plain", "  padded  ", "x".repeat(40), 'long "quoted" text over sixteen bytes'];
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(random() * 6);
      values.push(Array.from({ length: n }, () => pieces[Math.floor(random() * pieces.length)]).join(""));
    }
    for (const delimiter of [",", ";"]) {
      const byText = new CsvRowBytes(delimiter);
      const byBytes = new CsvRowBytes(delimiter);
      for (let i = 0; i < values.length; i += 3) {
        const row = values.slice(i, i + 3);
        for (const v of row) {
          byText.field(v);
          const bytes = Buffer.from(`..${v}..`, "utf8");
          byBytes.fieldBytes(bytes, 2, bytes.length - 2);
        }
        byText.endRow();
        byBytes.endRow();
      }
      expect(Buffer.from(byBytes.take()).toString("utf8")).toBe(Buffer.from(byText.take()).toString("utf8"));
    }
  });
});

describe("CsvRowBytes.record", () => {
  it("writes a byte batch's record as field() writes its fields' text: plain records copied whole, the others field by field", async () => {
    const random = seededRandom(13);
    const pieces = ["a", "12", " ", '"', "x,y", "é", "", "line\nbreak", "7.5", "  "];
    for (const delimiter of [",", ";"]) {
      const lines = ["a,b,c,d".replaceAll(",", delimiter)];
      for (let i = 0; i < 3000; i++) {
        const width = random() < 0.05 ? 1 + Math.floor(random() * 6) : 4;
        const cells = Array.from({ length: width }, () =>
          random() < 0.6 ? String(Math.floor(random() * 1000)) : (pieces[Math.floor(random() * pieces.length)] as string),
        );
        lines.push(formatCsvRow(cells, delimiter).trimEnd());
      }
      const text = `${lines.join("\n")}\n`;
      const csv = await readCsv(chunked(text, 4096));
      const byRecord = new CsvRowBytes();
      const byField = new CsvRowBytes();
      let plain = 0;
      for await (const batch of csv.byteBatches(500)) {
        for (let i = 0; i < batch.rows; i++) {
          byRecord.record(batch, i);
          byRecord.field("score");
          byRecord.endRow();
          const from = batch.first[i] as number;
          const to = batch.first[i + 1] as number;
          for (let o = from; o < to; o++) byField.field(batch.text(o));
          byField.field("score");
          byField.endRow();
          if (batch.bytes[(batch.starts[from] as number) - 1] !== 0x22 && !/[" \n]/.test(batch.text(from))) plain++;
        }
      }
      const a = Buffer.from(byRecord.take()).toString("utf8").split("\n");
      const b = Buffer.from(byField.take()).toString("utf8").split("\n");
      expect(a).toEqual(b);
      expect(plain).toBeGreaterThan(1000);
    }
  });
});
