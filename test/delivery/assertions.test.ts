import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unnecessaryAssertions } from "../../scripts/lib/unnecessary-assertions.mjs";
import { ROOT } from "../../test-support/index.js";

// noUncheckedIndexedAccess is on everywhere; a type assertion that changes nothing hides what the
// flag would say, so none is left.
describe("type assertions", () => {
  it("every `as T` changes the type (none is noise)", () => {
    const projects = ["packages/etl", "packages/stats", "packages/model", "packages/report", "apps/api", "apps/cli", "test"];
    expect(unnecessaryAssertions(projects.map((p) => join(ROOT, p, "tsconfig.json")))).toEqual([]);
  }, 120_000);
});
