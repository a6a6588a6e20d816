import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordFields } from "../csv/parser.js";
import { pushInChunks } from "../csv/push-chunks.test-util.js";
import { hashLine, LineMemo } from "./line-memo.js";
import { CsvTokenizer, type RecordView } from "./tokenizer.js";

/** `line` copied at `offset` into a fresh buffer seen through a slice starting at `base` (odd offsets included). */
function placed(line: string, base: number, offset: number): { bytes: Buffer; start: number; end: number } {
  const raw = Buffer.from(line, "latin1");
  const backing = Buffer.alloc(base + offset + raw.length + 9, 0x2c);
  const bytes = backing.subarray(base);
  raw.copy(bytes, offset);
  return { bytes, start: offset, end: offset + raw.length };
}

function remember(memo: LineMemo, line: string, payload: number): void {
  const { bytes, start, end } = placed(line, 0, 0);
  expect(memo.find(bytes, start, end)).toBe(-1);
  memo.add(bytes, start, end, memo.hash, payload);
}

describe("LineMemo", () => {
  it("finds a remembered line wherever its bytes sit (every alignment of buffer and offset)", () => {
    const memo = new LineMemo();
    const lines = ["39, State-gov, 77516, Bachelors, 13, <=50K", "a", "abc", "abcd", "abcde", "x,y,z,1234567"];
    for (const [k, line] of lines.entries()) remember(memo, line, 100 + k);
    for (const [k, line] of lines.entries()) {
      for (let base = 0; base < 4; base++) {
        for (let offset = 0; offset < 8; offset++) {
          const { bytes, start, end } = placed(line, base, offset);
          expect(memo.find(bytes, start, end)).toBe(100 + k);
        }
      }
    }
  });

  it("tells apart lines that differ in any one byte, or in length", () => {
    const memo = new LineMemo();
    const line = "50, Self-emp-not-inc, 83311, Bachelors, 13";
    remember(memo, line, 7);
    for (let k = 0; k < line.length; k++) {
      const changed = `${line.slice(0, k)}${line[k] === "x" ? "y" : "x"}${line.slice(k + 1)}`;
      for (let offset = 0; offset < 4; offset++) {
        const { bytes, start, end } = placed(changed, 1, offset);
        expect(memo.find(bytes, start, end)).toBe(-1);
      }
    }
    for (const other of [line.slice(0, -1), `${line} `, `${line}3`]) {
      const { bytes, start, end } = placed(other, 0, 0);
      expect(memo.find(bytes, start, end)).toBe(-1);
    }
  });

  it("hashes the same bytes the same wherever they are, word by word as byte by byte", () => {
    const a = placed("Never-married, Adm-clerical", 0, 0);
    const expected = hashLine(a.bytes, a.start, a.end);
    expect(expected).not.toBe(hashLine(a.bytes, a.start, a.end - 1));
    for (let base = 0; base < 4; base++) {
      for (let offset = 0; offset < 8; offset++) {
        const b = placed("Never-married, Adm-clerical", base, offset);
        expect(hashLine(b.bytes, b.start, b.end)).toBe(expected);
        const memo = new LineMemo();
        expect(memo.find(b.bytes, b.start, b.end)).toBe(-1);
        expect(memo.hash).toBe(expected);
      }
    }
    // A line that ends in its buffer's last, partial word is read byte by byte: same hash.
    const tight = Buffer.from("xNever-married, Adm-clerical").subarray(1);
    const memo = new LineMemo();
    memo.find(tight, 0, tight.length);
    expect(memo.hash).toBe(expected);
  });

  it("stops remembering past its byte budget, and gives up when few lines repeat", () => {
    const small = new LineMemo(64);
    for (let k = 0; k < 10; k++) remember(small, `line number ${k}`, k);
    expect(small.size).toBeLessThan(10);
    expect(small.size).toBeGreaterThan(0);
    const { bytes, start, end } = placed("line number 0", 0, 0);
    expect(small.find(bytes, start, end)).toBe(0);

    const trial = new LineMemo(1 << 20, 100);
    for (let k = 0; k < 99; k++) remember(trial, `unique ${k}`, k);
    expect(trial.active).toBe(true);
    remember(trial, "unique 99", 99);
    expect(trial.active).toBe(false);
    expect(trial.size).toBe(0);
  });
});

describe("CsvTokenizer with a LineMemo (property)", () => {
  // Lines a memo may take (plain, CRLF) and lines it must leave to the tokenizer (quoted, multi-line, blank, lone CR).
  const pool = ["1,a,x", "1,a,x\r", "22,bb,yy", '3,"c,d",z', '4,"two\nlines",w', "", "5,e", "6,f,\rg", " 1,a,x", "1,a,x,"];
  it("reports the same records, at the same lines, as tokenizing every line, whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: pool.length - 1 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (picks, cutsRaw, finalNewline) => {
          const text = picks.map((k) => pool[k]).join("\n") + (finalNewline ? "\n" : "");
          const bytes = Buffer.from(text, "utf8");
          const cuts = [...new Set(cutsRaw.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          expect(tokenizeWith(bytes, cuts, false)).toEqual(tokenizeWith(bytes, cuts, true));
        },
      ),
      { numRuns: 400, seed: 20261129 },
    );
  });

  it("skips the tokenizer for repeated lines", () => {
    const bytes = Buffer.from("a,b\n1,2\n1,2\r\n3,4\n1,2\n", "utf8");
    const memo = new LineMemo();
    const visited: number[] = [];
    const repeated: [number, number][] = [];
    const t = new CsvTokenizer({ delimiter: ",", repeats: { memo, repeat: (payload, line) => repeated.push([payload, line]) } });
    const visit = (v: RecordView) => {
      visited.push(v.line);
      if (v.lineEnd >= 0) memo.add(v.bytes, v.lineStart, v.lineEnd, v.lineHash, v.line);
    };
    t.push(bytes, visit);
    t.end(visit);
    expect(visited).toEqual([1, 2, 4]);
    expect(repeated).toEqual([
      [2, 3],
      [2, 5],
    ]);
  });
});

/** Records (line and fields) of `bytes` cut at `cuts`; with the memo, repeats are filled in from what was remembered. */
function tokenizeWith(bytes: Buffer, cuts: number[], withMemo: boolean): { line: number; fields: string[] }[] {
  const memo = new LineMemo();
  const remembered: string[][] = [];
  const out: { line: number; fields: string[] }[] = [];
  const repeat = (payload: number, line: number) => out.push({ line, fields: [...(remembered[payload] as string[])] });
  const t = new CsvTokenizer({ delimiter: ",", ...(withMemo ? { repeats: { memo, repeat } } : {}) });
  const visit = (v: RecordView) => {
    const fields = recordFields(v, "utf8");
    out.push({ line: v.line, fields });
    if (withMemo && v.lineEnd >= 0) {
      memo.add(v.bytes, v.lineStart, v.lineEnd, v.lineHash, remembered.length);
      remembered.push(fields);
    }
  };
  pushInChunks(t, bytes, cuts, visit);
  return out;
}
