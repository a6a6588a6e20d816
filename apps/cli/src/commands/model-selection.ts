import {
  binaryMetrics,
  crossValidate,
  type FeatureInput,
  type Frame,
  logisticBaseline,
  type ModelKind,
  type ModelSelection,
  type PipeModel,
  Preprocessor,
  type PreprocessorOptions,
  type RandomForestParams,
  stratifiedKFold,
  type TrainOptions,
  type TrainTestSplit,
  trainModel,
} from "@pipe/model";
import type { PipeConfig } from "../config.js";

/** Cross-validated ROC AUCs this close count as a tie, which the simpler model wins. */
const TIE = 1e-3;

/**
 * `--model auto`: the majority class, the logistic regression, the forest and the boosted trees compared
 * by stratified k-fold cross-validation on the training rows only (the test rows stay untouched), each
 * then fitted on all the training rows and scored on the test rows for the table. The saved model is the
 * tree model with the best CV ROC AUC, the forest on a tie; when a baseline does better than both, the
 * table says so (this pipe saves tree models only).
 */
export async function selectModel(
  config: PipeConfig,
  frame: Frame & { y: Uint8Array },
  features: readonly FeatureInput[],
  split: TrainTestSplit,
  train: Omit<TrainOptions, "model" | "boosting">,
  boosting: NonNullable<TrainOptions["boosting"]>,
): Promise<{ kind: ModelKind; selection: ModelSelection; model: PipeModel }> {
  const y = frame.y;
  const folds = config.model.cv >= 2 ? config.model.cv : 5;
  const forestParams: RandomForestParams = train.forest ?? {};
  const preprocessing: PreprocessorOptions = train.preprocessing ?? {};
  const yTest = Uint8Array.from(split.test, (i) => y[i] as number);
  const rows: ModelSelection["candidates"] = [];
  const fittedByKind = new Map<string, PipeModel>();

  // Majority class: every row scored at the training rate; ROC AUC 0.5 by construction.
  let positives = 0;
  for (const i of split.train) positives += y[i] as number;
  const rate = positives / split.train.length;
  rows.push({
    name: "majority class",
    kind: "majority",
    cv_roc_auc_mean: 0.5,
    cv_roc_auc_std: 0,
    test_roc_auc: 0.5,
    test_log_loss: binaryMetrics(yTest, new Float64Array(yTest.length).fill(rate)).log_loss,
    fit_seconds: 0,
    saved: false,
  });

  // Logistic regression: refitted per fold with its own preprocessing, as the forest is.
  const yTrain = Uint8Array.from(split.train, (i) => y[i] as number);
  let t0 = performance.now();
  const aucs: number[] = [];
  for (const fold of stratifiedKFold(yTrain, folds, config.seed)) {
    const fit = Int32Array.from(fold.train, (k) => split.train[k] as number);
    const hold = Int32Array.from(fold.test, (k) => split.train[k] as number);
    aucs.push(logisticBaseline(new Preprocessor(preprocessing).fit(frame, features, fit, y), frame, y, fit, hold, 0.5).roc_auc);
  }
  const cvSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const logistic = logisticBaseline(new Preprocessor(preprocessing).fit(frame, features, split.train, y), frame, y, split.train, split.test, 0.5);
  rows.push({
    name: logistic.name,
    kind: "logistic",
    ...meanSd(aucs),
    test_roc_auc: logistic.roc_auc,
    test_log_loss: logistic.log_loss,
    fit_seconds: (performance.now() - t0) / 1000,
    saved: false,
    cv_seconds: cvSeconds,
  });

  for (const kind of ["forest", "gbt"] as const) {
    const model = kind === "gbt" ? { model: kind, boosting } : { model: kind };
    t0 = performance.now();
    const cv = await crossValidate(
      frame,
      features,
      y,
      split.train,
      folds,
      config.seed,
      forestParams,
      preprocessing,
      0.5,
      train.threads,
      train.calibration,
      model,
    );
    const cvSec = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const fitted = (await trainModel(frame, features, y, { ...train, ...model })).model;
    fittedByKind.set(kind, fitted);
    const fitSeconds = (performance.now() - t0) / 1000;
    const m = binaryMetrics(yTest, fitted.predictProba(fitted.preprocessor.transform(frame, split.test)));
    const aucs = cv.per_fold.map((f) => f.roc_auc as number);
    rows.push({
      name: kind === "gbt" ? "gradient-boosted trees" : "random forest",
      kind,
      ...meanSd(aucs),
      test_roc_auc: m.roc_auc,
      test_log_loss: m.log_loss,
      fit_seconds: fitSeconds,
      saved: false,
      cv_seconds: cvSec,
    });
  }
  const forest = rows.find((r) => r.kind === "forest") as ModelSelection["candidates"][number];
  const gbt = rows.find((r) => r.kind === "gbt") as ModelSelection["candidates"][number];
  const chosen = gbt.cv_roc_auc_mean > forest.cv_roc_auc_mean + TIE ? gbt : forest;
  chosen.saved = true;
  const best = rows.reduce((a, b) => (b.cv_roc_auc_mean > a.cv_roc_auc_mean + TIE ? b : a));
  const note =
    best === chosen || best.cv_roc_auc_mean <= chosen.cv_roc_auc_mean + TIE
      ? `The saved model is the ${chosen.name}: the best cross-validated ROC AUC (${chosen.cv_roc_auc_mean.toFixed(4)} ± ${chosen.cv_roc_auc_std.toFixed(4)} over ${folds} folds)${chosen.kind === "forest" && Math.abs(gbt.cv_roc_auc_mean - forest.cv_roc_auc_mean) <= TIE ? ", tied with the boosted trees and simpler" : ""}.`
      : `The ${best.name} has the best cross-validated ROC AUC (${best.cv_roc_auc_mean.toFixed(4)} vs ${chosen.cv_roc_auc_mean.toFixed(4)}), but this pipe saves tree models only: the saved model is the ${chosen.name}, the better of the two; the data looks close to linear.`;
  return {
    kind: chosen.kind as ModelKind,
    selection: { folds, metric: "roc_auc", tie: TIE, candidates: rows, chosen: chosen.name, note },
    model: fittedByKind.get(chosen.kind) as PipeModel,
  };
}

function meanSd(values: readonly number[]): { cv_roc_auc_mean: number; cv_roc_auc_std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { cv_roc_auc_mean: mean, cv_roc_auc_std: sd };
}
