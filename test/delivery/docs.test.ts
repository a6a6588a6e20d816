import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rulesMarkdown } from "../../packages/etl/src/rules/index.js";
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

const section = (file: string, name: string) =>
  new RegExp(`<!-- ${name}:begin -->([\\s\\S]*?)<!-- ${name}:end -->`).exec(readFileSync(join(ROOT, file), "utf8"))?.[1] ?? "";

describe("the generated sections of the READMEs", () => {
  it("README.md lists the metrics of the metric table, no more and no fewer", () => {
    expect(normalise(section("README.md", "metrics")), "run `npx pnpm docs`").toEqual(normalise(metricsMarkdown()));
  });
  it("packages/etl/README.md lists the rules of the rule registry", () => {
    expect(normalise(section("packages/etl/README.md", "rules")), "run `npx pnpm docs`").toEqual(normalise(rulesMarkdown()));
  });
});
