import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { refuseBinary, refuseBinaryBytes, refuseJson, utf8Text, utf16Of, windows1252ToUtf8 } from "./decode.js";

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(Buffer.from(c));
  return Buffer.concat(out);
}

async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** `text` in UTF-16 (little- or big-endian), with or without its byte-order mark. */
function utf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const le = Buffer.from((bom ? "\ufeff" : "") + text, "utf16le");
  return bigEndian ? le.swap16() : le;
}

const TEXT = 'name,city,y\nZoë,Kraków,yes\n"a\nb",東京 🚀,no\r\nplain,ascii,yes\n';

describe("refuseBinary", () => {
  it.each([
    ["zip", [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], /a zip archive \(an Excel \.xlsx workbook is one too\), not a CSV: unzip it/],
    ["xls", [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0], /Excel 97-2003 workbook .*save the sheet as CSV/],
    ["parquet", [...Buffer.from("PAR1"), 0x15], /a Parquet file, not a CSV: give it the \.parquet extension/],
    ["bzip2", [...Buffer.from("BZh9")], /compressed with bzip2/],
    ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0], /compressed with xz/],
    ["zstd", [0x28, 0xb5, 0x2f, 0xfd, 0], /compressed with zstd/],
    ["sqlite", [...Buffer.from("SQLite format 3\0")], /a SQLite database/],
    ["arrow", [...Buffer.from("ARROW1"), 0, 0], /an Arrow \(Feather\) file, not a CSV: write it as Parquet or CSV/],
    ["pdf", [...Buffer.from("%PDF-1.7\n")], /a PDF document, not a CSV/],
    ["png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], /a PNG image, not a CSV/],
    ["jpeg", [0xff, 0xd8, 0xff, 0xe0], /a JPEG image, not a CSV/],
    ["gif", [...Buffer.from("GIF89a")], /a GIF image, not a CSV/],
  ])("refuses %s, saying what it is and what to do", (_, bytes, message) => {
    expect(() => refuseBinary(Uint8Array.from(bytes), "in.csv")).toThrow(InputError);
    expect(() => refuseBinary(Uint8Array.from(bytes), "in.csv")).toThrow(message);
  });
  it("lets text through, whatever it starts with", () => {
    for (const text of ["PK,value\n1,2\n", "PAR,x\n", "BZ,h\n", "a,b\n"]) expect(() => refuseBinary(Buffer.from(text), "in.csv")).not.toThrow();
  });
});

describe("refuseBinaryBytes", () => {
  it("refuses a binary file of a kind without a signature: NUL bytes over 1% of its first block", () => {
    const binary = Buffer.alloc(4096, 7);
    for (let i = 0; i < 4096; i += 50) binary[i] = 0;
    expect(() => refuseBinaryBytes(binary, "model.bin")).toThrow(
      /^model\.bin is a binary file \(4096 of its first 4096 bytes are control characters, 82 of them NUL, which text does not hold\), not a CSV/,
    );
    // Bytes drawn at random (an encrypted or compressed file of an unknown kind): ~11% control characters.
    let state = 7;
    const noise = Buffer.from(
      Array.from({ length: 3000 }, () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state >>> 23;
      }),
    );
    expect(() => refuseBinaryBytes(noise, "data.enc")).toThrow(/^data\.enc is a binary file/);
  });
  it("reads text with a stray NUL as it was (some databases pad fields with one)", () => {
    expect(() => refuseBinaryBytes(Buffer.from(`a,b\n${"x,1\n".repeat(200)}pad\0,2\nesc\u001b[0m,3\n`), "export.csv")).not.toThrow();
    expect(() => refuseBinaryBytes(Buffer.from(TEXT), "in.csv")).not.toThrow();
  });
});

describe("refuseJson", () => {
  it("refuses JSON Lines and a JSON array of records, saying how to convert them", () => {
    const lines = Buffer.from('{"age": 39, "income": "<=50K"}\n{"age": 50, "income": ">50K"}\n');
    expect(() => refuseJson(lines, "adult.jsonl")).toThrow(InputError);
    expect(() => refuseJson(lines, "adult.jsonl")).toThrow(
      `adult.jsonl is JSON Lines (a JSON record a line), not a CSV: pipe reads CSV and Parquet files and DuckDB or ClickHouse tables; convert it first, e.g. with DuckDB: duckdb -c "COPY (SELECT * FROM read_json('adult.jsonl')) TO 'data.parquet'" and pass data.parquet`,
    );
    expect(() => refuseJson(Buffer.from('\uFEFF  [\n  {"age": 39},\n  {"age": 50}\n]\n'), "adult.json")).toThrow(
      /adult\.json is a JSON array of records, not a CSV/,
    );
  });
  it("leaves CSVs alone, a field of JSON among them", () => {
    for (const text of ['a,b\n1,"{""x"": 1}"\n', "{a},b\n1,2\n", "[1],x\n", '"{""a"":1}",b\n'])
      expect(() => refuseJson(Buffer.from(text), "in.csv")).not.toThrow();
  });
});

describe("utf16Of", () => {
  it("reads the byte-order mark, or the zero bytes of mostly-ASCII text", () => {
    expect(utf16Of(utf16(TEXT, false, true))).toBe("UTF-16LE");
    expect(utf16Of(utf16(TEXT, true, true))).toBe("UTF-16BE");
    expect(utf16Of(utf16(TEXT, false, false))).toBe("UTF-16LE");
    expect(utf16Of(utf16(TEXT, true, false))).toBe("UTF-16BE");
  });
  it("leaves UTF-8 and Latin-1 alone", () => {
    expect(utf16Of(Buffer.from(TEXT, "utf8"))).toBeUndefined();
    expect(utf16Of(Buffer.from("café,crème\n1,2\n", "latin1"))).toBeUndefined();
    expect(utf16Of(Buffer.from("\ufeffa,b\n1,2\n", "utf8"))).toBeUndefined();
  });
});

describe("utf8Text", () => {
  it.each([
    [false, true],
    [true, true],
    [false, false],
    [true, false],
  ])("converts UTF-16 (big-endian %s, mark %s) in chunks of any size, split characters and surrogate pairs joined", async (bigEndian, bom) => {
    const bytes = utf16(TEXT, bigEndian, bom);
    for (const size of [1, 2, 3, 5, 7, 4096]) {
      let seen: string | undefined;
      const out = await collect(
        utf8Text(inChunks(bytes, size), "u.csv", (e) => {
          seen = e;
        }),
      );
      expect(out.toString("utf8")).toBe(TEXT);
      expect(seen).toBe(bigEndian ? "UTF-16BE" : "UTF-16LE");
    }
  });
  it("passes other bytes through as they are", async () => {
    const bytes = Buffer.from(`\ufeff${TEXT}`, "utf8");
    let seen: string | undefined;
    expect(
      (
        await collect(
          utf8Text(inChunks(bytes, 3), "u.csv", (e) => {
            seen = e;
          }),
        )
      ).equals(bytes),
    ).toBe(true);
    expect(seen).toBeUndefined();
  });
  it("refuses an archive even when it arrives a few bytes at a time", async () => {
    await expect(collect(utf8Text(inChunks(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 1), "data.zip"))).rejects.toThrow(/data\.zip is a zip archive/);
  });
});

describe("windows1252ToUtf8", () => {
  it("reads 0x80–0x9F as Windows puts them (€ ‘ ’ “ ” – — …), the rest as Latin-1, ASCII unchanged", () => {
    const bytes = Buffer.from([0x80, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x85, 0x8a, 0x9f, 0x81, 0xe9, 0xa0, 0xff, 0x2c, 0x0a, 0x41]);
    expect(Buffer.from(windows1252ToUtf8(bytes)).toString("utf8")).toBe("€‘’“”–—…ŠŸ\u0081é\u00a0ÿ,\nA");
    const ascii = Buffer.from("a,b\n1,2\n");
    expect(windows1252ToUtf8(ascii)).toBe(ascii);
  });
});
