import { describe, expect, it } from "vitest";
import { batchRows } from "./predict.js";

describe("batchRows", () => {
  it("scores 8,192 rows at once up to 32 columns, fewer of a wider file, never under 1,024", () => {
    expect(batchRows(14)).toBe(8192);
    expect(batchRows(32)).toBe(8192);
    expect(batchRows(33)).toBe(4096);
    expect(batchRows(61)).toBe(4096);
    expect(batchRows(200)).toBe(1024);
    expect(batchRows(5000)).toBe(1024);
    expect(batchRows(0)).toBe(8192);
  });
});
