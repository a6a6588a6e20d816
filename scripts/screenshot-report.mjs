#!/usr/bin/env node
// Saves the first screen of data/output/report.html as docs/report-first-screen.png (for the README).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";
import { CHROMIUM_FLAGS, findChromium } from "../packages/report/dist/index.js";

const chromium = findChromium();
if (!chromium) {
  console.error("no Chromium found: apt-get install -y chromium, or set PUPPETEER_EXECUTABLE_PATH");
  process.exit(2);
}
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: [...CHROMIUM_FLAGS, `--user-data-dir=${mkdtempSync(join(tmpdir(), "shot-"))}`],
});
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 900 });
await page.goto(pathToFileURL(join(process.cwd(), process.argv[2] ?? "data/output/report.html")).href);
await page.screenshot({ path: join(process.cwd(), "docs/report-first-screen.png") });
await browser.close();
console.log("wrote docs/report-first-screen.png");
