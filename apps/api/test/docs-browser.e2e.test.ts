import { join } from "node:path";
import puppeteer from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_FLAGS, findChromium } from "../../../packages/report/src/png/render.js";
import { startServer } from "../src/start.js";
import { titanicModel } from "./model-fixture.js";

const chromium = findChromium();
if (!chromium && process.env.CI) throw new Error("Chromium is required in CI for the /docs browser test (apt-get install -y chromium)");

let fixture: Awaited<ReturnType<typeof titanicModel>>;
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  fixture = await titanicModel();
  server = await startServer({ modelPath: fixture.modelPath, port: 0, host: "127.0.0.1", logLevel: "silent" });
});
afterAll(async () => {
  await server?.close();
  fixture?.cleanup();
});

describe.skipIf(!chromium)("/docs in a real browser", () => {
  it("renders Swagger UI from the service alone, with every operation listed and no outside request", async () => {
    const browser = await puppeteer.launch({
      executablePath: chromium as string,
      headless: true,
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${join(fixture.dir, "profile")}`],
    });
    try {
      const page = await browser.newPage();
      const outside: string[] = [];
      const errors: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith(`http://127.0.0.1:${server.port}/`) && !r.url().startsWith("data:")) outside.push(r.url());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${server.port}/docs`, { waitUntil: "networkidle0" });
      await page.waitForSelector(".opblock-summary-path", { timeout: 20_000 });
      const paths = await page.$$eval(".opblock-summary-path", (els) => els.map((e) => e.textContent?.trim()));
      expect(paths).toEqual(expect.arrayContaining(["/predict", "/predict/batch", "/health", "/ready", "/model", "/metrics"]));
      const title = await page.$eval(".info .title", (e) => e.textContent ?? "");
      expect(title).toContain("pipe prediction service: Survived");
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
