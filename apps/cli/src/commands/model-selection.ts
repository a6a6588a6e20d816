import {
  binaryMetrics,
  crossValidate,
  type FeatureInput,
  type Frame,
  type ModelKind,
  type ModelSelection,
  type PipeModel,
  type PreprocessorOptions,
  type RandomForestParams,
  type TrainOptions,
  type TrainTestSplit,
  trainModel,
} from "@pipe/model";
import type { PipeConfig } from "../config.js";

/** Cross-validated ROC AUCs this close count as a tie, which the simpler model wins. */
const TIE = 1e-3;

/** The models that can be saved, simplest first: on a tie the earlier one is saved. */
const SAVABLE = [
  { kind: "logistic", name: "logistic regression (L2, C = 1)" },
  { kind: "forest", name: "random forest" },
  { kind: "gbt", name: "gradient-boosted trees" },
] as const;

/**
 * `--model auto`: the majority class, the logistic regression, the forest and the boosted trees compared
 * by stratified k-fold cross-validation on the training rows only (the test rows stay untouched), each
 * then fitted on all the training rows and scored on the test rows for the table. The saved model is the
 * one with the best CV ROC AUC; within TIE of it the simplest wins (logistic regression, then forest,
 * then boosted trees). The majority class is the yardstick: when nothing beats it, the table says so.
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

  // Each model refitted per fold with its own preprocessing, then on all the training rows.
  for (const { kind, name } of SAVABLE) {
    const model = kind === "gbt" ? { model: kind, boosting } : { model: kind };
    let t0 = performance.now();
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
    rows.push({
      name,
      kind,
      ...meanSd(cv.per_fold.map((f) => f.roc_auc as number)),
      test_roc_auc: m.roc_auc,
      test_log_loss: m.log_loss,
      fit_seconds: fitSeconds,
      saved: false,
      cv_seconds: cvSec,
    });
  }
  const savable = rows.filter((r) => r.kind !== "majority");
  const best = Math.max(...savable.map((r) => r.cv_roc_auc_mean));
  const chosen = savable.find((r) => r.cv_roc_auc_mean >= best - TIE) as ModelSelection["candidates"][number];
  chosen.saved = true;
  const top = savable.reduce((a, b) => (b.cv_roc_auc_mean > a.cv_roc_auc_mean ? b : a));
  const tied = top !== chosen ? `, tied within ${TIE} with the ${top.name} (${top.cv_roc_auc_mean.toFixed(4)}) and simpler` : "";
  const chance = best <= 0.5 + TIE ? " No model does better than the majority class: the features carry no usable signal for this target." : "";
  const note = `The saved model is the ${chosen.name}: the best cross-validated ROC AUC (${chosen.cv_roc_auc_mean.toFixed(4)} ± ${chosen.cv_roc_auc_std.toFixed(4)} over ${folds} folds)${tied}.${chance}`;
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
