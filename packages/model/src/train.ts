import { GradientBoostingClassifier, type GradientBoostingParams, sigmoid } from "./boosting/gbt.js";
import { buildDriftReference } from "./drift/reference.js";
import { ModelError } from "./errors.js";
import { calibrate, fitOobPlatt, type PlattCalibration } from "./forest/calibration.js";
import { type ForestProgress, RandomForestClassifier, type RandomForestParams } from "./forest/forest.js";
import { startTreeWorkers } from "./forest/parallel.js";
import type { FeatureInput, Frame } from "./frame.js";
import { LinearModel } from "./linear/linear-model.js";
import { labelsAt } from "./metrics/confusion.js";
import { rocAuc } from "./metrics/curves.js";
import { bestF1Threshold, binaryMetrics } from "./metrics/evaluate.js";
import { METRICS } from "./metrics/table.js";
import { accuracy } from "./metrics/threshold-metrics.js";
import { type BoostingState, linearHolder, PipeModel, type TrainingInfo } from "./model.js";
import { Preprocessor, type PreprocessorOptions } from "./preprocess/preprocessor.js";
import { deriveSeed } from "./random.js";
import { stratifiedKFold, stratifiedSplit, type TrainTestSplit } from "./split/stratified.js";

export interface TrainOptions {
  target: string;
  /** [negative, positive] labels. */
  classes: [string, string];
  positiveClass: string;
  testSize: number;
  seed: number;
  forest?: RandomForestParams;
  /**
   * "forest" (default): a random forest; "gbt": histogram gradient boosting (see GradientBoostingClassifier);
   * "logistic": scikit-learn's L2 logistic regression (C = 1) on the same preprocessing, numbers
   * standardised and categories one-hot (see LinearModel); `forest.classWeight` weighs its classes too.
   */
  model?: ModelKind;
  /** Hyper-parameters of the boosted trees (model "gbt"); their seed is `seed`. */
  boosting?: GradientBoostingParams;
  preprocessing?: PreprocessorOptions;
  /** A fixed decision threshold, or "best-f1": chosen by 3-fold cross-validation on the training rows. */
  threshold?: number | "best-f1";
  /**
   * "platt-oob" (default): the forest's probabilities are Platt-scaled on its out-of-bag scores
   * (monotone: the ranking and AUC are unchanged, the probabilities — log loss, Brier — much better);
   * "none": the raw mean of the trees' leaf fractions.
   */
  calibration?: "platt-oob" | "none";
  dataSha256: string;
  versions?: Record<string, string>;
  /** Worker threads for growing trees (default: one per core); the model is the same for any count. */
  threads?: number;
  /** ISO date written into the model; pass a fixed one for byte-identical files. */
  createdAt?: string;
  /**
   * The training file's columns the model will not use (the ETL's dropped columns, with their reasons):
   * records holding them are accepted, the fields ignored with a warning. The target is added.
   */
  ignoredFields?: { name: string; reason: string }[];
  onProgress?: (p: ForestProgress & { stage: string }) => void;
}

export interface TrainResult {
  model: PipeModel;
  split: TrainTestSplit;
}

export type ModelKind = "forest" | "gbt" | "logistic";

interface Fitted {
  preprocessor: Preprocessor;
  /** The trees (boosted ones too: held the same way, packed for the same predictors). */
  forest: RandomForestClassifier;
  yTrain: Uint8Array;
  calibration: PlattCalibration | null;
  boosting: BoostingState | null;
  linear: LinearModel | null;
}

/** Fits preprocessing and the trees (a forest, or boosted trees with `model: "gbt"`) on the given rows only. */
export async function fitPipeline(
  frame: Frame,
  features: readonly FeatureInput[],
  y: Uint8Array,
  rows: Int32Array,
  forestParams: RandomForestParams,
  preprocessing: PreprocessorOptions,
  options: {
    threads?: number;
    onProgress?: (p: ForestProgress) => void;
    calibration?: "platt-oob" | "none";
    model?: ModelKind;
    boosting?: GradientBoostingParams;
  } = {},
): Promise<Fitted> {
  const boosted = options.model === "gbt";
  if (options.model === "logistic") {
    const preprocessor = new Preprocessor(preprocessing).fit(frame, features, rows, y);
    const linear = LinearModel.fit(preprocessor, frame, rows, y, { C: 1, classWeight: forestParams.classWeight === "balanced" ? "balanced" : null });
    const yTrain = Uint8Array.from(rows, (i) => y[i] as number);
    return { preprocessor, forest: linearHolder(linear.state), yTrain, calibration: null, boosting: null, linear };
  }
  // A forest's worker threads start (and warm up) while this thread prepares the matrix.
  if (!boosted)
    startTreeWorkers({
      rows: rows.length,
      ...(forestParams.nEstimators ? { trees: forestParams.nEstimators } : {}),
      ...(options.threads ? { threads: options.threads } : {}),
    });
  const preprocessor = new Preprocessor(preprocessing).fit(frame, features, rows, y);
  const X = preprocessor.transform(frame, rows);
  const yTrain = Uint8Array.from(rows, (i) => y[i] as number);
  if (boosted) {
    const gbt = new GradientBoostingClassifier({ seed: forestParams.seed ?? 42, ...options.boosting }).fit(X, yTrain);
    // Held as a forest's trees are, so the packed predictors, the pool and the model file serve them.
    const forest = new RandomForestClassifier({ nEstimators: gbt.trees.length, seed: forestParams.seed ?? 42 });
    forest.trees = gbt.trees;
    forest.nFeatures = X.length;
    forest.featureImportances = gbt.featureImportances;
    options.onProgress?.({ treesBuilt: gbt.trees.length, nEstimators: gbt.trees.length });
    return {
      preprocessor,
      forest,
      yTrain,
      calibration: null,
      boosting: { intercept: gbt.intercept, params: gbt.params, validation_loss: gbt.validationLoss },
      linear: null,
    };
  }
  const forest = await new RandomForestClassifier(forestParams).fitAsync(X, yTrain, options);
  const calibration = options.calibration === "none" ? null : fitOobPlatt(forest.oobProba, forest.oobCount, yTrain);
  return { preprocessor, forest, yTrain, calibration, boosting: null, linear: null };
}

/** A fitted model's probabilities for the given rows: calibrated when a calibration was fitted, the sigmoid of boosted trees' log-odds. */
function scoreRows(fitted: Fitted, frame: Frame, rows: Int32Array): Float64Array {
  if (fitted.linear) return fitted.linear.predictProba(fitted.preprocessor.transform(frame, rows));
  const p = fitted.forest.predictProba(fitted.preprocessor.transform(frame, rows));
  const trees = fitted.forest.treeCount;
  const b = fitted.boosting;
  if (b) for (let i = 0; i < p.length; i++) p[i] = sigmoid(b.intercept + trees * (p[i] as number));
  const c = fitted.calibration;
  if (c) for (let i = 0; i < p.length; i++) p[i] = calibrate(p[i] as number, trees, c);
  return p;
}

/**
 * Splits, fits on the training rows, picks the threshold, and returns a model ready to save.
 *
 * @example
 * const frame = { rows: 6, numeric: new Map([["x", Float64Array.from([1, 2, 3, 4, 5, 6])]]), categorical: new Map<string, string[]>() };
 * const { model, split } = await trainModel(frame, [{ name: "x", kind: "numeric" }], Uint8Array.from([0, 0, 0, 1, 1, 1]), {
 *   target: "y",
 *   classes: ["0", "1"],
 *   positiveClass: "1",
 *   testSize: 0.3,
 *   seed: 42,
 *   dataSha256: "…",
 *   forest: { nEstimators: 10 },
 * });
 * model.predict({ x: 5 }).probability;
 * split.test.length; // 2
 */
export async function trainModel(frame: Frame, features: readonly FeatureInput[], y: Uint8Array, options: TrainOptions): Promise<TrainResult> {
  const split = stratifiedSplit(y, options.testSize, options.seed);
  const forestParams = { seed: options.seed, ...options.forest };
  const { preprocessor, forest, yTrain, calibration, boosting, linear } = await fitPipeline(
    frame,
    features,
    y,
    split.train,
    forestParams,
    options.preprocessing ?? {},
    {
      ...fitOptions(options),
      onProgress: (p) => options.onProgress?.({ ...p, stage: "train" }),
    },
  );
  let threshold = 0.5;
  if (typeof options.threshold === "number") threshold = options.threshold;
  else if (options.threshold === "best-f1") threshold = await chooseThresholdByCv(frame, features, y, split.train, forestParams, options);
  if (!(threshold > 0 && threshold < 1)) throw new ModelError(`threshold must be between 0 and 1 (got ${threshold})`);
  // Boosted trees have no out-of-bag scores (the array is empty): no oob figures for them.
  const oobRows: number[] = [];
  forest.oobProba.forEach((p, i) => {
    if (!Number.isNaN(p)) oobRows.push(i);
  });
  let oob: TrainingInfo["oob"] = null;
  const oobY = Uint8Array.from(oobRows, (i) => yTrain[i] as number);
  if (oobRows.length > 0 && oobY.includes(0) && oobY.includes(1)) {
    const oobP = Float64Array.from(oobRows, (i) => forest.oobProba[i] as number);
    oob = { roc_auc: rocAuc(oobY, oobP), accuracy: accuracy(oobY, labelsAt(oobP, 0.5)) };
  }
  const model = new PipeModel({
    target: options.target,
    classes: options.classes,
    positiveClass: options.positiveClass,
    threshold,
    preprocessing: {
      minCategoryCount: preprocessor.minCategoryCount,
      maxLevels: preprocessor.maxLevels,
      missingIndicators: preprocessor.missingIndicators,
      specs: preprocessor.specs,
    },
    forest,
    calibration,
    boosting,
    linear: linear ? linear.state : null,
    training: {
      data_sha256: options.dataSha256,
      rows: y.length,
      n_train: split.train.length,
      n_test: split.test.length,
      test_size: options.testSize,
      seed: options.seed,
      created_at: options.createdAt ?? new Date().toISOString(),
      versions: options.versions ?? {},
      oob,
    },
    ignoredFields: [...(options.ignoredFields ?? []).filter((f) => f.name !== options.target), { name: options.target, reason: "the target" }],
  });
  // Prediction drift compares new probabilities with those of the held-out rows: rows the model never saw, as new ones are.
  const heldOut = split.test.length > 0 ? model.predictProba(preprocessor.transform(frame, split.test)) : new Float64Array(0);
  model.state.driftReference = buildDriftReference(model, frame, split.train, heldOut, options.seed);
  return { model, split };
}

/** The fitting options of a training run that fitPipeline takes. */
function fitOptions(options: TrainOptions) {
  return {
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.calibration ? { calibration: options.calibration } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.boosting ? { boosting: options.boosting } : {}),
  };
}

async function chooseThresholdByCv(
  frame: Frame,
  features: readonly FeatureInput[],
  y: Uint8Array,
  trainRows: Int32Array,
  forestParams: RandomForestParams,
  options: TrainOptions,
): Promise<number> {
  const yTrain = Uint8Array.from(trainRows, (i) => y[i] as number);
  const folds = stratifiedKFold(yTrain, 3, deriveSeed(options.seed, 7919));
  const scores = new Float64Array(trainRows.length);
  for (const fold of folds) {
    const fitRows = Int32Array.from(fold.train, (k) => trainRows[k] as number);
    const fitted = await fitPipeline(frame, features, y, fitRows, forestParams, options.preprocessing ?? {}, fitOptions(options));
    const holdRows = Int32Array.from(fold.test, (k) => trainRows[k] as number);
    // On the same scale as the model's own probabilities: each fold calibrated as the model is.
    const p = scoreRows(fitted, frame, holdRows);
    fold.test.forEach((k, j) => {
      scores[k] = p[j] as number;
    });
  }
  return bestF1Threshold(yTrain, scores);
}

export interface CvSummary {
  folds: number;
  mean: Record<string, number>;
  std: Record<string, number>;
  per_fold: Record<string, number>[];
}

/** Stratified k-fold cross-validation of the whole pipeline (preprocessing refitted per fold). */
export async function crossValidate(
  frame: Frame,
  features: readonly FeatureInput[],
  y: Uint8Array,
  rows: Int32Array,
  k: number,
  seed: number,
  forestParams: RandomForestParams,
  preprocessing: PreprocessorOptions,
  threshold = 0.5,
  threads?: number,
  calibration: "platt-oob" | "none" = "platt-oob",
  model: { model?: ModelKind; boosting?: GradientBoostingParams } = {},
): Promise<CvSummary> {
  const ySub = Uint8Array.from(rows, (i) => y[i] as number);
  const perFold: Record<string, number>[] = [];
  for (const fold of stratifiedKFold(ySub, k, seed)) {
    const fitRows = Int32Array.from(fold.train, (j) => rows[j] as number);
    const testRows = Int32Array.from(fold.test, (j) => rows[j] as number);
    const fitted = await fitPipeline(frame, features, y, fitRows, { seed, ...forestParams }, preprocessing, {
      ...(threads !== undefined ? { threads } : {}),
      calibration,
      ...model,
    });
    const p = scoreRows(fitted, frame, testRows);
    const m = binaryMetrics(
      Uint8Array.from(testRows, (i) => y[i] as number),
      p,
      threshold,
    );
    perFold.push(Object.fromEntries(METRICS.map(({ name }) => [name, m[name]])));
  }
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const { name: key } of METRICS) {
    const v = perFold.map((f) => f[key] as number);
    const mu = v.reduce((a, b) => a + b, 0) / v.length;
    mean[key] = mu;
    // Sample standard deviation (ddof = 1) across folds.
    std[key] = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(1, v.length - 1));
  }
  return { folds: k, mean, std, per_fold: perFold };
}
