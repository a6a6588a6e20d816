import { describe, expect, it } from "vitest";
import { ByteDictionary } from "./byte-dictionary.js";

const b = (s: string) => Buffer.from(s);

describe("ByteDictionary", () => {
  it("gives each distinct value one id, tells apart values that differ by a byte or by length", () => {
    const d = new ByteDictionary();
    const values = ["", " ", "a", "a ", "ab", "ba", "Private", " Private"];
    const ids = values.map((v) => d.intern(b(v), 0, b(v).length));
    expect(new Set(ids).size).toBe(values.length);
    expect(values.map((v) => d.intern(b(v), 0, b(v).length))).toEqual(ids);
    expect(d.size).toBe(values.length);
    // The same bytes at another offset are the same value.
    expect(d.intern(b("xxPrivatexx"), 2, 9)).toBe(ids[6]);
    expect(Buffer.from(d.bytesOf(ids[7] as number)).toString()).toBe(" Private");
  });

  it("keeps 65,536 values through its growth and refuses the next one", () => {
    const d = new ByteDictionary(1 << 16);
    for (let i = 0; i < 1 << 16; i++) expect(d.intern(b(String(i)), 0, String(i).length)).toBe(i);
    for (let i = 0; i < 1 << 16; i += 4099) expect(d.intern(b(String(i)), 0, String(i).length)).toBe(i);
    expect(d.intern(b("one more"), 0, 8)).toBe(-1);
    expect(d.overflowed).toBe(true);
    expect(d.intern(b("123"), 0, 3)).toBe(123);
  });

  it("refuses values once its text budget is spent", () => {
    const d = new ByteDictionary(1000, 10);
    expect(d.intern(b("12345"), 0, 5)).toBe(0);
    expect(d.intern(b("abcdef"), 0, 6)).toBe(-1);
    expect(d.intern(b("abcde"), 0, 5)).toBe(1);
  });
});
