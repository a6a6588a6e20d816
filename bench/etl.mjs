// `pnpm bench:etl`: Adult × 30 (about 119 MB, 976,830 rows) through pipe's ETL (parse, infer, clean,
// dedupe, write) and through pandas (read_csv + dropna + drop_duplicates + to_csv), in one run.
import { createReadStream, createWriteStream, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ADULT_COLUMNS, DATA, DATASETS, machine, median, PYTHON, ROOT, requirePython, runJson, table, writeResults } from "./lib.mjs";

requirePython(["pandas"]);
const RUNS = Number(process.env.RUNS ?? 3);
const big = join(DATA, "adult-x30.csv");
if (!existsSync(big)) {
  const out = createWriteStream(big);
  for (let k = 0; k < 30; k++) {
    await new Promise((resolve, reject) => {
      const src = createReadStream(join(DATASETS, "adult/adult-train.csv"));
      src.on("end", resolve).on("error", reject).pipe(out, { end: false });
    });
  }
  await new Promise((r) => out.end(r));
}
const mb = statSync(big).size / 1e6;
const pipeRuns = [];
const pandasRuns = [];
for (let r = 0; r < RUNS; r++) {
  console.log(`run ${r + 1}/${RUNS}`);
  const p = runJson(process.execPath, [
    join(ROOT, "apps/cli/dist/pipe.js"),
    "etl",
    "--input",
    big,
    "--target",
    "income",
    "--columns",
    ADULT_COLUMNS.join(","),
    "--out",
    join(DATA, "etl-out"),
    "--json",
    "--quiet",
  ]);
  pipeRuns.push(p);
  pandasRuns.push(runJson(PYTHON, [join(ROOT, "bench/etl_pandas.py"), big, join(DATA, "pandas-out.csv")]));
}
// The parsers the design card and the toolchain notes name, on the same file, each in its own process.
const PARSERS = ["pipe-tokenizer", "pipe-readcsv", "udsv", "papaparse", "csv-parse"];
const parserRuns = Object.fromEntries(PARSERS.map((name) => [name, []]));
for (let r = 0; r < RUNS; r++) {
  for (const name of PARSERS) parserRuns[name].push(runJson(process.execPath, [join(ROOT, "bench/etl-parse-one.mjs"), name, big]));
}
const parserRows = PARSERS.map((name) => {
  const s = median(parserRuns[name].map((r) => r.seconds));
  const rss = median(parserRuns[name].map((r) => r.peak_rss_mb));
  return [name, s.toFixed(2), (mb / s).toFixed(0), rss.toFixed(0), String(parserRuns[name][0].records)];
});

// A generated 2 GB file through the streaming stages (ETL_2GB=0 skips it: it takes minutes).
let streaming = null;
if (process.env.ETL_2GB !== "0") {
  const huge = join(DATA, "synthetic-2gb.csv");
  if (!existsSync(huge) || statSync(huge).size < 2 ** 31) {
    console.log("generating a 2 GB CSV (once)");
    runJson(process.execPath, [join(ROOT, "bench/etl-generate.mjs"), huge, String(2 ** 31)]);
  }
  console.log("2 GB streaming run");
  const run = runJson(process.execPath, [
    join(ROOT, "apps/cli/dist/pipe.js"),
    "etl",
    "--input",
    huge,
    "--target",
    "churn",
    "--out",
    join(DATA, "etl-2gb-out"),
    "--json",
    "--quiet",
  ]);
  streaming = { gb: statSync(huge).size / 2 ** 30, ...run };
}

const pipeS = median(pipeRuns.map((r) => r.seconds));
const pandasS = median(pandasRuns.map((r) => r.seconds));
const pipeRss = median(pipeRuns.map((r) => r.peak_rss_mb));
const pandasRss = median(pandasRuns.map((r) => r.peak_rss_mb));
const rows = pipeRuns[0].rows_in;
const m = machine();
const md = `# bench:etl — ${m.date}

Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}. Input: Adult × 30, ${mb.toFixed(0)} MB, ${rows} rows. Medians of ${RUNS} runs.
pipe: \`pipe etl\` (detect, profile pass, clean pass with type checks and dedupe, processed + rejects written atomically).
pandas: read_csv + dropna + drop_duplicates + to_csv (the original design; it drops every row with a missing cell).

${table(
  ["system", "wall s", "rows/s", "MB/s", "peak RSS MB", "rows out"],
  [
    ["pipe etl", pipeS.toFixed(2), Math.round(rows / pipeS).toString(), (mb / pipeS).toFixed(1), pipeRss.toFixed(0), String(pipeRuns[0].rows_out)],
    ["pandas", pandasS.toFixed(2), Math.round(rows / pandasS).toString(), (mb / pandasS).toFixed(1), pandasRss.toFixed(0), String(pandasRuns[0].rows_out)],
  ],
)}

Goals: wall time ≤ 0.5 × pandas — ${pipeS <= 0.5 * pandasS ? "met" : "**not met**"} (${(pipeS / pandasS).toFixed(2)}×); peak RSS ≤ 200 MB — ${pipeRss <= 200 ? "met" : "**not met**"} (${pipeRss.toFixed(0)} MB).

## CSV parsers on the same file (parse every record into fields; medians of ${RUNS})

${table(["parser", "s", "MB/s", "peak RSS MB", "records"], parserRows)}

pipe's ETL uses \`pipe-tokenizer\`: the byte-level RFC 4180 tokenizer of @pipe/etl, which hands out field spans
(no string per field) and hashes each field while scanning, so the ETL's dictionaries never look at a byte twice;
it also keeps exact line/column errors. \`pipe-readcsv\` is the same tokenizer decoding every field to a string (the
library's record API). uDSV, Papa Parse and csv-parse build strings for every field; csv-parse is the design card's
choice. Blank lines count as records for Papa Parse and csv-parse (Adult × 30 has 30).

## 2 GB streaming run

${
  streaming
    ? `${streaming.gb.toFixed(2)} GiB, ${streaming.rows_in} rows (generated by bench/etl-generate.mjs: id, integers, floats with cents, quoted categories, gaps, dates): ` +
      `${streaming.seconds.toFixed(0)} s, peak RSS ${streaming.peak_rss_mb.toFixed(0)} MB — goal < 300 MB ${streaming.peak_rss_mb < 300 ? "met" : "**not met**"}.`
    : "skipped (ETL_2GB=0)"
}
`;
console.log(md);
writeResults(
  "etl",
  {
    machine: m,
    runs: RUNS,
    input_mb: mb,
    rows,
    pipe: pipeRuns,
    pandas: pandasRuns,
    pipe_seconds: pipeS,
    pandas_seconds: pandasS,
    pipe_to_pandas: pipeS / pandasS,
    parsers: parserRuns,
    streaming_2gb: streaming,
  },
  md,
);
