import { describe, expect, it } from "vitest";
import { num, textTable } from "./table.js";

describe("textTable", () => {
  it("aligns text left and numbers right", () => {
    expect(
      textTable(
        ["name", "n"],
        [
          ["a", "1"],
          ["long name", "1000"],
        ],
        [false, true],
      ),
    ).toBe("name          n\n---------  ----\na             1\nlong name  1000");
  });
});

describe("num", () => {
  it("writes readable numbers", () => {
    expect(num(2283.300441)).toBe("2283");
    expect(num(0.16214681)).toBe("0.1621");
    expect(num(12)).toBe("12");
    expect(num(0.00001234)).toBe("1.23e-5");
    expect(num(Number.NaN)).toBe("n/a");
  });
});
