import { describe, expect, it } from "vitest";
import { duckDbThreads, MEMORY_PER_THREAD, memoryBytes } from "./duckdb.js";

describe("DuckDB's memory setting and threads", () => {
  it("reads the units DuckDB reads: KB, MB, GB, TB as powers of 1000, KiB … TiB of 1024, bare bytes", () => {
    expect(memoryBytes("160MB")).toBe(160e6);
    expect(memoryBytes("1.5 GiB")).toBe(1.5 * 2 ** 30);
    expect(memoryBytes("2gb")).toBe(2e9);
    expect(memoryBytes("512 KiB")).toBe(512 * 1024);
    expect(memoryBytes("1TB")).toBe(1e12);
    expect(memoryBytes("1000")).toBe(1000);
    expect(memoryBytes("80%")).toBeUndefined();
    expect(memoryBytes("lots")).toBeUndefined();
  });

  it("gives one thread per MEMORY_PER_THREAD of a limit, at least one and at most the cores; named threads and no limit are left alone", () => {
    expect(duckDbThreads({ memoryLimit: "160MB" }, 8)).toBe(1);
    expect(duckDbThreads({ memoryLimit: "100MB" }, 8)).toBe(1);
    expect(duckDbThreads({ memoryLimit: "256MB" }, 8)).toBe(2);
    expect(duckDbThreads({ memoryLimit: `${(3 * MEMORY_PER_THREAD) / 1e6}MB` }, 8)).toBe(3);
    expect(duckDbThreads({ memoryLimit: "64GB" }, 4)).toBe(4);
    expect(duckDbThreads({ memoryLimit: "160MB", threads: 2 }, 8)).toBe(2);
    expect(duckDbThreads({}, 8)).toBeUndefined();
    expect(duckDbThreads({ memoryLimit: "80%" }, 8)).toBeUndefined();
  });
});
