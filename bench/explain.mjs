// `pnpm bench:explain`: what explanations (exact TreeSHAP) cost. On two shapes — Adult (32,561 rows, 14 columns,
// deep trees) and Telco churn (7,043 rows, 19 mostly categorical columns) — with the default 100-tree forest, and on
// Adult's gradient-boosted trees (--model gbt):
// per-row cost on one thread, 1,000 test rows on both cores (wall and CPU seconds), and how the per-row cost grows
// with tree depth; then /predict?explain=true served by pipe (Adult model, wrk -t1 -c8 after a warm-up) beside plain
// /predict in the same run. No reference system: no TreeSHAP exists for these forests outside pipe (the `shap`
// package is not in Debian). Medians of RUNS runs; writes bench/results/explain.*
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ADULT_COLUMNS,
  ADULT_RECORD,
  DATA,
  DATASETS,
  freePort,
  loadDataset,
  machine,
  median,
  ROOT,
  recordsOf,
  table,
  withHeader,
  writeResults,
  wrk,
} from "./lib.mjs";

const { PipeModel, startScoreWorkers, stopScoreWorkers, trainModel } = await import("../packages/model/dist/index.js");
const RUNS = Number(process.env.RUNS ?? 3);
const DURATION = process.env.DURATION ?? "10s";

const shapes = {
  adult: { input: withHeader(join(DATASETS, "adult/adult-train.csv"), "adult-headed.csv", ADULT_COLUMNS), target: "income" },
  telco: { input: join(DATASETS, "telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv"), target: "Churn" },
};

async function fitted(d, forest = {}, kind = "forest") {
  const { schema, table: frame, features, cleanup } = await loadDataset(d.input, d.target);
  const { model, split } = await trainModel(frame, features, frame.y, {
    target: d.target,
    classes: [schema.negativeClass, schema.positiveClass],
    positiveClass: schema.positiveClass,
    testSize: 0.3,
    seed: 42,
    dataSha256: "bench",
    threads: 2,
    forest,
    ...(kind === "gbt" ? { model: "gbt" } : {}),
  });
  const records = recordsOf(frame, features, split.test);
  cleanup();
  // As a service or `pipe explain` has it: read back from its file.
  return { model: PipeModel.parse(model.serialize()), records };
}

/** Median ms per row of explaining `rows` records one at a time on this thread. */
function perRow(model, records, rows) {
  for (let i = 0; i < 5; i++) model.explain(records[i]);
  const runs = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    for (let i = 0; i < rows; i++) model.explain(records[(k * rows + i) % records.length]);
    runs.push((performance.now() - t0) / rows);
  }
  return median(runs);
}

/** Median ms per row of explaining 64 records in one call on this thread alone (walked in blocks of rows). */
async function perRowInBlocks(model, records) {
  const batch = records.slice(0, 64);
  await model.explainEachAsync(batch, {}, { threads: 1 });
  const runs = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    await model.explainEachAsync(batch, {}, { threads: 1 });
    runs.push((performance.now() - t0) / batch.length);
  }
  return median(runs);
}

/**
 * Median ms of explaining a small batch (one record; eight, as a service under eight connections gathers them)
 * in one call on both cores: a batch of one block shares the forest's tree groups between the threads.
 */
async function smallBatches(model, records) {
  startScoreWorkers(2);
  await new Promise((r) => setTimeout(r, 300));
  const result = {};
  for (const size of [1, 8]) {
    const batch = records.slice(0, size);
    for (let i = 0; i < 3; i++) await model.explainEachAsync(batch);
    const runs = [];
    for (let k = 0; k < Math.max(5, RUNS); k++) {
      const t0 = performance.now();
      await model.explainEachAsync(batch);
      runs.push(performance.now() - t0);
    }
    result[`batch_${size}_ms`] = median(runs);
  }
  await stopScoreWorkers();
  return result;
}

/** Median wall and CPU seconds of explaining 1,000 records in one batch on both cores. */
async function thousand(model, records) {
  const batch = Array.from({ length: 1000 }, (_, i) => records[i % records.length]);
  startScoreWorkers(2);
  await new Promise((r) => setTimeout(r, 300));
  const wall = [];
  const cpu = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await model.explainEachAsync(batch);
    const c = process.cpuUsage(c0); // every thread of the process
    wall.push((performance.now() - t0) / 1000);
    cpu.push((c.user + c.system) / 1e6);
  }
  await stopScoreWorkers();
  return { wall_s: median(wall), cpu_s: median(cpu) };
}

const results = { machine: machine(), runs: RUNS, shapes: {}, depth: [], api: {} };
for (const [name, d] of Object.entries(shapes)) {
  const { model, records } = await fitted(d);
  const nodes = model.state.forest.packedTrees().nodes.length;
  const one = perRow(model, records, 100);
  const batch = await thousand(model, records);
  const blocks = await perRowInBlocks(model, records);
  results.shapes[name] = {
    trees: model.state.forest.treeCount,
    nodes,
    columns: model.state.preprocessing.specs.length,
    per_row_ms: one,
    per_row_blocks_ms: blocks,
    ...(await smallBatches(model, records)),
    ...batch,
  };
  console.log(name, JSON.stringify(results.shapes[name]));
  if (name === "adult") writeFileSync(join(DATA, "explain-adult-model.json"), model.serialize());
}

// The boosted model of the same data (scikit-learn's HistGradientBoosting defaults): 31-leaf trees.
{
  const { model, records } = await fitted(shapes.adult, {}, "gbt");
  const nodes = model.state.forest.packedTrees().nodes.length;
  results.shapes["adult, gradient-boosted"] = {
    trees: model.state.forest.treeCount,
    nodes,
    columns: model.state.preprocessing.specs.length,
    per_row_ms: perRow(model, records, 1000),
    per_row_blocks_ms: await perRowInBlocks(model, records),
    ...(await smallBatches(model, records)),
    ...(await thousand(model, records)),
  };
  console.log("adult gbt", JSON.stringify(results.shapes["adult, gradient-boosted"]));
}

for (const maxDepth of [4, 8, 12, 16, 24, null]) {
  const { model, records } = await fitted(shapes.adult, { maxDepth });
  const nodes = model.state.forest.packedTrees().nodes.length;
  const row = { max_depth: maxDepth ?? "none", nodes_per_tree: Math.round(nodes / model.state.forest.treeCount), per_row_ms: perRow(model, records, 100) };
  results.depth.push(row);
  console.log("depth", JSON.stringify(row));
}

// The service: plain /predict and /predict?explain=true on the Adult model, in the same run.
if (spawnSync("wrk", ["--version"]).error) console.log("wrk is not installed (apt-get install -y wrk): the service is not measured");
else {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, "apps/api/dist/server.js")], {
    env: { ...process.env, MODEL_PATH: join(DATA, "explain-adult-model.json"), HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "info" },
    stdio: ["ignore", "ignore", "ignore"],
  });
  const exited = new Promise((r) => child.once("exit", r));
  try {
    for (let i = 0; i < 150; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const [name, path] of [
      ["/predict", "/predict"],
      ["/predict?explain=true", "/predict?explain=true"],
    ]) {
      wrk(`http://127.0.0.1:${port}${path}`, ADULT_RECORD, { duration: DURATION }); // warm-up, discarded
      results.api[name] = wrk(`http://127.0.0.1:${port}${path}`, ADULT_RECORD, { duration: DURATION });
      console.log(name, JSON.stringify(results.api[name]));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const f = (v, d = 1) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : "—");
const a = results.shapes.adult;
const g = results.shapes["adult, gradient-boosted"];
const goals = [
  ["Adult, default forest: 1,000 test rows ≤ 10 s on 2 cores", `${f(a.wall_s, 1)} s`, a.wall_s <= 10],
  ["Adult, boosted trees: 1,000 test rows ≤ 1 s", `${f(g.wall_s, 2)} s`, g.wall_s <= 1],
  [
    "/predict with explanations of all columns: p99 ≤ 20 ms at 8 connections",
    `${f(results.api["/predict?explain=true"]?.p99_ms, 1)} ms`,
    (results.api["/predict?explain=true"]?.p99_ms ?? Number.POSITIVE_INFINITY) <= 20,
  ],
];
results.goals = goals.map(([goal, measured, met]) => ({ goal, measured, met }));
const md = `# bench:explain — ${results.machine.date}

Machine: ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}. Exact path-dependent TreeSHAP of the
default 100-tree forest (fully grown trees) and of gradient-boosted trees (\`--model gbt\`: 31-leaf trees), each model read back
from its file; medians of ${RUNS} runs. "Alone": \`model.explain\` of one record at a time; "in a batch": 64 records in one
call on one thread, whose rows walk the trees in blocks of 16 (every row visits every node, so a block pays the per-node
costs once). "1 row" and "8 rows on 2 cores": one call of \`explainEachAsync\` (a batch of at most one block: both
threads walk all its rows, each through a share of the trees). CPU seconds are the process's, every thread's (the
calling thread and the scoring worker).

${table(
  [
    "data",
    "trees",
    "nodes",
    "columns",
    "ms per row alone (1 thread)",
    "ms per row in a batch (1 thread)",
    "1 row, 2 cores: ms",
    "8 rows, 2 cores: ms",
    "1,000 rows wall s (2 cores)",
    "CPU s",
  ],
  Object.entries(results.shapes).map(([n, s]) => [
    n,
    s.trees,
    s.nodes,
    s.columns,
    f(s.per_row_ms, 2),
    f(s.per_row_blocks_ms, 2),
    f(s.batch_1_ms, 2),
    f(s.batch_8_ms, 2),
    f(s.wall_s, 2),
    f(s.cpu_s, 2),
  ]),
)}

Per-row cost against tree depth (Adult, 100 trees): the walk visits every node of every tree once per row, so the cost follows the node count.

${table(
  ["max depth", "nodes per tree", "ms per row"],
  results.depth.map((r) => [r.max_depth, r.nodes_per_tree, f(r.per_row_ms, 2)]),
)}

The service (Adult model, wrk -t1 -c8 -d${DURATION} after a discarded warm-up, logging every request at info to /dev/null;
explanation requests that arrive while it is explaining, or within a millisecond after, are explained together, on both cores):

${table(
  ["route", "req/s", "p50 ms", "p99 ms", "non-2xx"],
  Object.entries(results.api).map(([n, r]) => [n, f(r.requests_per_s, 0), f(r.p50_ms, 2), f(r.p99_ms, 2), r.non_2xx]),
)}

Goals (#22):

${table(
  ["goal", "measured", "met"],
  goals.map(([g, m, ok]) => [g, m, ok ? "yes" : "no"]),
)}
`;
writeResults("explain", results, md);
process.exit(0);
