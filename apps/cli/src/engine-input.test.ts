import { describe, expect, it } from "vitest";
import { duckDbMemoryLimit } from "./engine-input.js";

describe("DuckDB's memory limit per stage", () => {
  it("is the configured one; else 256MB for predict, which only streams the table, and DuckDB's own for etl and train", () => {
    expect(duckDbMemoryLimit("2GB", "predict")).toBe("2GB");
    expect(duckDbMemoryLimit("64MB", "etl")).toBe("64MB");
    expect(duckDbMemoryLimit(undefined, "predict")).toBe("256MB");
    expect(duckDbMemoryLimit(undefined, "etl")).toBeUndefined();
    expect(duckDbMemoryLimit(undefined, "train")).toBeUndefined();
  });
});
