import { createHash } from "node:crypto";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashFileAside } from "./lineage.js";

const dir = mkdtempSync(join(tmpdir(), "pipe-lineage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hashFileAside", () => {
  it("gives the file's SHA-256, computed on another thread", async () => {
    const file = join(dir, "rows.csv");
    // Several read chunks' worth, so the hash spans chunk boundaries.
    const text = Array.from({ length: 200_000 }, (_, i) => `${i},row ${i}\n`).join("");
    writeFileSync(file, text);
    const aside = hashFileAside(file);
    expect(await aside.sha256()).toBe(createHash("sha256").update(text).digest("hex"));
    await aside.stop();
  });

  it("gives null for a file that changed while it was read, and for one that does not exist", async () => {
    const file = join(dir, "moving.csv");
    writeFileSync(file, "a,b\n1,2\n");
    const aside = hashFileAside(file);
    await new Promise((resolve) => setTimeout(resolve, 50));
    appendFileSync(file, "3,4\n");
    expect(await aside.sha256()).toBeNull();
    await aside.stop();
    const missing = hashFileAside(join(dir, "missing.csv"));
    expect(await missing.sha256()).toBeNull();
    await missing.stop();
  });
});
