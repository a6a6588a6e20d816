import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashAscii2, plainState, readPlainNumber } from "./plain-number.js";
import { hashString1, hashString2 } from "./row-hash-set.js";
import { hashBytes } from "./tokenizer.js";

const read = (s: string) => readPlainNumber(Buffer.from(s), 0, Buffer.byteLength(s));

describe("readPlainNumber", () => {
  it("equals Number(text) bit for bit on plain decimals, and says integer or not", () => {
    for (const s of ["0", "-0", "+5", "007", "5.", ".5", "-12.345", "199999.99", "123456789012345", "0.00000000000001"]) {
      expect(Object.is(read(s), Number(s)), s).toBe(true);
    }
    read("42");
    expect(plainState.integer).toBe(true);
    read("42.0");
    expect(plainState.integer).toBe(false);
  });

  it("leaves every other shape to the string path", () => {
    for (const s of ["", "-", ".", " 1", "1 ", "1e5", "1,5", "1.2.3", "NaN", "1234567890123456", "0x10"]) expect(read(s), s).toBeNaN();
  });

  it("agrees with Number on random decimals of up to 15 digits", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 15 }), (m, k) => {
        const digits = (m < 0n ? -m : m).toString().padStart(k + 1, "0");
        const text = `${m < 0n ? "-" : ""}${k === 0 ? digits : `${digits.slice(0, -k)}.${digits.slice(-k)}`}`;
        if (digits.length > 15) return;
        expect(Object.is(read(text), Number(text))).toBe(true);
      }),
      { numRuns: 2000, seed: 20261129 },
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
