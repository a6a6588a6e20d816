import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import { openDuckDb } from "./duckdb.js";

describe("openDuckDb", () => {
  it("says when DuckDB ran out of the memory it may use, and what to change", async () => {
    const engine = await openDuckDb({ memoryLimit: "20MB", threads: 1 });
    try {
      // One list of ten million numbers: a value no operator can spill to disk.
      const failed = await engine.run("SELECT length(list(i)) FROM range(10000000) t(i)").catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(EngineError);
      expect((failed as EngineError).outOfMemory).toBe(true);
      expect((failed as EngineError).message).toMatch(
        /^DuckDB ran out of the memory it may use \(20MB\): Out of Memory Error.*give it more \(memoryLimit\) or fewer threads/,
      );
      // Any other refusal is not a matter of memory.
      const refused = await engine.run("SELECT nope FROM range(1)").catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(EngineError);
      expect((refused as EngineError).outOfMemory).toBe(false);
    } finally {
      await engine.close();
    }
  });
});
