import { afterEach, describe, expect, it, vi } from "vitest";
import { LineBlocks, serviceLogger } from "./log.js";

/** A destination that records what it is handed. */
function sink() {
  const writes: string[] = [];
  let synced = 0;
  return {
    writes,
    synced: () => synced,
    write: (block: Buffer) => writes.push(block.toString()),
    flush: (done: (error?: Error) => void) => done(),
    flushSync: () => {
      synced++;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("LineBlocks", () => {
  it("hands lines over in blocks of about 16 KB, in order, each line whole", () => {
    const s = sink();
    const blocks = new LineBlocks(s);
    const line = (i: number) => `{"n":${i},"pad":"${"x".repeat(180)}"}\n`;
    for (let i = 0; i < 200; i++) blocks.write(line(i));
    expect(s.writes.length).toBe(2);
    for (const w of s.writes) expect(Buffer.byteLength(w)).toBeGreaterThanOrEqual(16_384);
    blocks.release();
    expect(s.writes.join("")).toBe(Array.from({ length: 200 }, (_, i) => line(i)).join(""));
    blocks.close();
  });

  it("keeps multi-byte characters whole across blocks, and a line longer than a block whole", () => {
    const s = sink();
    const blocks = new LineBlocks(s);
    const lines = Array.from({ length: 300 }, (_, i) => `{"city":"Zürich ${"é".repeat(i % 97)} 東京","n":${i}}\n`);
    lines.splice(150, 0, `{"long":"${"ß".repeat(20_000)}"}\n`);
    for (const l of lines) blocks.write(l);
    blocks.release();
    expect(s.writes.join("")).toBe(lines.join(""));
    expect(s.writes).toContain(lines[150]);
    blocks.close();
  });

  it("writes what waits every flush period, on flush and synchronously at flushSync", async () => {
    vi.useFakeTimers();
    const s = sink();
    const blocks = new LineBlocks(s, 250);
    blocks.write("a\n");
    expect(s.writes).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(s.writes).toEqual(["a\n"]);
    vi.advanceTimersByTime(1000);
    expect(s.writes).toEqual(["a\n"]); // nothing waiting, nothing written
    blocks.write("b\n");
    await new Promise<void>((resolve) => blocks.flush(() => resolve()));
    expect(s.writes).toEqual(["a\n", "b\n"]);
    blocks.write("c\n");
    blocks.flushSync();
    expect(s.writes).toEqual(["a\n", "b\n", "c\n"]);
    expect(s.synced()).toBe(1);
    blocks.close();
    blocks.write("d\n");
    vi.advanceTimersByTime(1000);
    expect(s.writes).toEqual(["a\n", "b\n", "c\n"]); // closed: no timer any more
  });
});

describe("serviceLogger", () => {
  it("lets go of its exit handler when closed (a process may start and stop many services)", () => {
    // The first destination installs pino's own exit handler, once for the process.
    serviceLogger("silent").close();
    const before = process.listenerCount("exit");
    const services = Array.from({ length: 12 }, () => serviceLogger("silent"));
    expect(process.listenerCount("exit")).toBe(before + 12);
    for (const s of services) s.close();
    expect(process.listenerCount("exit")).toBe(before);
  });
});
