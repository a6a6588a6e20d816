import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DATASETS, FIXTURES, ROOT } from "../../test-support/index.js";

// A clean clone passes its tests anywhere (a GitHub runner has no ../shared): the tests, their
// helpers and the vitest config read only what the repository holds.
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
  .split("\n")
  .filter(
    (f) => f !== "test/delivery/self-contained.test.ts" && /\.test\.ts$|^test-support\/.*\.(ts|mjs)$|^vitest\.config\.ts$|^apps\/\w+\/test\/.*\.ts$/.test(f),
  );

describe("the test suite is self-contained", () => {
  it("no test or test helper reads ../shared or any folder beside the repository", () => {
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((f) => /\.\.\/shared|PIPE_SHARED|["'`]\.\.\/\.\.\/\.\.\/\.\.\/\.\.\//.test(readFileSync(join(ROOT, f), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("every dataset and fixture the tests name is in the repository", () => {
    for (const path of Object.values(DATASETS)) {
      expect(path.startsWith(ROOT)).toBe(true);
      expect(existsSync(path), path).toBe(true);
    }
    for (const f of ["metrics.json", "stats.json", "logistic.json", "make_fixtures.py", "README.md"]) expect(existsSync(join(FIXTURES, f)), f).toBe(true);
    // Vendored with their source and licence.
    const readme = readFileSync(join(ROOT, "data/datasets/README.md"), "utf8");
    for (const path of Object.values(DATASETS)) expect(readme).toContain(path.slice(join(ROOT, "data/datasets/").length));
    expect(readme).toMatch(/licence/i);
  });
});
