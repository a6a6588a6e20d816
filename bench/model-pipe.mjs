// pipe side of `pnpm bench:model`: ETL, then fit / predict timings on the 70/30 stratified split (seed 42).
// usage: node bench/model-pipe.mjs INPUT.csv TARGET THREADS  → one JSON line (MODEL=gbt: the boosted trees)
// SPLIT_OUT=DIR also writes pipe's processed rows and its test rows there (processed.csv, split.json),
// so scikit-learn's side can fit on the same rows (model_sklearn.py's fifth argument).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateModel, PipeModel, sha256, startTreeWorkers, trainModel } from "../packages/model/dist/index.js";
import { loadDataset, printResult, ROOT, recordsOf, runJson } from "./lib.mjs";

const [input, target, threads = "2"] = process.argv.slice(2);
const boosted = process.env.MODEL === "gbt";
// As `pipe train` does: the forest's worker threads start (and warm up) while the data is read, the
// way scikit-learn's compiled code is loaded before its fit is timed. COLD_WORKERS=1 leaves them to
// start inside the fit.
const { out, schema, table, features, cleanup } = await loadDataset(input, target, (s) => {
  if (!process.env.COLD_WORKERS && !boosted) startTreeWorkers({ rows: Math.round(s.rows * 0.7), trees: 100, threads: Number(threads) });
});
try {
  // Hashing the input file is reading it, which scikit-learn's side does not time either.
  const dataSha256 = sha256(readFileSync(out.processed));
  const t0 = performance.now();
  let { model, split } = await trainModel(table, features, table.y, {
    target,
    classes: [schema.negativeClass, schema.positiveClass],
    positiveClass: schema.positiveClass,
    testSize: 0.3,
    seed: 42,
    dataSha256,
    threads: Number(threads),
    ...(boosted ? { model: "gbt" } : {}),
  });
  const fitS = (performance.now() - t0) / 1000;
  if (process.env.SPLIT_OUT) {
    copyFileSync(out.processed, join(process.env.SPLIT_OUT, "processed.csv"));
    writeFileSync(join(process.env.SPLIT_OUT, "split.json"), JSON.stringify({ target, positive: schema.positiveClass, test: [...split.test] }));
  }
  // Peak RSS of the process up to the end of the fit (ETL and reading included), as scikit-learn's side measures it.
  const fitPeakRssMb = process.resourceUsage().maxRSS / 1024;
  const ev = await evaluateModel(model, table, table.y, split.test, 0.5, { permutationRepeats: 1 });
  let text = model.serialize();
  // As `pipe train` then `pipe evaluate` / the API do: the trained model is gone once saved, and the
  // text once parsed (the process never holds all three).
  model = undefined;
  const modelBytes = Buffer.byteLength(text);
  // Loading as `pipe serve` does, in a fresh process: parse time and the load's peak memory.
  const modelDir = mkdtempSync(join(tmpdir(), "pipe-bench-model-"));
  writeFileSync(join(modelDir, "model.json"), text);
  const load = runJson(process.execPath, [join(ROOT, "bench/model-load.mjs"), join(modelDir, "model.json")]);
  rmSync(modelDir, { recursive: true, force: true });
  const loaded = PipeModel.parse(text);
  text = undefined;
  // Raw records, as the API receives them.
  const records = recordsOf(table, features, split.test);
  for (let i = 0; i < 2000; i++) loaded.predict(records[i % records.length]); // warm-up
  const one = [];
  for (let i = 0; i < 5000; i++) {
    const r = records[i % records.length];
    const s = process.hrtime.bigint();
    loaded.predict(r);
    one.push(Number(process.hrtime.bigint() - s) / 1000);
  }
  one.sort((a, b) => a - b);
  const batch = Array.from({ length: 10000 }, (_, i) => records[i % records.length]);
  // Raw records in, probabilities out, as scikit-learn's Pipeline.predict_proba(DataFrame): the batch
  // call (both cores for a batch this size), and, for comparison, a loop of single-row calls.
  const timed = async (fn) => {
    await fn();
    const t = [];
    for (let k = 0; k < 3; k++) {
      const s = performance.now();
      await fn();
      t.push(performance.now() - s);
    }
    return t.sort((a, b) => a - b)[1];
  };
  const batchMs = await timed(() => loaded.predictBatchAsync(batch));
  const loopMs = await timed(() => {
    for (const r of batch) loaded.predict(r);
  });
  printResult({
    fit_s: fitS,
    auc: ev.metrics.roc_auc,
    predict1_us: one[one.length >> 1],
    predict10k_ms: batchMs,
    predict10k_loop_ms: loopMs,
    parse_ms: load.parse_ms,
    load_peak_rss_mb: load.load_peak_rss_mb,
    model_bytes: modelBytes,
    n_train: split.train.length,
    n_test: split.test.length,
    fit_peak_rss_mb: fitPeakRssMb,
  });
} finally {
  cleanup();
}
