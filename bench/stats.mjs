// `pnpm bench:stats`: pipe's analysis of Adult (32,561 rows, 15 columns; no chart rendering) beside
// SciPy/pandas doing the same descriptive statistics and tests on the same processed rows, in one run.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { analyze } from "../packages/stats/dist/index.js";
import { ADULT_COLUMNS, DATASETS, loadDataset, machine, median, PYTHON, ROOT, requirePython, runJson, table, withHeader, writeResults } from "./lib.mjs";

requirePython(["scipy", "pandas"]);
const RUNS = Number(process.env.RUNS ?? 5);
const input = withHeader(join(DATASETS, "adult/adult-train.csv"), "adult-headed.csv", ADULT_COLUMNS);
const { dir, out, schema, table: t, features, cleanup } = await loadDataset(input, "income");
try {
  writeFileSync(join(dir, "schema.json"), JSON.stringify(schema));
  const times = [];
  let result;
  for (let r = 0; r < RUNS + 1; r++) {
    const t0 = performance.now();
    result = analyze({
      target: schema.target,
      classes: [schema.negativeClass, schema.positiveClass],
      rows: t.rows,
      features,
      numeric: t.numeric,
      categorical: t.categorical,
      y: t.y,
    });
    if (r > 0) times.push((performance.now() - t0) / 1000);
  }
  const pipeSeconds = median(times);
  const scipy = runJson(PYTHON, [join(ROOT, "bench/stats_scipy.py"), out.processed, join(dir, "schema.json"), String(RUNS)]);
  const m = machine();
  const md = `# bench:stats — ${m.date}

Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}. Adult (adult-train.csv, ${t.rows} rows after ETL, ${features.length} features),
median of ${RUNS} runs after a warm-up; charts not rendered; the CSV read is not timed on either side.
Both sides compute: per numeric feature describe, quantiles, skewness, kurtosis, Welch t, Mann-Whitney U, Kolmogorov-Smirnov,
point-biserial, Shapiro-Wilk per class; per categorical feature the chi-square test; Benjamini-Hochberg; Pearson and Spearman matrices.
pipe also writes the plain-words readings, per-class summaries and the plot data.

${table(
  ["system", "seconds", "ratio"],
  [
    ["pipe analyze()", pipeSeconds.toFixed(3), "1.00"],
    ["SciPy + pandas", scipy.seconds.toFixed(3), (scipy.seconds / pipeSeconds).toFixed(2)],
  ],
)}

Goal: the analysis of Adult in under 1 s — ${pipeSeconds < 1 ? "met" : "**not met**"} (${pipeSeconds.toFixed(3)} s); ${result.tests.length} features tested.
`;
  console.log(md);
  writeResults("stats", { machine: m, runs: RUNS, pipe_seconds: pipeSeconds, scipy, goal_met: pipeSeconds < 1 }, md);
} finally {
  cleanup();
}
