import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../../../test-support/index.js";
import { EngineError } from "../errors.js";
import { writeThroughTemporary } from "../load/atomic.js";
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

  it("writes a query's lines as they are, in its order, and counts them (the processed file's writer)", async () => {
    const tmp = tempDir("pipe-duck-lines-");
    const engine = await openDuckDb({ threads: 2 });
    try {
      // Text a CSV writer would quote or split, the delimiter it is told to use, a control character, an empty line.
      const texts = ['a,"b"\nc', "", '"q"', " s ", "é€\rz", "a\\x01b", "c\u0001d", "x;y\tz"];
      const values = texts.map((t, k) => `(${engine.dialect.text(t)}, ${texts.length - k})`).join(", ");
      const path = join(tmp.dir, "lines.txt");
      const written = await engine.writeLines?.(`SELECT x FROM (VALUES ${values}) t(x, n) ORDER BY n DESC`, path);
      expect(written).toBe(texts.length);
      expect(readFileSync(path, "utf8")).toBe(texts.map((t) => `${t}\n`).join(""));
      // With a header: the column's name as it is, first (also over no rows).
      const headed = join(tmp.dir, "headed.txt");
      const name = 'x1,"q ""a""",é';
      expect(await engine.writeLines?.(`SELECT x AS ${engine.dialect.ident(name)} FROM (VALUES ('r1'), ('r,2')) t(x)`, headed, { header: true })).toBe(2);
      expect(readFileSync(headed, "utf8")).toBe(`${name}\nr1\nr,2\n`);
      expect(await engine.writeLines?.(`SELECT 'r' AS ${engine.dialect.ident(name)} WHERE 1 = 0`, headed, { header: true })).toBe(0);
      expect(readFileSync(headed, "utf8")).toBe(`${name}\n`);
      // Many rows keep their order (DuckDB may reorder rows unless a query orders them: preserve_insertion_order is off).
      const many = join(tmp.dir, "many.txt");
      expect(await engine.writeLines?.("SELECT 'row ' || i FROM range(300000) t(i) ORDER BY i DESC", many)).toBe(300000);
      const lines = readFileSync(many, "utf8").split("\n");
      expect(lines.length).toBe(300001);
      expect(lines.every((l, k) => k === 300000 || l === `row ${299999 - k}`)).toBe(true);
    } finally {
      await engine.close();
      tmp.cleanup();
    }
  });

  it("leaves the old file, and no temporary one, when the writer fails", async () => {
    const tmp = tempDir("pipe-duck-lines-");
    const engine = await openDuckDb();
    try {
      const path = join(tmp.dir, "processed.csv");
      writeFileSync(path, "old\n");
      const failed = await writeThroughTemporary(path, async (temporary) => {
        await engine.writeLines?.("SELECT 'new'", temporary);
        await engine.run("SELECT nope FROM range(1)");
      }).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(EngineError);
      expect(readFileSync(path, "utf8")).toBe("old\n");
      expect(readdirSync(tmp.dir)).toEqual(["processed.csv"]);
      await writeThroughTemporary(path, async (temporary) => {
        await engine.writeLines?.("SELECT 'new'", temporary);
      });
      expect(readFileSync(path, "utf8")).toBe("new\n");
    } finally {
      await engine.close();
      tmp.cleanup();
    }
  });
});
