import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ByteSource } from "../extract/source.js";
import { openCsv } from "./open.js";
import { readCsv } from "./read.js";

/** A source that records whether each opened pass was closed (its iterator's finally ran). */
function trackedSource(bytes: Buffer, chunk = 1000): { source: ByteSource; passes: { closed: boolean }[] } {
  const passes: { closed: boolean }[] = [];
  const source: ByteSource = {
    name: "tracked.csv",
    size: async () => bytes.length,
    async *open() {
      const pass = { closed: false };
      passes.push(pass);
      try {
        for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
      } finally {
        pass.closed = true;
      }
    },
  };
  return { source, passes };
}

const csv = Buffer.from(`a,b,y\n${Array.from({ length: 20_000 }, (_, i) => `${i},${i % 7},${i % 2}`).join("\n")}\n`);

describe("a source is closed however its reader ends", () => {
  it.each([
    ["plain", csv],
    ["gzip", gzipSync(csv)],
  ])("%s: a reader that stops after the first rows closes it", async (_, bytes) => {
    const { source, passes } = trackedSource(bytes);
    const stream = await readCsv(source);
    let seen = 0;
    for await (const _record of stream.records) if (++seen === 20) break;
    expect(passes).toEqual([{ closed: true }]);
  });

  it("a reader that reads to the end closes it", async () => {
    const { source, passes } = trackedSource(csv);
    const stream = await readCsv(source);
    for await (const _record of stream.records);
    expect(passes).toEqual([{ closed: true }]);
  });

  it("a file that cannot be opened as CSV closes it before the error", async () => {
    const { source, passes } = trackedSource(Buffer.from("\n\n\n"));
    await expect(openCsv(source)).rejects.toThrow(/no records|empty/);
    expect(passes).toEqual([{ closed: true }]);
  });

  it("an opened CSV that is never scanned can be closed", async () => {
    const { source, passes } = trackedSource(csv);
    const opened = await openCsv(source);
    expect(opened.columns).toEqual(["a", "b", "y"]);
    await opened.close();
    expect(passes).toEqual([{ closed: true }]);
  });
});
