import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashAscii2, plainState, readPlainNumber } from "./plain-number.js";
import { hashString1, hashString2 } from "./row-hash-set.js";
import { hashBytes } from "./tokenizer.js";

const read = (s: string) => readPlainNumber(Buffer.from(s), 0, Buffer.byteLength(s));

describe("readPlainNumber", () => {
  it("equals Number(text) bit for bit on plain decimals, and says integer or not", () => {
    const doubles = ["11.543235370293889", "-0.30000000000000004", "1234567890123456", "12345678901234567890", "0.1000000000000000055511151231257827"];
    for (const s of ["0", "-0", "+5", "007", "5.", ".5", "-12.345", "199999.99", "123456789012345", "0.00000000000001", ...doubles]) {
      expect(Object.is(read(s), Number(s)), s).toBe(true);
    }
    read("42");
    expect(plainState.integer).toBe(true);
    read("42.0");
    expect(plainState.integer).toBe(false);
    read("12345678901234567890");
    expect(plainState.integer).toBe(true);
    read("11.543235370293889");
    expect(plainState.integer).toBe(false);
  });

  it("leaves every other shape to the string path", () => {
    const huge = "9".repeat(41);
    for (const s of ["", "-", ".", " 1", "1 ", "1e5", "1,5", "1.2.3", "NaN", "0x10", "1.23456789012345678x", huge]) expect(read(s), s).toBeNaN();
  });

  it("agrees with Number on random decimals of up to 15 digits, and of up to 25 (doubles written in full)", () => {
    for (const most of [15, 25]) {
      fc.assert(
        fc.property(fc.bigInt({ min: -(10n ** BigInt(most)) + 1n, max: 10n ** BigInt(most) - 1n }), fc.integer({ min: 0, max: most }), (m, k) => {
          const digits = (m < 0n ? -m : m).toString().padStart(k + 1, "0");
          const text = `${m < 0n ? "-" : ""}${k === 0 ? digits : `${digits.slice(0, -k)}.${digits.slice(-k)}`}`;
          expect(Object.is(read(text), Number(text)), text).toBe(true);
          expect(plainState.integer).toBe(k === 0);
        }),
        { numRuns: 2000, seed: 20261129 },
      );
    }
  });

  it("reads every double as JavaScript and Python print it (shortest round trip, 17 significant digits)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (x) => {
        for (const text of [String(x), x.toPrecision(17)]) {
          if (/e/i.test(text)) continue;
          expect(Object.is(read(text), Number(text)), text).toBe(true);
        }
      }),
      { numRuns: 3000, seed: 20261206 },
    );
  });

  it("hashes ASCII bytes as the string hashes hash their text", () => {
    for (const s of ["", "1", "-12.5", "199999.99"]) {
      const b = Buffer.from(s);
      expect(hashAscii2(b, 0, b.length)).toBe(hashString2(s));
      expect(hashBytes(b, 0, b.length)).toBe(hashString1(s));
    }
  });
});
