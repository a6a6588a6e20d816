// pnpm bench:predict: `pipe predict` on a 1M-row CSV (read, score, write) against scikit-learn's
// read_csv + predict_proba + to_csv on the same rows, with the same kind of 100-tree forest trained on Adult,
// in the same run. Two shapes: Adult's training rows 31 times (as #19 measures it), and the same rows made
// distinct (fnlwgt offset by copy) with a tenth of their cells blank or an unseen category (missing values,
// warnings). Medians of RUNS runs (3); wall and CPU seconds, peak RSS. Writes bench/results/predict.*
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADULT_COLUMNS, DATA, DATASETS, machine, median, PYTHON, ROOT, requirePython, runJson, seededRandom, table, withHeader, writeResults } from "./lib.mjs";

requirePython(["sklearn", "pandas"]);
const RUNS = Number(process.env.RUNS ?? 3);
const ROWS_GOAL = 300_000;
const RSS_GOAL_MB = 250;
const PIPE = join(ROOT, "apps/cli/dist/pipe.js");
const train = withHeader(join(DATASETS, "adult/adult-train.csv"), "adult-headed.csv", ADULT_COLUMNS);
const out = join(DATA, "predict-model");
const model = join(out, "model.json");
// Trained afresh every run: a model left by an older build would measure that build's file.
console.log("training pipe's Adult model (pipe etl + train)");
for (const stage of ["etl", "train"]) {
  const r = spawnSync(process.execPath, [PIPE, stage, "--input", train, "--target", "income", "--out", out, "--quiet"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
}

/** The training rows without their target, 31 times: 1,009,391 rows. */
function shapes() {
  const [, ...body] = readFileSync(train, "utf8").trimEnd().split("\n");
  const lines = body.filter((l) => l.trim() !== "").map((l) => l.split(",").slice(0, -1));
  const header = ADULT_COLUMNS.slice(0, -1).join(",");
  const fnlwgt = ADULT_COLUMNS.indexOf("fnlwgt");
  const random = seededRandom(19);
  const make = (name, edit) => {
    const path = join(DATA, `predict-${name}.csv`);
    if (existsSync(path)) return path;
    const parts = [`${header}\n`];
    for (let copy = 0; copy < 31; copy++) parts.push(`${lines.map((cells) => edit(cells, copy).join(",")).join("\n")}\n`);
    writeFileSync(path, parts.join(""));
    return path;
  };
  return {
    "Adult × 31 (repeated rows)": make("repeated", (cells) => cells),
    "Adult × 31, distinct, 10% cells blank or unseen": make("distinct", (cells, copy) =>
      cells.map((v, j) => {
        if (j === fnlwgt) return ` ${Number(v) + copy}`;
        const u = random();
        return u < 0.07 ? "" : u < 0.1 && Number.isNaN(Number(v)) ? " Unseen-level" : v;
      }),
    ),
  };
}

const results = {};
for (const [shape, input] of Object.entries(shapes())) {
  const scored = join(DATA, "predict-scored.csv");
  const pipeRuns = [];
  const skRuns = [];
  for (let r = 0; r < RUNS; r++) {
    console.log(`${shape}: run ${r + 1} of ${RUNS}`);
    const p = runJson(process.execPath, [PIPE, "predict", "--model", model, "--input", input, "--output", scored, "--json", "--quiet"]);
    pipeRuns.push({ wall_s: p.process_wall_seconds, cpu_s: p.cpu_seconds, peak_rss_mb: p.peak_rss_mb, rows: p.rows });
    skRuns.push(runJson(PYTHON, [join(ROOT, "bench/predict_sklearn.py"), train, "income", input, scored]));
  }
  rmSync(scored, { force: true });
  const m = (runs, key) => median(runs.map((x) => x[key]));
  const rows = pipeRuns[0].rows;
  results[shape] = {
    rows,
    pipe: { wall_s: m(pipeRuns, "wall_s"), cpu_s: m(pipeRuns, "cpu_s"), peak_rss_mb: m(pipeRuns, "peak_rss_mb"), runs: pipeRuns },
    sklearn: { wall_s: m(skRuns, "predict_file_s"), cpu_s: m(skRuns, "predict_file_cpu_s"), runs: skRuns },
  };
}

const f = (x, d = 1) => x.toFixed(d);
const rate = (r) => r.rows / r.pipe.wall_s;
const rowsTable = Object.entries(results).map(([shape, r]) => [
  shape,
  r.rows.toLocaleString("en"),
  f(r.pipe.wall_s, 2),
  f(r.pipe.cpu_s, 1),
  f(r.pipe.peak_rss_mb, 0),
  Math.round(rate(r)).toLocaleString("en"),
  f(r.sklearn.wall_s, 2),
  f(r.sklearn.cpu_s, 1),
  f(r.pipe.wall_s / r.sklearn.wall_s, 2),
]);
const goals = Object.entries(results).flatMap(([shape, r]) => [
  { goal: `${shape}: ≥ ${ROWS_GOAL.toLocaleString("en")} rows/s`, measured: `${Math.round(rate(r)).toLocaleString("en")} rows/s`, met: rate(r) >= ROWS_GOAL },
  { goal: `${shape}: peak RSS ≤ ${RSS_GOAL_MB} MB`, measured: `${f(r.pipe.peak_rss_mb, 0)} MB`, met: r.pipe.peak_rss_mb <= RSS_GOAL_MB },
]);
const m0 = machine();
const markdown = `# bench:predict — ${m0.date}

${m0.cpu}, ${m0.cores} cores, ${m0.memory_gb} GB, Node ${m0.node}. Medians of ${RUNS} runs, each system in the same run.

\`pipe predict\` (read the CSV, score every row with the 100-tree Adult forest on the scoring workers, write the
rows with their scores) against scikit-learn (pandas read_csv, Pipeline.predict_proba with n_jobs=2, to_csv; its
training is not timed). pipe's times are the whole process (start, model load included); CPU is user + system.

${table(["input", "rows", "pipe s", "pipe CPU s", "pipe peak RSS MB", "pipe rows/s", "scikit-learn s", "scikit-learn CPU s", "pipe / scikit-learn"], rowsTable)}

## Goals (#19)

${table(
  ["goal", "measured", "met"],
  goals.map((g) => [g.goal, g.measured, g.met ? "yes" : "**no**"]),
)}
`;
console.log(`\n${markdown}`);
writeResults("predict", { machine: m0, runs: RUNS, results, goals }, markdown);
