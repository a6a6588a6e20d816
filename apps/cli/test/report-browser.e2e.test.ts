import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_FLAGS, findChromium } from "../../../packages/report/src/png/render.js";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { pipe } from "./cli.js";

const chromium = findChromium();
// CI installs Chromium (.ci/run): there, a missing browser is a failure, not a skip.
if (!chromium && process.env.CI) throw new Error("Chromium is required in CI for the report's browser test (apt-get install -y chromium)");

const tmp = tempDir("pipe-report-");
const out = join(tmp.dir, "heart");
// Bookings whose lateness follows the weekday and the hour: a date feature's charts are on date axes.
const dated = join(tmp.dir, "bookings");
let browser: Browser;
let runOutput: { code: number | null; stderr: string };
let datedOutput: { code: number | null; stderr: string };
// Names that look like numbers: classes "0" and "other" (the recode pipe suggests for a count target), a
// category of levels 1, 2, 3 and x, a column named 2019. Plotly typed such axes as numbers and left out
// every name that was not one (the class "other" had no bar and no box).
const numbery = join(tmp.dir, "numbery");
let numberyOutput: { code: number | null; stderr: string };

beforeAll(async () => {
  runOutput = pipe(["run", "--input", DATASETS.heart, "--target", "target", "--out", out], tmp.dir);
  const lines = ["booked,amount,late"];
  for (let i = 0; i < 900; i++) {
    const at = new Date(Date.UTC(2021, 0, 1) + Math.floor(i / 3) * 86_400_000 + ((i * 7) % 24) * 3_600_000);
    const late = (at.getUTCDay() % 6 === 0 || at.getUTCHours() >= 18) !== (i % 23 === 0);
    lines.push(`${i % 31 === 0 ? "" : at.toISOString().slice(0, 16).replace("T", " ")},${(i * 37) % 500},${late ? "yes" : "no"}`);
  }
  writeFileSync(join(tmp.dir, "bookings.csv"), `${lines.join("\n")}\n`);
  datedOutput = pipe(["run", "--input", join(tmp.dir, "bookings.csv"), "--target", "late", "--out", dated, "--trees", "30", "--no-png"], tmp.dir);
  const medals = ["height,level,2019,gold"];
  for (let i = 0; i < 600; i++) {
    const won = i % 5 === 0;
    medals.push(`${(won ? 1.8 : 1.7) + ((i * 37) % 20) / 100},${["1", "2", "3", "x"][i % 4]},${(i * 13) % 50},${won ? 1 + (i % 3) : 0}`);
  }
  writeFileSync(join(tmp.dir, "medals.csv"), `${medals.join("\n")}\n`);
  const rule = JSON.stringify({ recode: { "0": "0" }, otherwise: "other" });
  numberyOutput = pipe(
    ["run", "--input", join(tmp.dir, "medals.csv"), "--target", "gold", "--out", numbery, "--trees", "30", "--no-png", "--set", `etl.rules.gold=${rule}`],
    tmp.dir,
  );
  if (chromium) {
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${join(tmp.dir, "profile")}`],
    });
  }
}, 180_000);
afterAll(async () => {
  await browser?.close();
  tmp.cleanup();
});

describe.skipIf(!chromium)("report.html in a real browser", () => {
  it("the run rendered PNG plots with Chromium", () => {
    expect(runOutput.code).toBe(0);
    expect(runOutput.stderr).toMatch(/report: \d+ PNG plots rendered with /);
  });

  it("renders every chart, with no console error and no network request", async () => {
    await expectEveryChartRendered(out);
  });

  it("a date feature's charts render on date axes", async () => {
    expect(datedOutput.code, datedOutput.stderr).toBe(0);
    const names = await expectEveryChartRendered(dated);
    expect(names).toEqual(expect.arrayContaining(["hist_booked", "box_booked", "dependence_booked"]));
  });

  it("names that look like numbers are drawn as names: a bar and a box for each class, a bar for each level", async () => {
    expect(numberyOutput.code, numberyOutput.stderr).toBe(0);
    await expectEveryChartRendered(numbery);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(numbery, "report.html")).href, { waitUntil: "load" });
    await page.waitForFunction(() => Array.from(document.querySelectorAll("figure.chart")).every((f) => f.querySelector(".plot .main-svg")), {
      timeout: 60_000,
    });
    const ticks = (name: string) =>
      page.$eval(`figure.chart[data-chart="${name}"]`, (f) => Array.from(f.querySelectorAll(".plot .xtick text")).map((t) => t.textContent));
    const count = (name: string, selector: string) => page.$eval(`figure.chart[data-chart="${name}"]`, (f, sel) => f.querySelectorAll(sel).length, selector);
    expect(await ticks("class_balance")).toEqual(["0", "other"]);
    expect(await count("class_balance", ".plot .bars path")).toBe(2);
    expect(await ticks("box_height")).toEqual(["0", "other"]);
    expect(await count("box_height", ".plot .boxlayer .trace")).toBe(2);
    expect(await ticks("bar_level")).toEqual(["1", "2", "3", "x"]);
    await page.close();
  });

  /** Opens a report and requires every chart drawn interactive, fitting, with shapes; no console error, no request. Returns the charts' names. */
  async function expectEveryChartRendered(dir: string): Promise<string[]> {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      if (!r.url().startsWith("data:")) requests.push(r.url());
    });
    const url = pathToFileURL(join(dir, "report.html")).href;
    await page.goto(url, { waitUntil: "load" });
    // Every figure is drawn by the inlined plotly.js, interactive (its SVG twin hidden).
    await page.waitForFunction(() => Array.from(document.querySelectorAll("figure.chart")).every((f) => f.querySelector(".plot .main-svg")), {
      timeout: 60_000,
    });
    const charts = await page.$$eval("figure.chart", (figs) =>
      figs.map((f) => {
        const plot = f.querySelector(".plot .main-svg");
        const box = plot?.getBoundingClientRect();
        const parent = f.getBoundingClientRect();
        return {
          name: f.getAttribute("data-chart"),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          fits: (box?.width ?? 0) <= parent.width + 1,
          shapes: f.querySelectorAll(".plot .point, .plot .js-line, .plot .boxlayer path, .plot .bars path, .plot .heatmaplayer image").length,
          interactive: f.classList.contains("interactive"),
        };
      }),
    );
    expect(charts.length).toBeGreaterThan(10);
    for (const c of charts) {
      expect(c.interactive, c.name ?? "").toBe(true);
      expect(c.width, c.name ?? "").toBeGreaterThan(100);
      expect(c.height, c.name ?? "").toBeGreaterThan(100);
      expect(c.fits, c.name ?? "").toBe(true);
      expect(c.shapes, c.name ?? "").toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    // Readable on a phone: no horizontal page scroll at 390 px.
    await page.setViewport({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.close();
    return charts.map((c) => c.name ?? "");
  }

  it("each PNG is a real picture: the chart's size at 2×, and not blank", async () => {
    const plots = join(out, "plots");
    const pngs = readdirSync(plots).filter((f) => f.endsWith(".png"));
    const svgs = readdirSync(plots).filter((f) => f.endsWith(".svg"));
    expect(pngs.length).toBe(svgs.length);
    const page = await browser.newPage();
    for (const file of pngs) {
      const bytes = readFileSync(join(plots, file));
      expect(bytes.subarray(1, 4).toString("latin1"), file).toBe("PNG");
      const width = bytes.readUInt32BE(16);
      const height = bytes.readUInt32BE(20);
      const svg = readFileSync(join(plots, file.replace(/\.png$/, ".svg")), "utf8");
      const [, w, h] = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg) ?? [];
      expect([width, height], file).toEqual([2 * Math.ceil(Number(w)), 2 * Math.ceil(Number(h))]);
      const colours = await page.evaluate(
        async (dataUrl) => {
          const img = new Image();
          img.src = dataUrl;
          await img.decode();
          const canvas = document.createElement("canvas");
          canvas.width = img.width;
          canvas.height = img.height;
          const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
          ctx.drawImage(img, 0, 0);
          const data = ctx.getImageData(0, 0, img.width, img.height).data;
          const seen = new Set<number>();
          for (let i = 0; i < data.length; i += 4 * 97) seen.add(((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number));
          return seen.size;
        },
        `data:image/png;base64,${bytes.toString("base64")}`,
      );
      expect(colours, file).toBeGreaterThan(5);
    }
    await page.close();
  });
});

describe("without Chromium", () => {
  it("pipe report still writes report.html, skips the PNGs and says how to enable them in one line", () => {
    const r = pipe(["report", "--out", out], tmp.dir, { PUPPETEER_EXECUTABLE_PATH: "/nonexistent/chromium" });
    expect(r.code).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => l.includes("PNG"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^report: PNG plots skipped: no Chromium found \(apt-get install -y chromium, or set PUPPETEER_EXECUTABLE_PATH\)/);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("</html>");
  });
});
