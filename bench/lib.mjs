// Shared helpers of the benchmarks: machine facts, medians, child runs with peak memory, results files.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** ../shared beside the repository: the Python reference programs (anchors) the benchmarks run. */
export const SHARED = process.env.PIPE_SHARED ?? join(ROOT, "..", "shared");
/** The published datasets, vendored in data/datasets (see its README). */
export const DATASETS = join(ROOT, "data", "datasets");
export const DATA = join(ROOT, "bench", ".data");
export const PYTHON = "/usr/bin/python3";
mkdirSync(DATA, { recursive: true });

export function machine() {
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A child benchmark's last word: prints its result as one JSON line and exits once stdout is flushed.
 * Exiting explicitly avoids Node 20's rare deadlock when the event loop runs dry while compiler threads
 * are busy (nodejs/node#54918), which would leave the parent waiting forever.
 */
export function printResult(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

/** Runs a command that prints one JSON line last; adds its peak RSS in MB, wall and CPU seconds (from /usr/bin/time). */
export function runJson(command, args, options = {}) {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "__RSS_KB__ %M __CPU__ %U %S", command, ...args], { encoding: "utf8", maxBuffer: 1 << 26, ...options });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  const lines = r.stdout.trim().split("\n");
  const result = JSON.parse(lines[lines.length - 1]);
  const rss = /__RSS_KB__ (\d+)/.exec(r.stderr);
  if (rss) result.peak_rss_mb = Number(rss[1]) / 1024;
  const cpu = /__CPU__ ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (cpu) result.cpu_seconds = Number(cpu[1]) + Number(cpu[2]);
  result.process_wall_seconds = wall;
  return result;
}

/** Checks that Debian's scientific Python is there; says how to install it otherwise. */
export function requirePython(modules) {
  const r = spawnSync(PYTHON, ["-c", `import ${modules.join(", ")}`], { encoding: "utf8" });
  if (r.status !== 0) {
    console.error(
      `the reference needs Debian's Python packages: apt-get install -y python3-sklearn python3-pandas python3-scipy python3-fastapi python3-uvicorn wrk\n${r.stderr}`,
    );
    process.exit(2);
  }
}

export function writeResults(name, results, markdown) {
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), markdown);
  console.log(`\nwrote bench/results/${name}.json and bench/results/${name}.md`);
}

export function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Adds a header row to a headerless published file (Adult, Pima), once. */
export function withHeader(source, name, columns) {
  const path = join(DATA, name);
  try {
    readFileSync(path);
  } catch {
    writeFileSync(path, `${columns.join(",")}\n${readFileSync(source, "utf8")}`);
  }
  return path;
}

const columns = JSON.parse(readFileSync(join(ROOT, "test-support", "columns.json"), "utf8"));
export const ADULT_COLUMNS = columns.adult;
export const PIMA_COLUMNS = columns.pima;

/** The first Adult row as an API record: what the service benchmarks send. */
export const ADULT_RECORD = {
  age: 39,
  workclass: "State-gov",
  fnlwgt: 77516,
  education: "Bachelors",
  "education-num": 13,
  "marital-status": "Never-married",
  occupation: "Adm-clerical",
  relationship: "Not-in-family",
  race: "White",
  sex: "Male",
  "capital-gain": 2174,
  "capital-loss": 0,
  "hours-per-week": 40,
  "native-country": "United-States",
};

/** pipe's ETL into a temporary folder, then the processed table (for the benchmarks' pipe side). */
export async function loadDataset(input, target, beforeRead) {
  const { openSource, readProcessed, runEtl } = await import("../packages/etl/dist/index.js");
  const dir = mkdtempSync(join(tmpdir(), "pipe-bench-"));
  const out = { processed: join(dir, "p.csv"), rejected: join(dir, "r.csv") };
  const { schema } = await runEtl(openSource(input), { target }, out);
  beforeRead?.(schema);
  const table = await readProcessed(out.processed, schema);
  return { dir, out, schema, table, features: table.featureKinds, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rows of a processed table as the raw records an API client sends (missing numbers as null). */
export function recordsOf(table, features, rows) {
  return Array.from(rows, (row) => {
    const r = {};
    for (const f of features) {
      const v = f.kind === "numeric" ? table.numeric.get(f.name)[row] : table.categorical.get(f.name)[row];
      r[f.name] = typeof v === "number" && Number.isNaN(v) ? null : v;
    }
    return r;
  });
}

/** A seeded xorshift32 generator of floats in [0, 1): the benchmarks' data is the same on every run. */
export function seededRandom(seed) {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * wrk POSTing `body` as JSON to `url` at 8 connections: req/s, p50 and p99 latency (ms), non-2xx responses.
 * `threads` (wrk -t) and `duration` (-d) as the benchmark measures.
 */
export function wrk(url, body, { threads = 1, duration = "10s" } = {}) {
  const script = join(DATA, `wrk-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(JSON.stringify(body))}\nwrk.headers["Content-Type"] = "application/json"\n`);
  const r = spawnSync("wrk", [`-t${threads}`, "-c8", `-d${duration}`, "--latency", "-s", script, url], { encoding: "utf8" });
  rmSync(script, { force: true });
  if (r.error || r.status !== 0)
    throw new Error(`wrk failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}\nis wrk installed? apt-get install -y wrk`);
  const out = r.stdout;
  const num = (re) => Number(re.exec(out)?.[1] ?? Number.NaN);
  // wrk prints latencies in us, ms, s, m or h (a stalled server's p99 can be whole seconds or minutes).
  const unit = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const ms = (text) => {
    const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text ?? "");
    if (!m) return Number.NaN;
    return Number(m[1]) * unit[m[2]];
  };
  return {
    requests_per_s: num(/Requests\/sec:\s+([\d.]+)/),
    p50_ms: ms(/50%\s+(\S+)/.exec(out)?.[1]),
    p99_ms: ms(/99%\s+(\S+)/.exec(out)?.[1]),
    non_2xx: num(/Non-2xx or 3xx responses:\s+(\d+)/) || 0,
    socket_errors: /Socket errors: (.*)/.exec(out)?.[1] ?? "none",
    requests: num(/(\d+) requests in/),
  };
}
