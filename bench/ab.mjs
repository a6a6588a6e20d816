// `node bench/ab.mjs OLD_CHECKOUT [NEW_CHECKOUT=.]`: the same workloads on two built checkouts,
// alternating, in one run — for changes that must cost no speed (noUncheckedIndexedAccess, the rule
// registry). ETL on Adult × 30 (repeated rows) and Adult × 30 (distinct rows); training on Adult;
// batch scoring of Adult; /predict through `pipe serve` under wrk. Medians of RUNS (3); wall and
// CPU seconds. Writes bench/results/ab.json and .md. ONLY=regex picks workloads (e.g. ONLY=/predict).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { ADULT_COLUMNS, DATA, DATASETS, machine, median, ROOT, table, withHeader, writeResults } from "./lib.mjs";

const [oldArg, newArg] = process.argv.slice(2);
if (!oldArg) {
  console.error("usage: node bench/ab.mjs OLD_CHECKOUT [NEW_CHECKOUT]");
  process.exit(2);
}
const sides = { before: resolve(oldArg), after: resolve(newArg ?? ROOT) };
const RUNS = Number(process.env.RUNS ?? 3);
const repeated = join(DATA, "adult-x30.csv");
const distinct = join(DATA, "adult-x30-distinct.csv");
if (!existsSync(distinct)) spawnSync(process.execPath, [join(ROOT, "bench/etl-distinct.mjs"), distinct, "30"], { stdio: "inherit" });
if (!existsSync(repeated)) {
  const text = spawnSync("cat", Array(30).fill(join(DATASETS, "adult/adult-train.csv")), { encoding: "buffer", maxBuffer: 1 << 30 }).stdout;
  writeFileSync(repeated, text);
}
const adult = withHeader(join(DATASETS, "adult/adult-train.csv"), "adult-headed.csv", ADULT_COLUMNS);

/** Wall and CPU seconds of one command (CPU from /usr/bin/time). */
function timed(args, cwd) {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "__CPU__ %U %S", process.execPath, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed:\n${r.stderr}`);
  const m = /__CPU__ ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : Number.NaN, stdout: r.stdout };
}

const pipe = (side) => join(sides[side], "apps/cli/dist/pipe.js");
const out = (side, name) => join(DATA, `ab-${side}-${name}`);
const workloads = {
  "etl, Adult × 30 repeated": (side) =>
    timed([pipe(side), "etl", "--input", repeated, "--target", "income", "--columns", ADULT_COLUMNS.join(","), "--out", out(side, "rep"), "--quiet"]),
  "etl, Adult × 30 distinct": (side) =>
    timed([pipe(side), "etl", "--input", distinct, "--target", "income", "--columns", ADULT_COLUMNS.join(","), "--out", out(side, "dis"), "--quiet"]),
  "etl + train, Adult": (side) => {
    timed([pipe(side), "etl", "--input", adult, "--target", "income", "--out", out(side, "adult"), "--quiet"]);
    return timed([pipe(side), "train", "--out", out(side, "adult"), "--quiet"]);
  },
  "predict, Adult (32,561 rows)": (side) =>
    timed([
      pipe(side),
      "predict",
      "--model",
      join(out(side, "adult"), "model.json"),
      "--input",
      adult,
      "--output",
      join(out(side, "adult"), "scored.csv"),
      "--quiet",
      "--unknown-fields",
      "ignore",
    ]),
};

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function serveAndLoad(side) {
  const port = await freePort();
  const child = spawn(process.execPath, [pipe(side), "serve", "--model", join(out(side, "adult"), "model.json"), "--port", String(port)], {
    stdio: ["ignore", "ignore", "ignore"],
    env: { ...process.env, LOG_LEVEL: "silent" },
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  const body = JSON.stringify({ age: 39, workclass: "State-gov", education: "Bachelors", "hours-per-week": 40, sex: "Male" });
  const script = join(DATA, "ab-post.lua");
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\nwrk.body = ${JSON.stringify(body)}\n`);
  spawnSync("wrk", ["-t1", "-c8", "-d2s", "-s", script, `http://127.0.0.1:${port}/predict`], { encoding: "utf8" });
  const r = spawnSync("wrk", ["-t1", "-c8", "-d6s", "--latency", "-s", script, `http://127.0.0.1:${port}/predict`], { encoding: "utf8" });
  child.kill("SIGTERM");
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(r.stdout);
  const p99ms = p99 ? Number(p99[1]) * (p99[2] === "us" ? 1e-3 : p99[2] === "s" ? 1e3 : 1) : Number.NaN;
  return { rps, p99ms };
}

// ONLY=regex runs the matching workloads alone (the served model is the one an earlier run trained).
const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
for (const name of Object.keys(workloads)) if (only && !only.test(name)) delete workloads[name];
const serve = !only || only.test("/predict req/s");
const results = {};
for (const name of Object.keys(workloads)) results[name] = { before: [], after: [] };
if (serve) results["/predict req/s (wrk -t1 -c8)"] = { before: [], after: [] };
for (let r = 0; r < RUNS; r++) {
  for (const side of r % 2 ? ["after", "before"] : ["before", "after"]) {
    for (const [name, run] of Object.entries(workloads)) {
      const t = run(side);
      results[name][side].push(t);
      console.log(`run ${r + 1} ${side.padEnd(6)} ${name}: ${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU`);
    }
    if (!serve) continue;
    const s = await serveAndLoad(side);
    results["/predict req/s (wrk -t1 -c8)"][side].push(s);
    console.log(`run ${r + 1} ${side.padEnd(6)} /predict: ${s.rps.toFixed(0)} req/s, p99 ${s.p99ms.toFixed(2)} ms`);
  }
}
const rows = Object.entries(results).map(([name, v]) => {
  if (name.startsWith("/predict")) {
    const b = median(v.before.map((x) => x.rps));
    const a = median(v.after.map((x) => x.rps));
    return [
      name,
      `${b.toFixed(0)} (p99 ${median(v.before.map((x) => x.p99ms)).toFixed(2)} ms)`,
      `${a.toFixed(0)} (p99 ${median(v.after.map((x) => x.p99ms)).toFixed(2)} ms)`,
      (a / b).toFixed(2),
    ];
  }
  const b = median(v.before.map((x) => x.wall));
  const a = median(v.after.map((x) => x.wall));
  return [
    name,
    `${b.toFixed(2)} s (${median(v.before.map((x) => x.cpu)).toFixed(2)} CPU)`,
    `${a.toFixed(2)} s (${median(v.after.map((x) => x.cpu)).toFixed(2)} CPU)`,
    (a / b).toFixed(2),
  ];
});
const m = machine();
const md = `# A/B: ${sides.before} → ${sides.after}

${m.date}, ${m.cpu}, ${m.cores} cores, Node ${m.node}; medians of ${RUNS}, the two sides alternating in one run.

${table(["workload", "before", "after", "after / before"], rows)}
`;
console.log(`\n${md}`);
writeResults("ab", { machine: m, sides, runs: RUNS, results }, md);
