// ml-random-forest 2.1.0 (the design card's library) on a subsample it can finish, same split protocol.
// usage: node bench/model-mlrf.mjs INPUT.csv TARGET ROWS TREES → one JSON line
import { RandomForestClassifier as MlRandomForest } from "ml-random-forest";
import { Preprocessor, rocAuc, stratifiedSplit } from "../packages/model/dist/index.js";
import { loadDataset, printResult } from "./lib.mjs";

const [input, target, rows = "2000", trees = "20"] = process.argv.slice(2);
const { table, features, cleanup } = await loadDataset(input, target);
try {
  // A stratified subsample of ROWS rows, then the same 70/30 split.
  const sub = stratifiedSplit(table.y, Math.min(0.99, Number(rows) / table.rows), 7).test;
  const ySub = Uint8Array.from(sub, (i) => table.y[i]);
  const split = stratifiedSplit(ySub, 0.3, 42);
  const trainRows = Int32Array.from(split.train, (k) => sub[k]);
  const testRows = Int32Array.from(split.test, (k) => sub[k]);
  const pre = new Preprocessor().fit(table, features, trainRows, table.y);
  const toRows = (cols) => Array.from({ length: cols[0].length }, (_, i) => cols.map((c) => c[i]));
  const Xtr = toRows(pre.transform(table, trainRows));
  const Xte = toRows(pre.transform(table, testRows));
  const ytr = Array.from(trainRows, (i) => table.y[i]);
  const yte = Uint8Array.from(testRows, (i) => table.y[i]);
  const t0 = performance.now();
  const rf = new MlRandomForest({
    nEstimators: Number(trees),
    seed: 42,
    noOOB: true,
    useSampleBagging: true,
    maxFeatures: Math.floor(Math.sqrt(features.length)) / features.length,
  });
  rf.train(Xtr, ytr);
  const fitS = (performance.now() - t0) / 1000;
  // predictProbability ignores one tree's vote (P0 + P1 < 1): use the positive share of all votes instead.
  const p = rf.predictProbability(Xte, 1);
  printResult({
    fit_s: fitS,
    auc: rocAuc(yte, p),
    n_train: ytr.length,
    trees: Number(trees),
    model_bytes: Buffer.byteLength(JSON.stringify(rf.toJSON())),
  });
} finally {
  cleanup();
}
