import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Chart } from "../charts/sets.js";

/**
 * Where a Chromium lives: PUPPETEER_EXECUTABLE_PATH when set (and only there: an explicit path that
 * does not exist means no browser, not a silent fallback), else Debian's and the common names.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.PUPPETEER_EXECUTABLE_PATH;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"].find((p) => existsSync(p));
}

export interface PngResult {
  name: string;
  png: Uint8Array;
  width: number;
  height: number;
}

/** Flags that keep a headless Chromium quiet on a closed network and runnable as root in CI. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/**
 * Renders each chart's SVG to a PNG of its own size with one browser and one page, in order.
 * The page has no network: every request is refused, so a chart cannot reach out.
 */
export async function renderPngs(charts: readonly Chart[], executablePath: string, scale = 2): Promise<PngResult[]> {
  const puppeteer = await import("puppeteer-core");
  const userDataDir = mkdtempSync(join(tmpdir(), "pipe-chromium-"));
  const browser = await puppeteer.launch({ executablePath, args: [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`], headless: true });
  try {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on("request", (req) => {
      if (req.url().startsWith("data:") || req.url() === "about:blank") void req.continue();
      else void req.abort();
    });
    const out: PngResult[] = [];
    for (const chart of charts) {
      const size = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(chart.svg);
      const width = Math.ceil(Number(size?.[1] ?? 640));
      const height = Math.ceil(Number(size?.[2] ?? 400));
      await page.setViewport({ width, height, deviceScaleFactor: scale });
      await page.setContent(
        `<!doctype html><html><head><style>html,body{margin:0;background:#fff}svg{display:block}</style></head><body>${chart.svg}</body></html>`,
        { waitUntil: "load" },
      );
      const png = await page.screenshot({ type: "png", clip: { x: 0, y: 0, width, height }, omitBackground: false });
      out.push({ name: chart.name, png, width: width * scale, height: height * scale });
    }
    return out;
  } finally {
    await browser.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
