// `pnpm bench:api`: pipe's prediction service with the 100-tree Adult model vs the original FastAPI
// server (Pima model, as in ../shared/anchors) vs a bare Hono route, each driven by wrk at 8 connections
// for 10 s on loopback, in one run; plus /predict/batch of 1,000 records. Writes bench/results/api.*
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ADULT_COLUMNS,
  ADULT_RECORD,
  DATA,
  DATASETS,
  freePort,
  machine,
  median,
  PIMA_COLUMNS,
  PYTHON,
  ROOT,
  requirePython,
  SHARED,
  table,
  withHeader,
  writeResults,
  wrk as wrkRun,
} from "./lib.mjs";

requirePython(["fastapi", "uvicorn", "sklearn", "pandas"]);
if (spawnSync("wrk", ["--version"]).error) {
  console.error("bench:api needs wrk: apt-get install -y wrk");
  process.exit(2);
}
const DURATION = process.env.DURATION ?? "10s";
const BATCH_WARMUP_S = Number(process.env.BATCH_WARMUP_S ?? 3);
const BATCH_CALLS = Number(process.env.BATCH_CALLS ?? 50);
const pipeCli = join(ROOT, "apps/cli/dist/pipe.js");

async function waitReady(url, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(url, {
        method: url.endsWith("/predict") ? "POST" : "GET",
        headers: { "content-type": "application/json" },
        body: url.endsWith("/predict") ? "{}" : undefined,
      });
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

function start(command, args, env, stdout = "ignore") {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", stdout, "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => {
    err += d;
  });
  child.errText = () => err;
  return child;
}

// Models: pipe's Adult model (the goal) and Pima models for pipe and for the original FastAPI server.
const adultCsv = withHeader(join(DATASETS, "adult/adult-train.csv"), "adult-headed.csv", ADULT_COLUMNS);
const pimaCsv = withHeader(join(DATASETS, "pima/pima-indians-diabetes.csv"), "pima-headed.csv", PIMA_COLUMNS);
const models = join(DATA, "api-models");
mkdirSync(models, { recursive: true });
for (const [name, input, target] of [
  ["adult", adultCsv, "income"],
  ["pima", pimaCsv, "outcome"],
]) {
  const out = join(models, name);
  if (!existsSync(join(out, "model.json"))) {
    console.log(`training pipe's ${name} model`);
    const r = spawnSync(process.execPath, [pipeCli, "run", "--input", input, "--target", target, "--out", out, "--quiet", "--no-png"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
  }
}
const seedOut = join(models, "seed");
mkdirSync(seedOut, { recursive: true });
if (!existsSync(join(seedOut, "model.pkl"))) {
  console.log("training the original design's Pima model (pipeline.py)");
  const r = spawnSync(PYTHON, [join(SHARED, "anchors/seed-python/pipeline.py"), pimaCsv, "outcome", seedOut], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
}

const pimaRecord = { pregnancies: 6, glucose: 148, blood_pressure: 72, skin_thickness: 35, insulin: 0, bmi: 33.6, diabetes_pedigree: 0.627, age: 50 };

const results = {};
/** Starts a server, waits until it answers, runs `work`, and always stops it. */
async function withServer(name, command, args, env, readyUrl, work, stdout = "ignore") {
  const child = start(command, args, env, stdout);
  const exited = new Promise((r) => child.once("exit", r));
  try {
    try {
      await waitReady(readyUrl, 90_000);
    } catch (error) {
      throw new Error(`${name}: ${error.message}\n${child.errText()}`);
    }
    await work(child);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

// wrk -t2 -c8 for DURATION, as bench:api has always measured.
const wrk = (url, body) => wrkRun(url, body, { threads: 2, duration: DURATION });

async function measure(name, command, args, env, url, body, port) {
  await withServer(name, command, args, { ...env, PORT: String(port) }, url, async () => {
    wrk(url, body); // warm-up run, discarded
    results[name] = wrk(url, body);
    console.log(name, JSON.stringify(results[name]));
  });
}

let port = await freePort();
await measure(
  "pipe /predict (Adult, 100 trees)",
  process.execPath,
  [join(ROOT, "apps/api/dist/server.js")],
  { MODEL_PATH: join(models, "adult/model.json"), HOST: "127.0.0.1", LOG_LEVEL: "info" },
  `http://127.0.0.1:${port}/predict`,
  ADULT_RECORD,
  port,
);

// Batch of 1,000 records: median of 20 calls.
port = await freePort();
await withServer(
  "pipe /predict/batch",
  process.execPath,
  [join(ROOT, "apps/api/dist/server.js")],
  { MODEL_PATH: join(models, "adult/model.json"), HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn" },
  `http://127.0.0.1:${port}/health`,
  async () => {
    const body = JSON.stringify({
      records: Array.from({ length: 1000 }, (_, i) => ({ ...ADULT_RECORD, age: 20 + (i % 50), "hours-per-week": 20 + (i % 40) })),
    });
    const call = async () => {
      const t0 = performance.now();
      const r = await fetch(`http://127.0.0.1:${port}/predict/batch`, { method: "POST", headers: { "content-type": "application/json" }, body });
      if (r.status !== 200) throw new Error(`batch answered ${r.status}`);
      await r.arrayBuffer();
      return performance.now() - t0;
    };
    // A warm-up as the wrk runs have (calls for BATCH_WARMUP_S, discarded: the first sends the forest to the
    // scoring worker, the next ones are compiled), then BATCH_CALLS calls one after another.
    const warmUntil = performance.now() + 1000 * BATCH_WARMUP_S;
    let warmCalls = 0;
    while (performance.now() < warmUntil) {
      await call();
      warmCalls++;
    }
    const times = [];
    for (let i = 0; i < BATCH_CALLS; i++) times.push(await call());
    results["pipe /predict/batch 1,000 records"] = {
      median_ms: median(times),
      p90_ms: times.sort((a, b) => a - b)[Math.floor(0.9 * times.length)],
      warm_up_calls: warmCalls,
    };
    console.log("batch", results["pipe /predict/batch 1,000 records"].median_ms.toFixed(1), "ms");
  },
);

port = await freePort();
await measure(
  "pipe /predict (Pima)",
  process.execPath,
  [join(ROOT, "apps/api/dist/server.js")],
  { MODEL_PATH: join(models, "pima/model.json"), HOST: "127.0.0.1", LOG_LEVEL: "info" },
  `http://127.0.0.1:${port}/predict`,
  pimaRecord,
  port,
);
port = await freePort();
await measure(
  "FastAPI seed /predict/ (Pima, uvicorn 1 worker)",
  PYTHON,
  ["-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", String(port), "--log-level", "warning", "--app-dir", join(SHARED, "anchors/seed-python")],
  { MODEL: join(seedOut, "model.pkl") },
  `http://127.0.0.1:${port}/predict/`,
  pimaRecord,
  port,
);
port = await freePort();
await measure("bare Hono route", process.execPath, [join(ROOT, "bench/bare-hono.mjs")], {}, `http://127.0.0.1:${port}/predict`, ADULT_RECORD, port);

// #19's bar, measured as the issue states it: wrk -t1 -c8 after a warm-up, pipe's service logging at its default
// level (info) to a file, the bare route in the same run; beside them a bare route that scores the record with
// the same model (bench/scoring-hono.mjs), which shows how much of the gap is the model's and how much the
// service's. RUNS rounds, the three servers alternating; the server's CPU per request from /proc. Five rounds by
// default: on a shared 2-core machine one 10-second run of the same server can differ from the next by a third.
const RUNS = Number(process.env.RUNS ?? 5);
/** User + system CPU seconds of a process so far (Linux; NaN elsewhere). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
const wrk1 = (url, body) => wrkRun(url, body, { threads: 1, duration: DURATION });
const barRuns = { pipe: [], scoring: [], bare: [] };
const adultModel = join(models, "adult/model.json");
const serviceLog = join(DATA, "api-service.log");
for (let round = 0; round < RUNS; round++) {
  for (const [key, command, args, env] of [
    ["pipe", process.execPath, [join(ROOT, "apps/api/dist/server.js")], { MODEL_PATH: adultModel, HOST: "127.0.0.1", LOG_LEVEL: "info" }],
    ["scoring", process.execPath, [join(ROOT, "bench/scoring-hono.mjs")], { MODEL_PATH: adultModel }],
    ["bare", process.execPath, [join(ROOT, "bench/bare-hono.mjs")], {}],
  ]) {
    const p = await freePort();
    const url = `http://127.0.0.1:${p}/predict`;
    const log = openSync(serviceLog, "w");
    try {
      await withServer(
        key,
        command,
        args,
        { ...env, PORT: String(p) },
        url,
        async (child) => {
          wrk1(url, ADULT_RECORD); // warm-up run, discarded
          const before = cpuSeconds(child.pid);
          const r = wrk1(url, ADULT_RECORD);
          r.cpu_us_per_request = ((cpuSeconds(child.pid) - before) * 1e6) / r.requests;
          barRuns[key].push(r);
          console.log(`#19 round ${round + 1}`, key, JSON.stringify(r));
        },
        log,
      );
    } finally {
      closeSync(log);
    }
  }
}
const med = (key, field) => median(barRuns[key].map((r) => r[field]));
const bar = Object.fromEntries(
  Object.keys(barRuns).map((k) => [
    k,
    {
      requests_per_s: med(k, "requests_per_s"),
      p99_ms: med(k, "p99_ms"),
      cpu_us_per_request: med(k, "cpu_us_per_request"),
      non_2xx: barRuns[k].reduce((a, r) => a + r.non_2xx, 0),
    },
  ]),
);
// Each round's pipe/bare ratio (its runs a few seconds apart): steadier than the ratio of the medians when the
// machine's speed drifts during the benchmark; shown beside it.
const roundRatios = barRuns.pipe.map((r, i) => r.requests_per_s / barRuns.bare[i].requests_per_s);
bar.round_ratios = roundRatios;
results["#19 bar (wrk -t1)"] = bar;

const ours = results["pipe /predict (Adult, 100 trees)"];
const bare = results["bare Hono route"];
const seed = results["FastAPI seed /predict/ (Pima, uvicorn 1 worker)"];
const pimaOurs = results["pipe /predict (Pima)"];
const batch = results["pipe /predict/batch 1,000 records"];
const f = (x, d = 2) => Number(x).toFixed(d);
const goals = [
  ["/predict ≥ 15,000 req/s at 8 connections", f(ours.requests_per_s, 0), ours.requests_per_s >= 15000],
  ["/predict p99 ≤ 3 ms", `${f(ours.p99_ms)} ms`, ours.p99_ms <= 3],
  ["/predict ≥ 0.45 × bare Hono route", `${f(ours.requests_per_s / bare.requests_per_s)}×`, ours.requests_per_s >= 0.45 * bare.requests_per_s],
  ["zero non-2xx responses", String(ours.non_2xx), ours.non_2xx === 0],
  ["/predict/batch of 1,000 ≤ 20 ms median", `${f(batch.median_ms, 1)} ms`, batch.median_ms <= 20],
  // #19's bar: wrk -t1, the service logging to a file, medians of RUNS rounds (the section below).
  [
    "/predict ≥ 0.7 × bare Hono route (#19)",
    `${f(bar.pipe.requests_per_s / bar.bare.requests_per_s)}×`,
    bar.pipe.requests_per_s >= 0.7 * bar.bare.requests_per_s,
  ],
  [
    "/predict p99 ≤ 1.5 × bare Hono route's p99 (#19)",
    `${f(bar.pipe.p99_ms)} vs ${f(bar.bare.p99_ms)} ms = ${f(bar.pipe.p99_ms / bar.bare.p99_ms)}×`,
    bar.pipe.p99_ms <= 1.5 * bar.bare.p99_ms,
  ],
  ["zero non-2xx responses (#19)", String(bar.pipe.non_2xx), bar.pipe.non_2xx === 0],
  ["/predict/batch of 1,000 ≤ 10 ms median (#19)", `${f(batch.median_ms, 1)} ms`, batch.median_ms <= 10],
];
const m = machine();
const md = `# bench:api — ${m.date}

Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}. wrk -t2 -c8 -d${DURATION} on 127.0.0.1 after a discarded warm-up run;
pipe's service logs every request (pino, level info) to /dev/null. The original FastAPI server cannot take a raw Adult
record (its model was trained on one-hot columns), so it serves the Pima model, as in ../shared/anchors; pipe is shown
with both models.

${table(
  ["server", "req/s", "p50 ms", "p99 ms", "non-2xx", "vs FastAPI"],
  Object.entries(results)
    .filter(([, r]) => r.requests_per_s && r !== bar)
    .map(([k, r]) => [k, f(r.requests_per_s, 0), f(r.p50_ms), f(r.p99_ms), String(r.non_2xx), `${f(r.requests_per_s / seed.requests_per_s, 1)}×`]),
)}

## #19's bar: wrk -t1 -c8, the service logging to a file

wrk -t1 -c8 -d${DURATION} after a discarded warm-up run; ${RUNS} rounds, the servers alternating; medians. pipe's
service logs every request at info to a file. "Scoring route": a bare Hono POST route that scores the record with the
same model and answers its prediction, without validation, logs, metrics or request ids (bench/scoring-hono.mjs). CPU
per request: the server process's user + system time over the measured run (all its threads).

${table(
  ["server", "req/s", "p99 ms", "CPU µs per request", "non-2xx", "vs bare route"],
  [
    ["pipe /predict (Adult, 100 trees)", bar.pipe],
    ["scoring route (same model)", bar.scoring],
    ["bare Hono route", bar.bare],
  ].map(([k, r]) => [
    k,
    f(r.requests_per_s, 0),
    f(r.p99_ms),
    f(r.cpu_us_per_request, 0),
    String(r.non_2xx),
    `${f(r.requests_per_s / bar.bare.requests_per_s)}×`,
  ]),
)}

pipe /predict over the bare route, round by round: ${roundRatios.map((r) => `${f(r)}×`).join(", ")} (median ${f(median(roundRatios))}×).
pipe answers an accepted /predict record on Node's own request and response (apps/api/src/node/predict-fast-path.ts);
everything else goes through the Hono app.

/predict/batch of 1,000 Adult records: median ${f(batch.median_ms, 1)} ms (90th percentile ${f(batch.p90_ms, 1)} ms) over ${BATCH_CALLS} calls one after another, after ${BATCH_WARMUP_S} s of calls discarded (${batch.warm_up_calls} calls; the first sends the forest to the scoring worker), as the wrk runs are measured after a warm-up run.
pipe (Pima) vs FastAPI (Pima): ${f(pimaOurs.requests_per_s / seed.requests_per_s, 0)}× the throughput.

## Goals

${table(
  ["goal", "measured", "met"],
  goals.map(([g, v, ok]) => [g, v, ok ? "yes" : "**no**"]),
)}
`;
console.log(`\n${md}`);
writeResults("api", { machine: m, duration: DURATION, results, goals: goals.map(([goal, measured, met]) => ({ goal, measured, met })) }, md);
