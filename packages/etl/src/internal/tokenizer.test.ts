import { describe, expect, it } from "vitest";
import { recordFields } from "../csv/parser.js";
import { pushInChunks } from "../csv/push-chunks.test-util.js";
import { CsvFormatError } from "../errors.js";
import { CsvTokenizer, hashBytes, hashBytes2, type RecordView } from "./tokenizer.js";

/** Tokenizes `bytes` cut into the given chunk sizes; returns fields (decoded), lines and hash checks. */
function tokenize(bytes: Buffer, cuts: number[], encoding: "utf8" | "latin1" = "utf8") {
  const t = new CsvTokenizer({ delimiter: ",", file: "t.csv" });
  const out: { line: number; fields: string[] }[] = [];
  let hashesMatch = true;
  const visit = (v: RecordView) => {
    out.push({ line: v.line, fields: recordFields(v, encoding) });
    for (let k = 0; k < v.count; k++) {
      const s = v.starts[k] as number;
      const e = v.ends[k] as number;
      if (v.hashes[k] !== hashBytes(v.bytes, s, e) || v.hashes2[k] !== hashBytes2(v.bytes, s, e)) hashesMatch = false;
    }
  };
  pushInChunks(t, bytes, cuts, visit);
  return { out, hashesMatch };
}

describe("CsvTokenizer (bytes)", () => {
  const text = 'name,city,note\r\n"Zoë, née ""Ann""",Zürich,"two\nlines"\r\nbob,,€5\rlast,"",x';
  const bytes = Buffer.from(text, "utf8");

  it("gives fields without quotes, with doubled quotes undone, and the line each record starts on", () => {
    const { out, hashesMatch } = tokenize(bytes, []);
    expect(out).toEqual([
      { line: 1, fields: ["name", "city", "note"] },
      { line: 2, fields: ['Zoë, née "Ann"', "Zürich", "two\nlines"] },
      { line: 4, fields: ["bob", "", "€5"] },
      { line: 5, fields: ["last", "", "x"] },
    ]);
    expect(hashesMatch).toBe(true);
  });

  it("gives the same records and hashes for every place a chunk can end, even inside a UTF-8 character", () => {
    const whole = tokenize(bytes, []).out;
    for (let cut = 1; cut < bytes.length; cut++) {
      const { out, hashesMatch } = tokenize(bytes, [cut]);
      expect(out, `cut at byte ${cut}`).toEqual(whole);
      expect(hashesMatch).toBe(true);
    }
  });

  it("reads Latin-1 bytes with the same scan", () => {
    const latin = Buffer.from("a,b\nZo\xeb,caf\xe9\n", "latin1");
    expect(tokenize(latin, [6], "latin1").out[1]?.fields).toEqual(["Zoë", "café"]);
  });

  it("carries a quoted field of several megabytes across one-kilobyte chunks", () => {
    const big = "x".repeat(3 << 20);
    const data = Buffer.from(`a,b\n1,"${big}"\n2,z\n`);
    const cuts: number[] = [];
    for (let c = 1024; c < data.length; c += 1024) cuts.push(c);
    const { out } = tokenize(data, cuts);
    expect(out.map((r) => r.fields[0])).toEqual(["a", "1", "2"]);
    expect(out[1]?.fields[1]?.length).toBe(big.length);
  });

  it("names the line and field of an unterminated quote and of text after a closing quote", () => {
    expect(() => tokenize(Buffer.from('a,b\n1,"open\n2,3\n'), [])).toThrowError(/^t\.csv:2:2: .*unterminated quote/);
    try {
      tokenize(Buffer.from('a,b\n1,"x"y\n'), []);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CsvFormatError);
      expect((error as Error).message).toMatch(/^t\.csv:2:2: unexpected character "y" after a closing quote/);
    }
  });

  it("grows past 64 fields a record", () => {
    const row = Array.from({ length: 300 }, (_, i) => `v${i}`).join(",");
    const { out } = tokenize(Buffer.from(`${row}\n"q",${row}\n`), []);
    expect(out[0]?.fields).toHaveLength(300);
    expect(out[1]?.fields).toHaveLength(301);
    expect(out[1]?.fields[300]).toBe("v299");
  });
});
