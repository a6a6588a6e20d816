import { describe, expect, it } from "vitest";
import { numberKind, parseNumber } from "./values.js";

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

describe("numberKind agrees with the number grammar", () => {
  const grammar = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
  it.each([
    "0",
    "-12",
    "+3",
    "29.85",
    ".5",
    "5.",
    "1e3",
    "1E-3",
    "-2.5e+10",
    "",
    "-",
    "+",
    ".",
    "e5",
    "1e",
    "1e+",
    "12a",
    "a12",
    " 1",
    "1 ",
    "0x10",
    "1.2.3",
    "--1",
    "Infinity",
    "NaN",
    "١٢",
  ])("%j", (t) => {
    const kind = numberKind(t);
    expect(kind !== 0).toBe(grammar.test(t));
    if (kind !== 0) expect(kind === 2).toBe(/^[-+]?\d+$/.test(t));
  });
});
