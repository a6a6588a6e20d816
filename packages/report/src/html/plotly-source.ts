import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let cached: string | undefined;

/** The minified plotly.js bundle (4.8 MB; the unminified one is 10 MB) that report.html inlines once: no CDN, no network. */
export function plotlySource(): string {
  cached ??= readFileSync(require.resolve("plotly.js-dist-min"), "utf8");
  return cached;
}
