import { describe, expect, it } from "vitest";
import { isOutOfMemory, ThreadFallback } from "./thread-fallback.js";

const oom = () => new Error("Out of Memory Error: could not allocate block of size 256.0 KiB (244.1 MiB/244.1 MiB used)");

/** A statement that runs out of memory on more than `fits` threads, and the calls made. */
function statement(fallback: () => ThreadFallback, fits: number) {
  const calls: number[] = [];
  return {
    calls,
    run: async () => {
      calls.push(fallback().current);
      if (fallback().current > fits) throw oom();
      return "done";
    },
  };
}

describe("ThreadFallback", () => {
  it("runs a statement that ran out of memory on two chosen threads again on one, and keeps one after", async () => {
    const set: number[] = [];
    const f = new ThreadFallback(2, false, async (n) => {
      set.push(n);
    });
    const s = statement(() => f, 1);
    await expect(f.run(s.run)).resolves.toBe("done");
    expect(s.calls).toEqual([2, 1]);
    expect(set).toEqual([1]);
    await f.run(s.run);
    expect(s.calls).toEqual([2, 1, 1]);
    expect(set).toEqual([1]);
  });

  it("leaves named threads, a single thread and other errors alone", async () => {
    const named = new ThreadFallback(2, true, async () => undefined);
    await expect(named.run(statement(() => named, 1).run)).rejects.toThrow(/Out of Memory/);
    expect(named.current).toBe(2);
    const one = new ThreadFallback(1, false, async () => undefined);
    await expect(one.run(statement(() => one, 0).run)).rejects.toThrow(/Out of Memory/);
    const other = new ThreadFallback(2, false, async () => undefined);
    await expect(
      other.run(async () => {
        throw new Error("Binder Error: no such column");
      }),
    ).rejects.toThrow(/Binder/);
    expect(other.current).toBe(2);
  });

  it("reports the second failure when one thread does not fit either", async () => {
    const f = new ThreadFallback(2, false, async () => undefined);
    const s = statement(() => f, 0);
    await expect(f.run(s.run)).rejects.toThrow(/Out of Memory/);
    expect(s.calls).toEqual([2, 1]);
  });

  it("knows DuckDB's out-of-memory errors", () => {
    expect(isOutOfMemory(oom())).toBe(true);
    expect(isOutOfMemory(new Error("Binder Error"))).toBe(false);
    expect(isOutOfMemory("Out of Memory Error")).toBe(false);
  });
});
