import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "@pipe/etl";
import { PipeModel } from "@pipe/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../test-support/index.js";
import { PIPE, pipe } from "./cli.js";

const tmp = tempDir("pipe-crash-");
const out = join(tmp.dir, "out");
const args = ["run", "--input", DATASETS.titanic, "--target", "Survived", "--out", out, "--quiet", "--no-png", "--trees", "60"];
afterAll(tmp.cleanup);

/** Every visible output is complete: parses, and ends where its format ends. */
function checkComplete(): string[] {
  const problems: string[] = [];
  const files = readdirSync(out).filter((f) => !f.startsWith("."));
  for (const f of files) {
    const path = join(out, f);
    if (f === "plots") continue;
    const text = readFileSync(path, "utf8");
    try {
      if (f === "model.json") PipeModel.parse(text, f);
      else if (f.endsWith(".json")) JSON.parse(text);
      else if (f.endsWith(".csv")) {
        if (!text.endsWith("\n")) problems.push(`${f} does not end with a newline`);
        parseCsv(text, { delimiter: "," });
      } else if (f.endsWith(".html")) {
        if (!text.endsWith("</html>\n")) problems.push(`${f} is cut short`);
      } else if (f.endsWith(".txt") && !text.endsWith("\n")) problems.push(`${f} is cut short`);
    } catch (error) {
      problems.push(`${f}: ${(error as Error).message}`);
    }
  }
  for (const f of existsSync(join(out, "plots")) ? readdirSync(join(out, "plots")).filter((x) => !x.startsWith(".")) : []) {
    if (!readFileSync(join(out, "plots", f), "utf8").endsWith("</svg>")) problems.push(`plots/${f} is cut short`);
  }
  if (existsSync(join(out, "etl_report.json")) && existsSync(join(out, "dataset_processed.csv"))) {
    const rows = parseCsv(readFileSync(join(out, "dataset_processed.csv"), "utf8"), { delimiter: "," }).length - 1;
    if (rows !== JSON.parse(readFileSync(join(out, "etl_report.json"), "utf8")).rows_out) problems.push("dataset_processed.csv and etl_report.json disagree");
  }
  return problems;
}

beforeAll(() => {
  const first = pipe(args, tmp.dir);
  expect(first.code).toBe(0);
});

describe("crash safety", () => {
  it("SIGKILL at random moments never leaves a truncated output", async () => {
    const before = readdirSync(out)
      .filter((f) => !f.startsWith("."))
      .sort();
    let seed = 7;
    const delays: number[] = [];
    for (let k = 0; k < 10; k++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      delays.push(60 + (seed % 1200));
    }
    for (const delay of delays) {
      const child = spawn(process.execPath, [PIPE, ...args], { cwd: tmp.dir, stdio: "ignore" });
      // Listen first: a run may finish before its kill comes.
      const exited = new Promise((r) => child.once("exit", r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill("SIGKILL");
      await exited;
      expect(checkComplete(), `killed after ${delay} ms`).toEqual([]);
      expect(
        readdirSync(out)
          .filter((f) => !f.startsWith("."))
          .sort(),
      ).toEqual(before);
    }
    console.log(`compass: crash safety: ${delays.length} SIGKILLs at ${delays.join(", ")} ms, truncated outputs: 0`);
    // The next run removes the dead runs' temporary files and completes.
    writeFileSync(join(out, ".stale.999999.0badc0de.tmp"), "partial");
    expect(pipe(args, tmp.dir).code).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(checkComplete()).toEqual([]);
  }, 180_000);
});

describe("model file tampering", () => {
  const cases = [
    { why: "truncated", edit: (t: string) => t.slice(0, Math.floor(t.length / 3)), message: /is not valid JSON \(truncated or damaged\)/ },
    { why: "edited", edit: (t: string) => t.replace('"threshold":0.5', '"threshold":0.05'), message: /fails its checksum: it was edited or damaged/ },
    {
      why: "of another format version",
      edit: (t: string) => t.replace('"format_version":2', '"format_version":9'),
      message: /has format version 9, this pipe reads versions 1 and 2/,
    },
  ];
  it.each(cases)("a $why model.json is refused by pipe evaluate and pipe predict", ({ edit, message }) => {
    const bad = join(tmp.dir, "bad-model.json");
    const original = readFileSync(join(out, "model.json"), "utf8");
    const edited = edit(original);
    expect(edited).not.toBe(original);
    writeFileSync(bad, edited);
    for (const command of [
      ["evaluate", "--out", out, "--model", bad],
      ["predict", "--model", bad, "--input", DATASETS.titanic, "--output", join(tmp.dir, "scored.csv")],
    ]) {
      const r = pipe([...command, "--quiet"], tmp.dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    }
  });
});
