// `pnpm bench:etl`: three shapes of file — Adult × 30 (119 MB, 97% of rows repeat an earlier one), Adult × 30
// with every row distinct (bench/etl-distinct.mjs), and a generated wide file of 1 GiB (bench/etl-generate.mjs;
// ETL_WIDE_BYTES to change) — each through pipe's ETL, pandas (read_csv + dropna + drop_duplicates + to_csv)
// and DuckDB (read_csv + DISTINCT + COPY), in one run; then CSV parsers on the first file.
import { createReadStream, createWriteStream, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ADULT_COLUMNS, DATA, DATASETS, machine, median, PYTHON, ROOT, requirePython, runJson, table, writeResults } from "./lib.mjs";

requirePython(["pandas"]);
const RUNS = Number(process.env.RUNS ?? 3);
const WIDE_BYTES = Number(process.env.ETL_WIDE_BYTES ?? 2 ** 30);
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
const distinct = join(DATA, "adult-x30-distinct.csv");
if (!existsSync(distinct)) runJson(process.execPath, [join(ROOT, "bench/etl-distinct.mjs"), distinct, "30"]);
const wide = join(DATA, `wide-${Math.round(WIDE_BYTES / 2 ** 20)}mb.csv`);
if (!existsSync(wide)) {
  console.log(`generating a ${(WIDE_BYTES / 2 ** 30).toFixed(2)} GiB wide CSV (once)`);
  runJson(process.execPath, [join(ROOT, "bench/etl-generate.mjs"), wide, String(WIDE_BYTES)]);
}

// The three shapes, each through the three systems, alternating within a run.
const FILES = [
  { name: "Adult × 30 (97% of rows repeat)", path: big, header: false, na: "?", target: "income", columns: ADULT_COLUMNS },
  { name: "Adult × 30, every row distinct", path: distinct, header: false, na: "?", target: "income", columns: ADULT_COLUMNS },
  { name: "wide generated (60 columns)", path: wide, header: true, na: "NA", target: "churn" },
];
const SYSTEMS = {
  pipe: (f, r) =>
    runJson(process.execPath, [
      join(ROOT, "apps/cli/dist/pipe.js"),
      "etl",
      "--input",
      f.path,
      "--target",
      f.target,
      ...(f.columns ? ["--columns", f.columns.join(",")] : []),
      "--out",
      join(DATA, `etl-out-${r}`),
      "--json",
      "--quiet",
    ]),
  pandas: (f, r) => runJson(PYTHON, [join(ROOT, "bench/etl_pandas.py"), f.path, join(DATA, `pandas-out-${r}.csv`), f.header ? "1" : "0", f.na]),
  duckdb: (f, r) => runJson(process.execPath, [join(ROOT, "bench/etl-duckdb.mjs"), f.path, join(DATA, `duckdb-out-${r}.csv`), f.header ? "1" : "0", f.na]),
};
const runs = FILES.map(() => Object.fromEntries(Object.keys(SYSTEMS).map((s) => [s, []])));
for (let r = 0; r < RUNS; r++) {
  FILES.forEach((f, i) => {
    for (const [system, run] of Object.entries(SYSTEMS)) {
      const result = run(f, r);
      runs[i][system].push(result);
      console.log(
        `run ${r + 1}/${RUNS} ${f.name} ${system}: ${result.process_wall_seconds.toFixed(2)} s wall, ${result.cpu_seconds.toFixed(2)} CPU s, ${result.peak_rss_mb.toFixed(0)} MB`,
      );
    }
  });
}
const summary = FILES.map((f, i) => {
  const mb = statSync(f.path).size / 1e6;
  const bySystem = Object.fromEntries(
    Object.keys(SYSTEMS).map((s) => {
      const rs = runs[i][s];
      return [
        s,
        {
          wall: median(rs.map((x) => x.process_wall_seconds)),
          cpu: median(rs.map((x) => x.cpu_seconds)),
          rss: median(rs.map((x) => x.peak_rss_mb)),
          rowsIn: rs[0].rows_in,
          rowsOut: rs[0].rows_out,
        },
      ];
    }),
  );
  return { name: f.name, mb, ...bySystem };
});
// The parsers the design card and the toolchain notes name, on the same file, each in its own process.
const PARSERS = ["pipe-tokenizer", "pipe-readcsv", "udsv", "papaparse", "csv-parse"];
const parserRuns = Object.fromEntries(PARSERS.map((name) => [name, []]));
for (let r = 0; r < RUNS; r++) {
  for (const name of PARSERS) parserRuns[name].push(runJson(process.execPath, [join(ROOT, "bench/etl-parse-one.mjs"), name, big]));
}
const bigMb = statSync(big).size / 1e6;
const parserRows = PARSERS.map((name) => {
  const s = median(parserRuns[name].map((r) => r.seconds));
  const rss = median(parserRuns[name].map((r) => r.peak_rss_mb));
  return [name, s.toFixed(2), (bigMb / s).toFixed(0), rss.toFixed(0), String(parserRuns[name][0].records)];
});

// A generated 2 GB file through the streaming stages (ETL_2GB=1; the wide file above is the regular check).
let streaming = null;
if (process.env.ETL_2GB === "1") {
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

const m = machine();
const fmtSystem = (x, f) => `${x.wall.toFixed(2)} s (${x.cpu.toFixed(1)} CPU s), ${x.rss.toFixed(0)} MB, ${Math.round(f.mb / x.wall)} MB/s`;
const [repeated, distinctRow, wideRow] = summary;
const ratio = (a, b) => (a / b).toFixed(2);
const goal = (ok) => (ok ? "met" : "**not met**");
const md = `# bench:etl — ${m.date}

Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}. Medians of ${RUNS} runs; the systems alternate within each run.
pipe: \`pipe etl\` (detect, profile pass, clean pass with type checks and the duplicates policy, processed + rejects written atomically).
pandas: read_csv + dropna + drop_duplicates + to_csv (the original design; it drops every row with a missing cell).
DuckDB (@duckdb/node-api, all cores): read_csv + SELECT DISTINCT + COPY to CSV.
Wall time is the whole process (start-up included); CPU seconds are user + system.

${table(
  ["file", "MB", "rows in", "pipe", "pandas", "DuckDB", "pipe / pandas", "pipe / DuckDB", "rows out (pipe, pandas, DuckDB)"],
  summary.map((f) => [
    f.name,
    f.mb.toFixed(0),
    String(f.pipe.rowsIn),
    fmtSystem(f.pipe, f),
    fmtSystem(f.pandas, f),
    fmtSystem(f.duckdb, f),
    ratio(f.pipe.wall, f.pandas.wall),
    ratio(f.pipe.wall, f.duckdb.wall),
    `${f.pipe.rowsOut}, ${f.pandas.rowsOut}, ${f.duckdb.rowsOut}`,
  ]),
)}

Goals (issue #17):
- Adult × 30 repeated: ≤ 0.35× pandas — ${goal(repeated.pipe.wall <= 0.35 * repeated.pandas.wall)} (${ratio(repeated.pipe.wall, repeated.pandas.wall)}×).
- Adult × 30 distinct: ≤ 0.5× pandas — ${goal(distinctRow.pipe.wall <= 0.5 * distinctRow.pandas.wall)} (${ratio(distinctRow.pipe.wall, distinctRow.pandas.wall)}×); ≤ 1.0× DuckDB — ${goal(distinctRow.pipe.wall <= distinctRow.duckdb.wall)} (${ratio(distinctRow.pipe.wall, distinctRow.duckdb.wall)}×); peak RSS ≤ 200 MB — ${goal(distinctRow.pipe.rss <= 200)} (${distinctRow.pipe.rss.toFixed(0)} MB).
- Wide file: ≥ 50 MB/s — ${goal(wideRow.mb / wideRow.pipe.wall >= 50)} (${(wideRow.mb / wideRow.pipe.wall).toFixed(1)} MB/s); peak RSS ≤ 300 MB — ${goal(wideRow.pipe.rss <= 300)} (${wideRow.pipe.rss.toFixed(0)} MB).

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
    : "not run (ETL_2GB=1 runs it: it takes minutes)"
}
`;
console.log(md);
writeResults(
  "etl",
  {
    machine: m,
    runs: RUNS,
    files: FILES.map((f, i) => ({ name: f.name, path: f.path, runs: runs[i], summary: summary[i] })),
    parsers: parserRuns,
    streaming_2gb: streaming,
  },
  md,
);
