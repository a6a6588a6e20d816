import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "@pipe/etl";
import {
  crossValidate,
  type GradientBoostingParams,
  type ModelKind,
  type ModelSelection,
  type PipeModel,
  type RandomForestParams,
  sha256,
  startTreeWorkers,
  stopTreeWorkers,
  stratifiedSplit,
  type TrainOptions,
  type TrainTestSplit,
  trainModel,
} from "@pipe/model";
import type { PipeConfig } from "../config.js";
import { shownInput } from "../engine-input.js";
import { type EtlFacts, keepEtlFacts } from "../etl-facts.js";
import { canonicalJson, gitCommit, recordedConfig } from "../lineage.js";
import { readStageJson, type StageContext } from "../stage.js";
import { loadProcessed } from "./load-data.js";
import { selectModel } from "./model-selection.js";

export function forestParams(config: PipeConfig): RandomForestParams {
  const m = config.model;
  return {
    nEstimators: m.nEstimators,
    maxDepth: m.maxDepth,
    minSamplesSplit: m.minSamplesSplit,
    minSamplesLeaf: m.minSamplesLeaf,
    maxFeatures: m.maxFeatures,
    classWeight: m.classWeight,
    seed: config.seed,
  };
}

/** The kind of model and, for boosted trees, their hyper-parameters (most iterations: nEstimators; depth: maxDepth). */
export function modelKind(config: PipeConfig, kind = config.model.kind): { model: ModelKind; boosting?: GradientBoostingParams } {
  if (kind === "gbt") return { model: "gbt", boosting: boostingParams(config) };
  return { model: kind === "logistic" ? "logistic" : "forest" };
}

function boostingParams(config: PipeConfig): GradientBoostingParams {
  return { ...config.model.boosting, maxIter: config.model.nEstimators, maxDepth: config.model.maxDepth, seed: config.seed };
}

export async function trainStage(ctx: StageContext) {
  if (ctx.config.model.inEngine) return (await import("./train-in-engine.js")).trainInEngineStage(ctx);
  const { config, paths, log } = ctx;
  // The forest's worker threads start (and warm up) while the data is read; a logistic regression grows no trees.
  const { schema, table, features } = await loadProcessed(ctx, (s) => {
    if (config.model.kind === "logistic") return;
    startTreeWorkers({
      rows: Math.round(s.rows * (1 - config.testSize)),
      trees: config.model.nEstimators,
      ...(config.model.threads ? { threads: config.model.threads } : {}),
    });
  });
  const dataSha256 = sha256(await readFile(paths.processed));
  // The training file's dropped columns: records that still hold them are accepted, the fields ignored.
  const etl = await readStageJson<EtlFacts>(paths.etlReport, "etl");
  const preprocessing = { minCategoryCount: config.model.minCategoryCount, missingIndicators: config.model.missingIndicators };
  const t0 = performance.now();
  const options: TrainOptions = {
    target: schema.target,
    classes: [schema.negativeClass, schema.positiveClass],
    positiveClass: schema.positiveClass,
    testSize: config.testSize,
    seed: config.seed,
    forest: forestParams(config),
    preprocessing,
    threshold: config.model.threshold,
    calibration: config.model.calibration,
    dataSha256,
    ignoredFields: etl.dropped_columns ?? [],
    versions: ctx.versions,
    ...(config.model.threads ? { threads: config.model.threads } : {}),
    ...(process.env.SOURCE_DATE_EPOCH ? { createdAt: new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).toISOString() } : {}),
    onProgress: (p) => log.progress("train: trees built", p.treesBuilt, p.nEstimators),
  };
  let kind = config.model.kind;
  let selection: ModelSelection | undefined;
  let model: PipeModel;
  let split: TrainTestSplit;
  if (kind === "auto") {
    log.info("train: --model auto: the majority class, logistic regression, random forest and boosted trees compared by cross-validation on the training rows");
    split = stratifiedSplit(table.y, config.testSize, config.seed);
    const chosen = await selectModel(config, table, features, split, options, boostingParams(config));
    ({ model, selection } = chosen);
    kind = chosen.kind;
    log.info(`train: ${selection.note}`);
  } else ({ model, split } = await trainModel(table, features, table.y, { ...options, ...modelKind(config) }));
  const fitSeconds = (performance.now() - t0) / 1000;
  if (config.model.cv >= 2) {
    log.info(`train: ${config.model.cv}-fold cross-validation on the ${split.train.length} training rows`);
    const cv = await crossValidate(
      table,
      features,
      table.y,
      split.train,
      config.model.cv,
      config.seed,
      forestParams(config),
      preprocessing,
      model.state.threshold,
      config.model.threads ?? undefined,
      config.model.calibration,
      modelKind(config, kind),
    );
    model.state.training.metrics = { ...model.state.training.metrics, cv: { folds: cv.folds, mean: cv.mean, std: cv.std } };
  }
  if (selection) model.state.training.metrics = { ...model.state.training.metrics, model_selection: selection };
  // Where the model came from: the raw input and the processed file, the settings, the code.
  const settings = recordedConfig(config);
  model.state.training.lineage = {
    input: shownInput(config.input),
    input_sha256: etl.input_sha256 ?? null,
    processed_sha256: dataSha256,
    config_sha256: sha256(canonicalJson(settings)),
    config: settings,
    git_commit: gitCommit(),
  };
  keepEtlFacts(model, schema, etl);
  // Later stages do not grow trees: the idle workers' memory goes back now.
  await stopTreeWorkers();
  await writeFileAtomic(paths.model, model.serialize());
  const oob = model.state.training.oob;
  const b = model.state.boosting;
  const fitInfo = model.linear?.state.fit;
  log.info(
    `train: ${
      fitInfo
        ? `a logistic regression of ${model.sizeName} (${fitInfo.solver}, ${fitInfo.iterations} iterations${fitInfo.converged ? "" : ", not converged"})`
        : b
          ? `${model.state.forest.treeCount} boosted trees (${
              b.validation_loss.length
                ? `early stopping on a held-out ${Math.round(100 * b.params.validationFraction)}% of the training rows: ${model.state.forest.treeCount < b.params.maxIter ? "stopped" : "did not stop"} before ${b.params.maxIter}`
                : "no early stopping"
            })`
          : `${config.model.nEstimators} trees`
    } on ${split.train.length} rows × ${model.featureNames.length} features in ${fitSeconds.toFixed(2)} s` +
      `${oob ? `; out-of-bag ROC AUC ${oob.roc_auc.toFixed(4)}` : ""}${model.state.calibration ? "; probabilities calibrated on the out-of-bag scores" : ""}; threshold ${model.state.threshold.toFixed(4)} → ${paths.model}`,
  );
  return {
    stage: "train",
    n_train: split.train.length,
    n_test: split.test.length,
    model: model.kindName,
    trees: model.state.forest.treeCount,
    ...(model.linear ? { weights: model.linear.state.coef.length } : {}),
    fit_seconds: fitSeconds,
    oob,
    threshold: model.state.threshold,
    outputs: [paths.model],
  };
}
