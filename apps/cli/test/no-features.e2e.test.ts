import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const tmp = tempDir("pipe-no-features-e2e-");
afterAll(tmp.cleanup);

function csv(name: string, lines: string[]): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("a table whose only feature looks like row numbers", () => {
  it("trains on a year per row (vega-datasets' global-temp.csv: year, temp), which is a time axis, not an identifier", () => {
    const input = csv("temps.csv", ["year,warm", ...Array.from({ length: 144 }, (_, i) => `${1880 + i},${i > 90 || i % 17 === 0 ? "yes" : "no"}`)]);
    const run = pipe(["run", "--input", input, "--target", "warm", "--out", join(tmp.dir, "temps"), "--trees", "20", "--no-png"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/train: 20 trees on \d+ rows × 1 features/u);
  });

  it("stops with each dropped column's reason and the setting that keeps it, when the ETL left nothing to learn from", () => {
    const input = csv("codes.csv", ["code,label", ...Array.from({ length: 60 }, (_, i) => `X${i + 1},${i % 2}`)]);
    const run = pipe(["run", "--input", input, "--target", "label", "--out", join(tmp.dir, "codes"), "--no-png"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `pipe: every column but the target "label" was dropped by the ETL, leaving nothing to learn from: code (identifier-like (one distinct value per row); keep it with --set 'etl.rules.code={"type": "integer"}' (a number; "category" for words))`,
    );
    expect(run.stderr).not.toMatch(/at .*\.(js|ts):\d+/u);
  });
});
