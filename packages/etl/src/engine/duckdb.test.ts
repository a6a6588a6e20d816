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

  it("runs a statement that ran out of memory on several threads again on one, which stays, unless the threads were named", async () => {
    const threadsOf = async (engine: Awaited<ReturnType<typeof openDuckDb>>) => Number((await engine.rows("SELECT current_setting('threads') AS t"))[0]?.t);
    const chosen = await openDuckDb({ memoryLimit: "20MB" });
    try {
      const before = await threadsOf(chosen);
      expect(before).toBeGreaterThanOrEqual(1);
      // Out of memory on any number of threads: the second failure is the one reported.
      const failed = await chosen.run("SELECT length(list(i)) FROM range(10000000) t(i)").catch((error: unknown) => error);
      expect((failed as EngineError).outOfMemory).toBe(true);
      expect(await threadsOf(chosen)).toBe(1);
    } finally {
      await chosen.close();
    }
    const named = await openDuckDb({ memoryLimit: "20MB", threads: 2 });
    try {
      await named.run("SELECT length(list(i)) FROM range(10000000) t(i)").catch(() => undefined);
      expect(await threadsOf(named)).toBe(2);
    } finally {
      await named.close();
    }
  });
});
