import { describe, expect, it } from "vitest";
import { parseNumber } from "./values.js";

describe("parseNumber", () => {
  it("never reads a blank or a word as zero (Number('') is 0, this is not)", () => {
    expect(parseNumber("")).toBeUndefined();
    expect(parseNumber(" ")).toBeUndefined();
    expect(parseNumber("abc")).toBeUndefined();
    expect(parseNumber("0x10")).toBeUndefined();
    expect(parseNumber("Infinity")).toBeUndefined();
  });
  it("reads integers, decimals and exponents", () => {
    expect(parseNumber("0")).toBe(0);
    expect(parseNumber("-12")).toBe(-12);
    expect(parseNumber("29.85")).toBe(29.85);
    expect(parseNumber(".5")).toBe(0.5);
    expect(parseNumber("1e3")).toBe(1000);
  });
});
