import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../test-support/index.js";
import { commitAll, copyRepository } from "./repo-copy.js";

// `pnpm run pipeline` in a copy of the repository (its own git repository, turbo cache and
// pipe.config.json; the dependencies linked from this checkout), on the small Heart data so a run
// takes seconds: the second run is fully cached, and a change re-runs exactly the stages after it.
const tmp = tempDir("pipe-turbo-");
const repo = join(tmp.dir, "repo");
const STAGES = ["etl", "analyze", "train", "evaluate", "report"] as const;
type Stage = (typeof STAGES)[number];

const sh = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, {
    cwd: repo,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1", PUPPETEER_EXECUTABLE_PATH: "/nonexistent" },
    timeout: 600_000,
  });

/** Runs the pipeline; returns the stages turbo executed (cache misses). */
function pipeline(): Stage[] {
  const out = sh(process.execPath, [join(repo, "scripts/pipeline.mjs"), "--output-logs=hash-only"]);
  const ran = STAGES.filter((s) => new RegExp(`@pipe/cli:pipeline:${s}: cache miss`).test(out));
  const cached = STAGES.filter((s) => new RegExp(`@pipe/cli:pipeline:${s}: cache hit`).test(out));
  expect([...ran, ...cached].sort()).toEqual([...STAGES].sort());
  return ran;
}
const config = () => JSON.parse(readFileSync(join(repo, "pipe.config.json"), "utf8"));
// biome-ignore lint/suspicious/noExplicitAny: a parsed config file
const setConfig = (edit: (c: Record<string, any>) => void) => {
  const c = config();
  edit(c);
  writeFileSync(join(repo, "pipe.config.json"), JSON.stringify(c, null, 2));
};

beforeAll(() => {
  copyRepository(repo);
  mkdirSync(join(repo, "data/input"), { recursive: true });
  cpSync(DATASETS.heart, join(repo, "data/input/dataset.csv"));
  setConfig((c) => {
    c.target = "target";
    delete c.positive;
    c.model = { ...(c.model ?? {}), nEstimators: 20 };
  });
  commitAll(repo);
}, 900_000);
afterAll(tmp.cleanup);

describe("pnpm run pipeline through turbo", () => {
  it("runs every stage once, then nothing: the second run is fully cached", () => {
    expect(pipeline()).toEqual([...STAGES]);
    expect(existsSync(join(repo, "data/output/report.html"))).toBe(true);
    expect(pipeline()).toEqual([]);
  });

  it("a report setting re-runs the report only", () => {
    setConfig((c) => {
      c.report = { ...(c.report ?? {}), title: "Heart disease" };
    });
    expect(pipeline()).toEqual(["report"]);
    expect(readFileSync(join(repo, "data/output/report.html"), "utf8")).toContain("Heart disease");
    expect(pipeline()).toEqual([]);
  });

  it("a model setting re-runs train, evaluate and report; an evaluation setting evaluate and report", () => {
    setConfig((c) => {
      c.model.nEstimators = 25;
    });
    expect(pipeline()).toEqual(["train", "evaluate", "report"]);
    expect(JSON.parse(readFileSync(join(repo, "data/output/metrics.json"), "utf8")).model.trees).toBe(25);
    setConfig((c) => {
      c.model.permutationRepeats = 2;
    });
    expect(pipeline()).toEqual(["evaluate", "report"]);
  });

  it("a changed input file or ETL rule re-runs every stage", () => {
    const data = join(repo, "data/input/dataset.csv");
    const lines = readFileSync(data, "utf8").trimEnd().split("\n");
    writeFileSync(data, `${lines.slice(0, -5).join("\n")}\n`);
    expect(pipeline()).toEqual([...STAGES]);
    expect(JSON.parse(readFileSync(join(repo, "data/output/etl_report.json"), "utf8")).rows_in).toBe(lines.length - 6);
    setConfig((c) => {
      c.etl = { ...(c.etl ?? {}), maxMissingShare: 0.4 };
    });
    expect(pipeline()).toEqual([...STAGES]);
    expect(pipeline()).toEqual([]);
  });
});
