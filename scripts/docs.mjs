#!/usr/bin/env node
// `pnpm docs`: rewrites the README's generated sections from their single definitions (the metric
// table of @pipe/model, the rule registry of @pipe/etl), between `<!-- NAME:begin -->` and `<!-- NAME:end -->`, then formats it.
// test/delivery/docs.test.ts fails when the README and the definitions disagree.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { metricsMarkdown } = await import(join(root, "packages/model/dist/index.js"));
const { rulesMarkdown } = await import(join(root, "packages/etl/dist/index.js"));
const files = { "README.md": { metrics: metricsMarkdown() }, "packages/etl/README.md": { rules: rulesMarkdown() } };
for (const [file, sections] of Object.entries(files)) rewrite(join(root, file), sections);

function rewrite(readme, sections) {
  let text = readFileSync(readme, "utf8");
  for (const [name, body] of Object.entries(sections)) {
    const begin = `<!-- ${name}:begin -->`;
    const end = `<!-- ${name}:end -->`;
    const a = text.indexOf(begin);
    const b = text.indexOf(end);
    if (a < 0 || b < a) throw new Error(`README.md has no ${begin} … ${end} section`);
    text = `${text.slice(0, a + begin.length)}\n${body}\n${text.slice(b)}`;
  }
  writeFileSync(readme, text);
  spawnSync(join(root, "node_modules/.bin/biome"), ["format", "--write", readme], { stdio: "inherit" });
}
