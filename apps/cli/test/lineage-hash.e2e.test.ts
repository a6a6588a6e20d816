import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

// `pipe etl` records its input's SHA-256 in etl_report.json (and so in the model's lineage): a large
// local file is hashed on another thread while the ETL reads it, a small one as it is read. Both must
// give the file's own hash.
const tmp = tempDir("pipe-lineage-hash-");
afterAll(tmp.cleanup);

function rows(count: number): string {
  const random = seededRandom(7);
  const lines = ["amount,region,churn"];
  for (let i = 0; i < count; i++) lines.push(`${(random() * 1000).toFixed(2)},${["north", "south", "east"][i % 3]},${random() < 0.3 ? "yes" : "no"}`);
  return `${lines.join("\n")}\n`;
}

describe("the input's SHA-256 in etl_report.json", () => {
  it.each([
    ["a large file (hashed on another thread)", 700_000],
    ["a small file (hashed as read)", 500],
  ])("is the file's own for %s", (_, count) => {
    const text = rows(count);
    const input = join(tmp.dir, `rows-${count}.csv`);
    writeFileSync(input, text);
    const out = join(tmp.dir, `out-${count}`);
    const r = pipe(["etl", "--input", input, "--target", "churn", "--out", out, "--quiet"], tmp.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "etl_report.json"), "utf8"));
    expect(report.input_sha256).toBe(createHash("sha256").update(text).digest("hex"));
    if (count > 1000) expect(Buffer.byteLength(text)).toBeGreaterThan(8 * 1024 * 1024);
  });
});
