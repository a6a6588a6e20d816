import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { metricsMarkdown } from "../../packages/model/src/metrics/markdown.js";
import { ROOT } from "../../test-support/index.js";

// The README's generated sections say what their single definitions say (`npx pnpm docs` rewrites them).
const normalise = (table: string) =>
  table
    .trim()
    .split("\n")
    .map((line) =>
      line
        .split("|")
        .map((cell) => cell.trim().replace(/^-+$/, "---"))
        .join("|"),
    );

describe("README.md", () => {
  it("lists the metrics of the metric table, no more and no fewer", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = /<!-- metrics:begin -->([\s\S]*?)<!-- metrics:end -->/.exec(readme)?.[1] ?? "";
    expect(normalise(section), "run `npx pnpm docs`").toEqual(normalise(metricsMarkdown()));
  });
});
