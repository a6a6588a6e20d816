#!/usr/bin/env node
// `pnpm docs`: rewrites the README's generated sections from their single definitions (the metric
// table of @pipe/model), between `<!-- NAME:begin -->` and `<!-- NAME:end -->`, then formats it.
// test/delivery/docs.test.ts fails when the README and the definitions disagree.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { metricsMarkdown } = await import(join(root, "packages/model/dist/index.js"));
const sections = { metrics: metricsMarkdown() };
const readme = join(root, "README.md");
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
